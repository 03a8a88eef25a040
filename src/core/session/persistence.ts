// A session's jar on disk: tough-cookie's own serialisation, written
// atomically (temp file in the same folder, fsync, rename) so a crash never
// leaves half a file; a file that cannot be read is moved aside, not lost.
// Saves of one path in one process run in call order, so the last call wins.
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Cookie, type CookieJar } from 'tough-cookie';
import { locateJsonError } from '../variables/jsonError';
import { createJar } from './cookies';

export interface LoadedJar {
  readonly jar: CookieJar;
  /** Set when the file was unreadable and moved aside. */
  readonly warning: string | null;
  /** Set when some entries could not be read: the others loaded, and the file was copied aside whole. */
  readonly note?: string | null;
}

/** Only cookies that can still be sent; session cookies are kept on purpose (the session outlives the editor). */
function isLive(cookie: Cookie, now: Date): boolean {
  const expiry = cookie.expiryTime();
  return expiry === undefined || expiry > now.getTime();
}

const saving = new Map<string, Promise<void>>();

/**
 * Writes the jar atomically. Two saves of one path from this process never
 * race: each waits for the one called before it, so the file ends as the last
 * call left it, whichever jar was bigger or slower to write.
 */
export function saveJar(path: string, jar: CookieJar, now: Date = new Date()): Promise<void> {
  const key = resolve(path);
  const previous = saving.get(key) ?? Promise.resolve();
  const mine = previous.catch(() => {}).then(() => writeJar(path, jar, now));
  saving.set(key, mine);
  const settle = () => {
    if (saving.get(key) === mine) saving.delete(key);
  };
  mine.then(settle, settle);
  return mine;
}

async function writeJar(path: string, jar: CookieJar, now: Date): Promise<void> {
  const serialized = await jar.serialize();
  const cookies = serialized.cookies.filter((c) => {
    const cookie = Cookie.fromJSON(c);
    return cookie !== undefined && isLive(cookie, now);
  });
  const text = `${JSON.stringify({ ...serialized, cookies }, null, 2)}\n`;
  const folder = dirname(path);
  await mkdir(folder, { recursive: true });
  const temp = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    // 0600: cookies are credentials.
    const file = await open(temp, 'w', 0o600);
    try {
      await file.writeFile(text, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => {});
    throw placed(err, `Cookie jar ${path} could not be saved`);
  }
  await syncFolder(folder);
  await removeOrphanTemps(folder, basename(path));
}

/**
 * A process killed between writing its temp file and the rename leaves that
 * file behind, cookies (credentials) and all. Only temp files of processes
 * that are gone are removed: a live one may be mid-save.
 */
export function removeOrphanTemps(folder: string, file: string): Promise<void> {
  return removeOrphans(folder, `.${file}.`, /^(\d+)\.[0-9a-f]+\.tmp$/);
}

/**
 * Removes the files named `prefix` + a rest that `pattern` matches (group 1:
 * the pid of the process that wrote it) whose process is gone: what a process
 * killed in the middle of saving or locking left behind.
 */
export async function removeOrphans(folder: string, prefix: string, pattern: RegExp): Promise<void> {
  for (const name of await readdir(folder).catch(() => [] as string[])) {
    const pid = name.startsWith(prefix) ? pattern.exec(name.slice(prefix.length))?.[1] : undefined;
    if (pid && Number(pid) !== process.pid && !isAlive(Number(pid)))
      await unlink(join(folder, name)).catch(() => {});
  }
}

/** The file system's error with the jar's path in front (Node's own `EISDIR: …, read` names no file); `code` kept. */
function placed(err: unknown, what: string): Error {
  const e = err as NodeJS.ErrnoException;
  return Object.assign(new Error(`${what} (${e?.message ?? String(err)})`, { cause: err }), {
    code: e?.code,
  });
}

/** Whether a process of this machine with that pid exists (EPERM: it does, but is not ours). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Makes the rename itself durable; not every platform lets a folder be opened, so it is best effort.
async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {}
}

export async function loadJar(path: string, now: Date = new Date()): Promise<LoadedJar> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return { jar: createJar(), warning: null };
    }
    throw placed(err, `Cookie jar ${path} could not be read`);
  }
  const aside = `${path}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  const parsed = parseCookies(text);
  if ('problem' in parsed) {
    await rename(path, aside);
    return {
      jar: createJar(),
      warning: `Cookie jar ${path} could not be read (${parsed.problem}); it was moved to ${aside} and the session starts with an empty jar`,
    };
  }
  const jar = createJar();
  for (const cookie of parsed.cookies) {
    if (isLive(cookie, now)) {
      await jar.store.putCookie(cookie);
    }
  }
  if (parsed.skipped === 0) return { jar, warning: null, note: null };
  // The next save would drop the unreadable entries for good: keep the file as it was.
  await copyFile(path, aside);
  return {
    jar,
    warning: null,
    note: `Cookie jar ${path}: ${parsed.skipped} of ${parsed.skipped + parsed.cookies.length} entries could not be read and were left out; the file as it was is copied to ${aside}`,
  };
}

function parseCookies(text: string): { cookies: Cookie[]; skipped: number } | { problem: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // Not V8's message: it quotes the text near the error, which here is cookie values.
    const at = locateJsonError(text);
    return { problem: at ? `not JSON: line ${at.line}, column ${at.column}: ${at.message}` : 'not JSON' };
  }
  const list = (data as { cookies?: unknown } | null)?.cookies;
  if (!Array.isArray(list)) {
    return { problem: 'no "cookies" list' };
  }
  // A single unreadable entry is skipped rather than costing the whole jar; a jar of nothing but those is unreadable.
  const cookies = list.map(readCookie).filter((c): c is Cookie => c !== undefined);
  if (cookies.length === 0 && list.length > 0) {
    return { problem: `none of its ${list.length} entries is a cookie` };
  }
  return { cookies, skipped: list.length - cookies.length };
}

/** A cookie as the jar wrote it: an object, with the domain it belongs to (fromJSON makes one out of `42`). */
function readCookie(entry: unknown): Cookie | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return undefined;
  try {
    const cookie = Cookie.fromJSON(entry);
    return cookie && typeof cookie.domain === 'string' && cookie.domain !== '' ? cookie : undefined;
  } catch {
    return undefined;
  }
}
