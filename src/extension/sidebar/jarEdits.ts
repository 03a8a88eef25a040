// What the Sessions view's actions do to a jar: read it with dates, edit a
// value, add a cookie the way a response would, delete, clear a domain,
// export to and import from cookies.txt. No `vscode` here: the commands ask
// the questions, these functions do the work and explain refusals.
import { Cookie, type CookieJar } from 'tough-cookie';
import {
  type CookiesTxtEntry,
  type CookiesTxtProblem,
  createJar,
  formatCookiesTxt,
  parseCookiesTxt,
  rejectionReason,
  toCookiesTxtEntry,
} from '../../core/session';
import { storeResponseCookies, toStoredCookie, withAbsoluteExpiry } from '../../core/session/cookies';
import type { CookieEntry } from './treeModel';

export interface CookieRef {
  readonly domain: string;
  readonly path: string;
  readonly name: string;
}

const iso = (d: Date | 'Infinity' | null | undefined) => (d instanceof Date ? d.toISOString() : null);

function isLive(cookie: Cookie, now: Date): boolean {
  const expiry = cookie.expiryTime();
  return expiry === undefined || expiry > now.getTime();
}

export function toCookieEntry(cookie: Cookie): CookieEntry {
  return { ...toStoredCookie(cookie), created: iso(cookie.creation), lastAccessed: iso(cookie.lastAccessed) };
}

/** Every cookie that can still be sent, with the dates the tooltip shows. */
export async function listCookieEntries(jar: CookieJar, now: Date = new Date()): Promise<CookieEntry[]> {
  return (await jar.store.getAllCookies()).filter((c) => isLive(c, now)).map(toCookieEntry);
}

export async function findCookie(
  jar: CookieJar,
  ref: CookieRef,
  now: Date = new Date(),
): Promise<Cookie | null> {
  const all = await jar.store.getAllCookies();
  return (
    all.find((c) => c.domain === ref.domain && c.path === ref.path && c.key === ref.name && isLive(c, now)) ??
    null
  );
}

/** Why `value` cannot be a cookie value as it is, or null. */
export function valueProblem(value: string): string | null {
  if (/[;\x00-\x08\x0a-\x1f\x7f]/.test(value))
    return 'A cookie value cannot contain ";" or control characters';
  if (value !== value.trim()) return 'A cookie value cannot start or end with spaces';
  return null;
}

/** Changes a cookie's value, keeping every attribute (and the host-only flag) as it was. */
export async function setCookieValue(jar: CookieJar, ref: CookieRef, value: string, now = new Date()) {
  const problem = valueProblem(value);
  if (problem) throw new Error(problem);
  const old = await findCookie(jar, ref, now);
  if (!old) throw new Error(`Cookie ${ref.name} (${ref.domain}${ref.path}) is no longer in the jar`);
  const updated = old.clone() ?? old;
  updated.value = value;
  // A clone gets a new creation index, which would move it behind cookies of the same path and creation
  // time in the Cookie header; an edit, like a browser's overwrite, keeps the cookie's place (RFC 6265 5.3).
  updated.creationIndex = old.creationIndex;
  // The edit is the newest use: another window's save then keeps it (see jarStore.ts).
  updated.lastAccessed = now;
  await jar.store.updateCookie(old, updated);
  return toCookieEntry(updated);
}

/** `example.com`, `example.com/api`, `https://example.com:8443/x`: the URL a cookie is set from. */
export function targetUrl(text: string): URL | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)
    ? trimmed
    : `https://${trimmed.replace(/^\./, '')}`;
  try {
    const url = new URL(withScheme);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

export class CookieRejected extends Error {}

/**
 * Stores `setCookie` (a Set-Cookie value: `name=value; Path=/; Secure`) as
 * if a response from `url` had sent it: the same checks as a response's
 * cookies (tough-cookie's `setCookie` with `ignoreError: false`, plus the
 * engine's own), and the refusal reason when it is refused.
 */
export async function addCookie(
  jar: CookieJar,
  url: URL,
  setCookie: string,
  now = new Date(),
): Promise<CookieEntry> {
  const text = setCookie.trim();
  const parsed = Cookie.parse(text, { loose: true });
  if (!parsed || parsed.key === '')
    throw new CookieRejected(`"${setCookie}" could not be parsed as name=value`);
  const problem = valueProblem(parsed.value);
  if (problem) throw new CookieRejected(problem);
  const outcome = await storeResponseCookies(jar, url, [text], () => now);
  const rejected = outcome.rejected[0];
  if (rejected) throw new CookieRejected(rejected.reason);
  const stored = outcome.stored[0];
  const cookie =
    stored &&
    (await findCookie(
      jar,
      { domain: stored.domain ?? '', path: stored.path ?? '/', name: stored.name },
      now,
    ));
  if (!cookie) throw new CookieRejected('it was stored already expired (Max-Age=0 or a date in the past)');
  return toCookieEntry(cookie);
}

/** Checks `setCookie` against a scratch jar, for an input box's inline validation. */
export async function addCookieProblem(url: URL, setCookie: string): Promise<string | null> {
  try {
    await addCookie(createJar(), url, setCookie);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

export async function deleteCookie(jar: CookieJar, ref: CookieRef): Promise<void> {
  await jar.store.removeCookie(ref.domain, ref.path, ref.name);
}

/** Removes every cookie stored under `domain` (exactly that domain, host-only or not); returns how many the view showed. */
export async function clearDomain(jar: CookieJar, domain: string, now = new Date()): Promise<number> {
  const all = await jar.store.getAllCookies();
  const matching = all.filter((c) => c.domain === domain);
  for (const c of matching) await jar.store.removeCookie(c.domain, c.path, c.key);
  // Expired ones the store still held go too, but were never shown: "3 removed" must match the view.
  return matching.filter((c) => isLive(c, now)).length;
}

export async function exportCookiesTxt(
  jar: CookieJar,
  session: string,
  now = new Date(),
): Promise<{ text: string; count: number }> {
  const cookies = (await jar.store.getAllCookies()).filter((c) => isLive(c, now)).map(toStoredCookie);
  const entries = cookies.map(toCookiesTxtEntry);
  const text = formatCookiesTxt(entries, [
    `Session "${session}", exported by HTTP Session on ${now.toISOString()}.`,
    'Cookies are credentials: keep this file private. curl -b FILE sends them.',
  ]);
  return { text, count: entries.length };
}

export interface ImportResult {
  readonly imported: number;
  readonly skipped: readonly CookiesTxtProblem[];
}

/** ECMAScript's latest representable date. */
const MAX_DATE_MS = 8.64e15;

function cookieOf(entry: CookiesTxtEntry, now: Date): Cookie {
  const cookie = new Cookie({
    key: entry.name,
    value: entry.value,
    // Without a domain tough-cookie makes it host-only for the URL's host.
    domain: entry.includeSubdomains ? entry.domain : null,
    path: entry.path,
    secure: entry.secure,
    httpOnly: entry.httpOnly,
    // Past the largest date (some writers put 2^63-1 for "never") a Date is invalid and the cookie would never
    // be sent; the latest valid date is then capped to 400 days below.
    expires: entry.expires === 0 ? 'Infinity' : new Date(Math.min(entry.expires * 1000, MAX_DATE_MS)),
  });
  // The same 400-day cap as a response's cookies.
  return withAbsoluteExpiry(cookie, now);
}

function entryUrl(entry: CookiesTxtEntry): URL | null {
  const host =
    entry.domain.includes(':') && !entry.domain.startsWith('[') ? `[${entry.domain}]` : entry.domain;
  try {
    return new URL(`https://${host}${entry.path.startsWith('/') ? entry.path : `/${entry.path}`}`);
  } catch {
    return null;
  }
}

/**
 * Adds the file's cookies to the jar through tough-cookie's checks (public
 * suffixes, prefixes), as if each came from its domain over https. Expired
 * ones and refused ones are reported, not imported.
 */
export async function importCookiesTxt(
  jar: CookieJar,
  text: string,
  now = new Date(),
): Promise<ImportResult> {
  const parsed = parseCookiesTxt(text);
  const skipped: CookiesTxtProblem[] = [...parsed.problems];
  let imported = 0;
  for (const entry of parsed.entries) {
    const line = entry.line;
    if (entry.expires !== 0 && entry.expires * 1000 <= now.getTime()) {
      skipped.push({ line, message: `${entry.name} (${entry.domain}) has expired` });
      continue;
    }
    const url = entryUrl(entry);
    if (!url) {
      skipped.push({ line, message: `${entry.name}: "${entry.domain}" is not a host name` });
      continue;
    }
    try {
      await jar.setCookie(cookieOf(entry, now), url, { ignoreError: false, now });
      imported++;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      skipped.push({
        line,
        message: `${entry.name}: ${rejectionReason(message, entry.domain, url.hostname)}`,
      });
    }
  }
  skipped.sort((a, b) => a.line - b.line);
  return { imported, skipped };
}
