// Loading the CLI's bundle with a V8 code cache, so that a run neither parses
// and compiles 1.4 MB of JavaScript again nor the functions it calls on the
// way: about 30 ms of a one-request run and 40 ms of a 1,000-request one.
// The same idea as Node 22's `module.enableCompileCache()` (which TypeScript's
// tsc turns on), done with `vm.Script`'s `cachedData` so that it works alike
// on every Node the CLI supports. The cache sits in a folder of the user's
// own (0700, checked) under the temporary directory, or in
// HTTP_SESSION_CODE_CACHE; one file per bundle, Node build and bundle
// version. Whatever goes wrong with it, the bundle is compiled as usual.
// NODE_DISABLE_COMPILE_CACHE=1 (Node's own switch) turns it off. Not on
// Windows, where a folder's mode cannot say that only its owner may write.
import { createHash, randomBytes } from 'node:crypto';
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
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cachedDataVersionTag } from 'node:v8';
import { Script } from 'node:vm';

export interface LoadedBundle {
  readonly exports: unknown;
  /** Whether a cache was found and V8 took it. */
  readonly fromCache: boolean;
  /** Writes the cache for the next run (after this one ran, so the functions it compiled are in). */
  readonly save: () => void;
}

// Our own wrapper, not `Module.wrap` (which a host may patch): the cache must be for exactly this text.
const WRAP_START = '(function (exports, require, module, __filename, __dirname) { ';
const WRAP_END = '\n});';

/** Where the cache goes, or null when there is none (turned off, or Windows). */
export function cacheDirectory(env: NodeJS.ProcessEnv = process.env): string | null {
  const off = env.NODE_DISABLE_COMPILE_CACHE;
  if ((off !== undefined && off !== '' && off !== '0') || process.platform === 'win32') return null;
  if (env.HTTP_SESSION_CODE_CACHE) return env.HTTP_SESSION_CODE_CACHE;
  // Per user, so that no one else's file is ever read.
  const uid = process.getuid?.();
  return join(tmpdir(), `http-session-code-cache${uid === undefined ? '' : `-${uid}`}`);
}

/** Compiles and runs the CommonJS file at `file` (a bundle that requires only Node's own modules). */
export function loadBundle(file: string, directory: string | null): LoadedBundle {
  // Hashed as bytes: hashing the decoded text would encode it back to UTF-8 first. V8 itself
  // only compares a cache's source length, so the key must tell every other difference:
  // the text, the Node build (version, architecture, V8's flags and CPU features) and the path.
  const bytes = readFileSync(file);
  const key = createHash('sha256')
    .update(`${process.version} ${process.arch} ${cachedDataVersionTag()}\n`)
    .update(bytes)
    .digest('hex')
    .slice(0, 32);
  const source = bytes.toString('utf8');
  // One slot per bundle path, one file per version of it: two installs do not evict each other.
  const slot = `bundle-${createHash('sha256').update(file).digest('hex').slice(0, 12)}-`;
  const cacheFile = directory === null ? null : join(directory, `${slot}${key}.v8`);
  const cachedData = cacheFile !== null && ownFolder(directory) ? readOrNothing(cacheFile) : undefined;
  const script = new Script(WRAP_START + source + WRAP_END, { filename: file, cachedData });
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
    writeCache(directory, cacheFile, slot, script);
  };
  return { exports: module.exports, fromCache, save };
}

/**
 * `loadBundle` with the cache written when the process exits, if `worthSaving()` says so then:
 * the cache holds the functions the run compiled, so a run that stopped early (`--help`, a usage
 * error) would leave one that spares the next runs little.
 */
export function loadWithCodeCache(file: string, worthSaving: () => boolean = () => true): unknown {
  const loaded = loadBundle(file, cacheDirectory());
  if (!loaded.fromCache) {
    process.once('exit', () => {
      if (worthSaving()) loaded.save();
    });
  }
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

const STALE_TEMP_MS = 60_000;

function writeCache(directory: string, cacheFile: string, slot: string, script: Script): void {
  // An optimisation only: a read-only or full disk means compiling next time as well.
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    if (!ownFolder(directory)) return;
    // Unique even between processes of equal pid (containers sharing /tmp); never an existing file.
    const temp = `${cacheFile}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(temp, script.createCachedData(), { mode: 0o600, flag: 'wx' });
    renameSync(temp, cacheFile);
  } catch {
    return;
  }
  // Earlier versions of the same bundle would only pile up, and so would the temporary files of
  // writers that died; another process may be pruning too.
  const keep = cacheFile.slice(directory.length + 1);
  let names: string[] = [];
  try {
    names = readdirSync(directory);
  } catch {}
  for (const name of names) {
    if (name === keep || !name.startsWith(slot)) continue;
    const path = join(directory, name);
    try {
      if (
        name.endsWith('.v8') ||
        (name.endsWith('.tmp') && Date.now() - lstatSync(path).mtimeMs > STALE_TEMP_MS)
      )
        unlinkSync(path);
    } catch {}
  }
}
