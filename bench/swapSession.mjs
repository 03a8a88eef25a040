// SESSION_SRC=/path/to/core/session makes a bench bundle another copy of the
// engine: every import that resolves into src/core/session (the Runner's too)
// goes to the same file under SESSION_SRC, e.g. to compare before and after.
import { isAbsolute, join, relative, resolve } from 'node:path';

export const ownSession = resolve('src/core/session');
export const sessionSrc = resolve(process.env.SESSION_SRC ?? ownSession);

/** The esbuild plugin; does nothing when SESSION_SRC is not set. */
export const swapSession = {
  name: 'swap-session',
  setup(build) {
    if (sessionSrc === ownSession) return;
    build.onResolve({ filter: /session/ }, async (args) => {
      if (args.pluginData === 'swap-session') return undefined;
      const found = await build.resolve(args.path, {
        resolveDir: args.resolveDir,
        kind: args.kind,
        pluginData: 'swap-session',
      });
      const inside = relative(ownSession, found.path);
      return inside.startsWith('..') || isAbsolute(inside) ? found : { path: join(sessionSrc, inside) };
    });
  },
};
