// A session's jar on disk: tough-cookie's own serialisation, written
// atomically (temp file in the same folder, fsync, rename) so a crash never
// leaves half a file; a file that cannot be read is moved aside, not lost.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Cookie, type CookieJar } from 'tough-cookie';
import { createJar } from './cookies';

export interface LoadedJar {
  readonly jar: CookieJar;
  /** Set when the file was unreadable and moved aside. */
  readonly warning: string | null;
}

/** Only cookies that can still be sent; session cookies are kept on purpose (the session outlives the editor). */
function isLive(cookie: Cookie, now: Date): boolean {
  const expiry = cookie.expiryTime();
  return expiry === undefined || expiry > now.getTime();
}

export async function saveJar(path: string, jar: CookieJar, now: Date = new Date()): Promise<void> {
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
    throw err;
  }
  await syncFolder(folder);
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
    throw err;
  }
  const cookies = parseCookies(text);
  if (!Array.isArray(cookies)) {
    const aside = `${path}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
    await rename(path, aside);
    return {
      jar: createJar(),
      warning: `Cookie jar ${path} could not be read (${cookies.problem}); it was moved to ${aside} and the session starts with an empty jar`,
    };
  }
  const jar = createJar();
  for (const cookie of cookies) {
    if (isLive(cookie, now)) {
      await jar.store.putCookie(cookie);
    }
  }
  return { jar, warning: null };
}

function parseCookies(text: string): Cookie[] | { problem: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { problem: `not JSON: ${(err as Error).message}` };
  }
  const list = (data as { cookies?: unknown } | null)?.cookies;
  if (!Array.isArray(list)) {
    return { problem: 'no "cookies" list' };
  }
  // A single unreadable entry is skipped rather than costing the whole jar.
  return list.map((entry) => Cookie.fromJSON(entry)).filter((c): c is Cookie => c !== undefined);
}
