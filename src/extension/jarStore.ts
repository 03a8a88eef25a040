// Each session's jar in the workspace's extension storage, one file per
// session, shared safely by several windows open on the same workspace.
//
// Two windows each hold their jar in memory and save it now and then. A plain
// "write my jar" would let the last writer silently undo the other window's
// changes, so a save is a three-way merge under a lock:
//   1. take `NAME.json.lock` (created with O_EXCL; a lock older than
//      `staleMs`, or left by a process that is gone, is taken over; its
//      holder keeps its time fresh meanwhile);
//   2. read the file as it is now ("theirs") and merge it with the jar in
//      memory ("ours") against what this window last read or wrote ("base"),
//      cookie by cookie (key = domain, path, name): a side that did not
//      change a cookie since base takes the other side's version (or its
//      deletion); when both changed it, the one used or set last wins;
//   3. write the result atomically (saveJar: temp file + rename), release the
//      lock, and bring the jar in memory up to date with the other window's
//      changes.
// Nothing here imports `vscode`.
import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Cookie, type CookieJar } from 'tough-cookie';
import { createJar, isAlive, loadJar, removeOrphans, removeOrphanTemps, saveJar } from '../core/session';

export interface JarStoreOptions {
  /** A lock older than this is considered abandoned. */
  readonly staleMs?: number;
  readonly now?: () => Date;
}

export interface SyncResult {
  /** The jar in memory took changes from the file (another window's). */
  readonly changedInMemory: boolean;
  /** The file was (re)written. */
  readonly written: boolean;
  /** Set when the file on disk could not be read and was moved aside. */
  readonly warning: string | null;
  /** Set when some cookies in the file could not be read: the rest merged, the file copied aside. */
  readonly note: string | null;
}

const SUFFIX = '.json';
/** Beside a hashed jar file: the session name, which the file name no longer spells. */
const NAME_SUFFIX = '.session';
/** The longest readable file name kept; the rest leaves room for `.lock.PID.RANDOM.stale` and the like under 255. */
const READABLE_MAX_BYTES = 200;
/** How much of a long name a hashed file name still shows. */
const PREFIX_MAX_BYTES = 100;
/** Never in a readable name (encodeURIComponent writes `%40`): marks `PREFIX@HASH.json`. */
const HASH_MARK = '@';
const HASHED = /@[0-9a-f]{32}\.json$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const escapeChar = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`;

/** Percent-encoded, dots and capitals included; plain ASCII, so its length is its size in bytes. */
function readable(text: string): string {
  // Capitals too: on a disk that ignores case (macOS, Windows) "Admin" and "admin" would share one jar.
  return encodeURIComponent(text).replace(/%[0-9A-F]{2}|[.*A-Z]/g, (m) =>
    m.length === 3 ? m : escapeChar(m),
  );
}

/**
 * Session names become file names inside the folder: percent-encoded, dots
 * included, so no name can leave it. A name too long for that (file names
 * stop at 255 bytes), an empty one or one with a lone surrogate (which UTF-8
 * cannot spell) gets a readable prefix and a hash of all its UTF-16 code
 * units instead; its name is kept in a `.session` file beside the jar.
 */
export function fileNameOf(session: string): string {
  LONE_SURROGATE.lastIndex = 0;
  if (session !== '' && !LONE_SURROGATE.test(session)) {
    const encoded = readable(session);
    // Windows opens a device, not a file, for these names whatever the extension.
    const name = /^(con|prn|aux|nul|com\d|lpt\d)$/.test(encoded)
      ? `${escapeChar(encoded[0]!)}${encoded.slice(1)}`
      : encoded;
    if (name.length + SUFFIX.length <= READABLE_MAX_BYTES) return `${name}${SUFFIX}`;
  }
  const hash = createHash('sha256').update(Buffer.from(session, 'utf16le')).digest('hex').slice(0, 32);
  let prefix = '';
  for (const char of session.replace(LONE_SURROGATE, '\uFFFD')) {
    const piece = readable(char);
    if (prefix.length + piece.length > PREFIX_MAX_BYTES) break;
    prefix += piece;
  }
  return `${prefix}${HASH_MARK}${hash}${SUFFIX}`;
}

/** The session a readable file name spells; null for any other file, hashed jar files included. */
export function sessionOfFileName(file: string): string | null {
  if (!file.endsWith(SUFFIX) || file.startsWith('.')) return null;
  try {
    const session = decodeURIComponent(file.slice(0, -SUFFIX.length));
    // Only names fileNameOf writes: `a.b.json` would list a session "a.b" whose file is `a%2Eb.json`.
    return fileNameOf(session) === file ? session : null;
  } catch {
    return null;
  }
}

/** The `.session` file that names the session of a hashed jar file. */
export function nameFileOf(jarFile: string): string {
  return `${jarFile.slice(0, -SUFFIX.length)}${NAME_SUFFIX}`;
}

export function cookieKey(cookie: Pick<Cookie, 'domain' | 'path' | 'key'>): string {
  return `${cookie.domain ?? ''}\t${cookie.path ?? ''}\t${cookie.key}`;
}

/** What a cookie is, apart from when it was last used. */
function signature(cookie: Cookie): string {
  const {
    lastAccessed: _lastAccessed,
    creationIndex: _index,
    ...rest
  } = cookie.toJSON() as Record<string, unknown>;
  return JSON.stringify(rest);
}

function time(value: Date | 'Infinity' | null | undefined): number {
  return value instanceof Date ? value.getTime() : 0;
}

function newer(a: Cookie, b: Cookie): Cookie {
  const byUse = time(a.lastAccessed) - time(b.lastAccessed);
  if (byUse !== 0) return byUse > 0 ? a : b;
  return time(a.creation) >= time(b.creation) ? a : b;
}

/**
 * Three-way merge of cookie lists. `base` maps keys to signatures as this
 * side last saw them on disk.
 */
export function mergeCookies(
  base: ReadonlyMap<string, string>,
  ours: readonly Cookie[],
  theirs: readonly Cookie[],
): Cookie[] {
  const mine = new Map(ours.map((c) => [cookieKey(c), c]));
  const other = new Map(theirs.map((c) => [cookieKey(c), c]));
  const keys = new Set([...base.keys(), ...mine.keys(), ...other.keys()]);
  const merged: Cookie[] = [];
  for (const key of keys) {
    const b = base.get(key);
    const o = mine.get(key);
    const t = other.get(key);
    const os = o && signature(o);
    const ts = t && signature(t);
    let pick: Cookie | undefined;
    if (os === ts) pick = o && t ? newer(o, t) : undefined;
    else if (os === b) pick = t;
    else if (ts === b) pick = o;
    // Both changed it: a change beats a deletion, otherwise the later one wins.
    else if (!o || !t) pick = o ?? t;
    else pick = newer(o, t);
    if (pick) merged.push(pick);
  }
  return merged;
}

export interface LockOptions {
  readonly staleMs?: number;
  readonly now?: () => Date;
}

/** Runs `work` holding `lockPath` (O_EXCL create); waits for another holder, takes over an abandoned lock. */
export async function withLock<T>(
  lockPath: string,
  work: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const staleMs = options.staleMs ?? 10_000;
  const now = options.now ?? (() => new Date());
  const token = `${process.pid}@${hostname()} ${randomBytes(6).toString('hex')}`;
  for (let attempt = 0; ; attempt++) {
    if (await createLock(lockPath, token)) break;
    const abandoned = await abandonedLock(lockPath, staleMs, now);
    if (abandoned !== null) {
      // Renaming first means that of two windows taking over, only one removes it.
      const aside = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}.stale`;
      const moved = await rename(lockPath, aside).then(
        () => true,
        () => false,
      );
      if (moved) {
        // Another window may have taken over and locked between our check and the rename:
        // what we moved is then its live lock, which goes back (link never replaces a newer one).
        if ((await fingerprint(aside))?.print !== abandoned) await link(aside, lockPath).catch(() => {});
        await unlink(aside).catch(() => {});
      }
      continue;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(10 + attempt * 5, 100)));
  }
  // A slow save (a big jar, a busy disk) must not look abandoned: keep the lock's time fresh while held.
  const refresh = setInterval(() => void touchLock(lockPath, token, now), Math.max(1, staleMs / 3));
  refresh.unref();
  try {
    await removeOrphans(dirname(lockPath), `${basename(lockPath)}.`, /^(\d+)\.[0-9a-f]+\.(new|stale)$/);
    return await work();
  } finally {
    clearInterval(refresh);
    // Only our own lock: if it was taken over meanwhile, the new holder keeps it.
    const held = await readFile(lockPath, 'utf8').catch(() => null);
    if (held === token) await unlink(lockPath).catch(() => {});
  }
}

/** Sets the lock's time to now, while it still holds our token. */
async function touchLock(lockPath: string, token: string, now: () => Date): Promise<void> {
  try {
    if ((await readFile(lockPath, 'utf8')) !== token) return;
    const at = now();
    await utimes(lockPath, at, at);
  } catch {}
}

/**
 * O_EXCL-creates the lock with its token already in it: written to a draft
 * and hard-linked into place (link fails with EEXIST like O_EXCL). Created
 * empty and written after, a lock whose process was killed in between had no
 * pid to check, and stalled every window until it went stale.
 */
async function createLock(lockPath: string, token: string): Promise<boolean> {
  const draft = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}.new`;
  await writeFile(draft, token, { mode: 0o600 });
  try {
    await link(draft, lockPath);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await unlink(draft).catch(() => {});
  }
}

/** Identifies one lock file: inode numbers are reused at once, so its time and token too. */
async function fingerprint(path: string): Promise<{ print: string; mtimeMs: number; text: string } | null> {
  try {
    const [info, text] = await Promise.all([stat(path), readFile(path, 'utf8')]);
    return { print: `${info.ino} ${info.mtimeMs} ${text}`, mtimeMs: info.mtimeMs, text };
  } catch {
    return null;
  }
}

/** The lock's fingerprint when it is abandoned; null when it is held or gone (released meanwhile). */
async function abandonedLock(lockPath: string, staleMs: number, now: () => Date): Promise<string | null> {
  const lock = await fingerprint(lockPath);
  if (!lock) return null;
  if (now().getTime() - lock.mtimeMs > staleMs) return lock.print;
  const m = /^(\d+)@(\S+) /.exec(lock.text);
  return m !== null && m[2] === hostname() && !isAlive(Number(m[1])) ? lock.print : null;
}

function live(cookies: readonly Cookie[], now: Date): Cookie[] {
  return cookies.filter((c) => {
    const expiry = c.expiryTime();
    return expiry === undefined || expiry > now.getTime();
  });
}

const copy = (cookie: Cookie): Cookie => Cookie.fromJSON(cookie.toJSON()) ?? cookie;

export class JarStore {
  /** Per session: key → signature as last read from or written to the file. */
  private readonly bases = new Map<string, Map<string, string>>();
  /** Sessions with a hashed file name whose `.session` file is known to be in place. */
  private readonly named = new Set<string>();
  private readonly staleMs: number;
  private readonly now: () => Date;

  constructor(
    readonly folder: string,
    options: JarStoreOptions = {},
  ) {
    this.staleMs = options.staleMs ?? 10_000;
    this.now = options.now ?? (() => new Date());
  }

  pathOf(session: string): string {
    return join(this.folder, fileNameOf(session));
  }

  /** Sessions that have a file. */
  async sessions(): Promise<string[]> {
    const files = await readdir(this.folder).catch(() => [] as string[]);
    const names = await Promise.all(
      files.map((file) => sessionOfFileName(file) ?? (HASHED.test(file) ? this.namedIn(file) : null)),
    );
    return names.filter((name): name is string => name !== null).sort();
  }

  /** The session named in a hashed jar file's `.session` file, if it is the one that file belongs to. */
  private async namedIn(jarFile: string): Promise<string | null> {
    try {
      const text = await readFile(join(this.folder, nameFileOf(jarFile)), 'utf8');
      const session = (JSON.parse(text) as { session?: unknown } | null)?.session;
      return typeof session === 'string' && fileNameOf(session) === jarFile ? session : null;
    } catch {
      return null;
    }
  }

  /** Writes the `.session` file of a hashed jar file (atomically, before the jar: a listed jar always has its name). */
  private async nameHashedFile(session: string): Promise<void> {
    const file = fileNameOf(session);
    if (!HASHED.test(file) || this.named.has(session)) return;
    if ((await this.namedIn(file)) !== session) {
      // JSON keeps a lone surrogate (as \udXXX), which UTF-8 text could not.
      const temp = join(this.folder, `.${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      try {
        await writeFile(temp, `${JSON.stringify({ session })}\n`, { mode: 0o600 });
        await rename(temp, join(this.folder, nameFileOf(file)));
      } catch (err) {
        await unlink(temp).catch(() => {});
        throw err;
      }
    }
    this.named.add(session);
  }

  /**
   * Merges the jar in memory with the file and writes the result; the jar
   * takes the other windows' changes. The first sync of a session in this
   * window (no base yet) keeps everything from both sides: that is how a
   * window restores its jar without losing cookies set meanwhile.
   */
  async sync(session: string, jar: CookieJar): Promise<SyncResult> {
    const path = this.pathOf(session);
    await mkdir(this.folder, { recursive: true });
    return withLock(
      `${path}.lock`,
      async () => {
        const now = this.now();
        // saveJar's temp file (`.NAME.json.PID.RANDOM.tmp`, cookies and all) stays behind for good when its
        // process is killed before the rename. Under the lock no live save of this session writes one
        // (unless its lock was taken over as stale: hence only files of processes that are gone).
        await removeOrphanTemps(this.folder, fileNameOf(session));
        const base = this.bases.get(session) ?? new Map<string, string>();
        const loaded = await loadJar(path, now);
        const snapshot = live(await jar.store.getAllCookies(), now);
        const theirs = await loaded.jar.store.getAllCookies();
        // An unreadable file (now moved aside) says nothing about what others changed: ours stands.
        const merged = loaded.warning ? snapshot : mergeCookies(base, snapshot, theirs);
        // Cookies the file held but could not be read are copied aside by loadJar: writing drops them, or
        // every sync would copy and warn again.
        const sameAsFile =
          loaded.warning === null &&
          !loaded.note &&
          merged.length === theirs.length &&
          sameCookies(merged, theirs, (c) => JSON.stringify(c.toJSON()));
        // Before the jar: a jar file that is listed always has its name beside it (a lost one comes back).
        if (!sameAsFile || theirs.length > 0) await this.nameHashedFile(session);
        if (!sameAsFile) {
          const out = createJar();
          for (const cookie of merged) await out.store.putCookie(copy(cookie));
          await saveJar(path, out, now);
        }
        this.bases.set(session, new Map(merged.map((c) => [cookieKey(c), signature(c)])));
        const changedInMemory = await applyTo(jar, snapshot, merged);
        return { changedInMemory, written: !sameAsFile, warning: loaded.warning, note: loaded.note ?? null };
      },
      { staleMs: this.staleMs, now: this.now },
    );
  }

  /** Forgets what was last seen on disk, e.g. after the file was deleted on purpose. */
  forget(session: string): void {
    this.bases.delete(session);
  }
}

function sameCookies(a: readonly Cookie[], b: readonly Cookie[], sig: (c: Cookie) => string): boolean {
  const other = new Map(b.map((c) => [cookieKey(c), sig(c)]));
  return a.every((c) => other.get(cookieKey(c)) === sig(c));
}

/**
 * Brings the jar to the merged state, leaving alone any cookie that changed
 * in memory since the snapshot (a response that arrived during the save):
 * the next save merges it.
 */
async function applyTo(
  jar: CookieJar,
  snapshot: readonly Cookie[],
  merged: readonly Cookie[],
): Promise<boolean> {
  const before = new Map(snapshot.map((c) => [cookieKey(c), c]));
  const after = new Map(merged.map((c) => [cookieKey(c), c]));
  const current = new Map((await jar.store.getAllCookies()).map((c) => [cookieKey(c), c]));
  const untouched = (key: string) => {
    const was = before.get(key);
    const is = current.get(key);
    return was === undefined ? is === undefined || !isLive(is) : is === was;
  };
  let changed = false;
  for (const [key, cookie] of after) {
    const was = before.get(key);
    if (was && signature(was) === signature(cookie)) continue;
    if (!untouched(key)) continue;
    await jar.store.putCookie(copy(cookie));
    changed = true;
  }
  for (const [key, cookie] of before) {
    if (after.has(key) || !untouched(key)) continue;
    await jar.store.removeCookie(cookie.domain, cookie.path, cookie.key);
    changed = true;
  }
  return changed;
}

function isLive(cookie: Cookie): boolean {
  const expiry = cookie.expiryTime();
  return expiry === undefined || expiry > Date.now();
}
