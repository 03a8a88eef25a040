// Loading the CLI's bundle with a V8 code cache, so that a run neither parses
// and compiles 1.4 MB of JavaScript again nor the functions it calls on the
// way: about 30 ms of a one-request run and 40 ms of a 1,000-request one.
// The same idea as Node 22's `module.enableCompileCache()` (which TypeScript's
// tsc turns on), done with `vm.Script`'s `cachedData` so that it works alike
// on every Node the CLI supports. The cache sits in a folder of the user's
// own under the temporary directory, one file per Node version, architecture
// and bundle; whatever goes wrong with it, the bundle is compiled as usual.
// NODE_DISABLE_COMPILE_CACHE=1 (Node's own switch) turns it off.
import { createHash } from 'node:crypto';
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  type Stats,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire, wrap } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

export interface LoadedBundle {
  readonly exports: unknown;
  /** Whether a cache was found and V8 took it. */
  readonly fromCache: boolean;
  /** Writes the cache for the next run (after this one ran, so the functions it compiled are in). */
  readonly save: () => void;
}

/** `<tmp>/http-session-code-cache-<uid>`: per user, so no one else's file is ever read. */
export function defaultCacheDirectory(): string {
  const uid = process.getuid?.();
  return join(tmpdir(), `http-session-code-cache${uid === undefined ? '' : `-${uid}`}`);
}

/** Compiles and runs the CommonJS file at `file` (a bundle that requires only Node's own modules). */
export function loadBundle(file: string, directory: string | null): LoadedBundle {
  // Hashed as bytes: hashing the decoded text would encode it back to UTF-8 first.
  const bytes = readFileSync(file);
  const key = createHash('sha256')
    .update(`${process.version} ${process.arch}\n`)
    .update(bytes)
    .digest('hex')
    .slice(0, 32);
  const source = bytes.toString('utf8');
  // One slot per bundle path, one file per version of it: two installs do not evict each other.
  const slot = createHash('sha256').update(file).digest('hex').slice(0, 12);
  const cacheFile = directory === null ? null : join(directory, `bundle-${slot}-${key}.v8`);
  const cachedData = cacheFile !== null && ownFolder(directory) ? readOrNothing(cacheFile) : undefined;
  const script = new Script(wrap(source), { filename: file, cachedData });
  const fromCache = cachedData !== undefined && script.cachedDataRejected === false;
  const module = { exports: {} as unknown };
  const compiled = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: { exports: unknown },
    filename: string,
    dirname: string,
  ) => void;
  compiled.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  const save = () => {
    if (directory === null || cacheFile === null || fromCache) return;
    writeCache(directory, cacheFile, `bundle-${slot}-`, script);
  };
  return { exports: module.exports, fromCache, save };
}

/** `loadBundle` with the cache written when the process exits, unless turned off. */
export function loadWithCodeCache(file: string, directory = defaultCacheDirectory()): unknown {
  const off = process.env.NODE_DISABLE_COMPILE_CACHE;
  const loaded = loadBundle(file, off !== undefined && off !== '' && off !== '0' ? null : directory);
  if (!loaded.fromCache) process.once('exit', loaded.save);
  return loaded.exports;
}

function readOrNothing(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** The folder exists, is a real folder of this user, and only this user may write in it. */
function ownFolder(directory: string | null): boolean {
  if (directory === null) return false;
  let stats: Stats;
  try {
    stats = lstatSync(directory);
  } catch {
    return false;
  }
  const uid = process.getuid?.();
  return stats.isDirectory() && (uid === undefined || stats.uid === uid) && (stats.mode & 0o022) === 0;
}

function writeCache(directory: string, cacheFile: string, slot: string, script: Script): void {
  // An optimisation only: a read-only or full disk means compiling next time as well.
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    if (!ownFolder(directory)) return;
    const temp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
    renameSync(temp, cacheFile);
    // Caches of earlier versions of the same bundle would only pile up.
    const keep = cacheFile.slice(directory.length + 1);
    for (const name of readdirSync(directory)) {
      if (name !== keep && name.startsWith(slot) && name.endsWith('.v8')) unlinkSync(join(directory, name));
    }
  } catch {}
}
