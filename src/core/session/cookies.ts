// The session's cookie jar: how it is configured, how responses fill it,
// how a request's written Cookie header is merged with it, and why a cookie
// was refused, in words a user can act on.
import { Cookie, CookieJar, defaultPath, domainMatch, getPublicSuffix, pathMatch } from 'tough-cookie';
import { type Header, hasHeader } from './headers';
import {
  isLoopback,
  jarCookieCount,
  jarCookieHeader,
  jarCookies,
  registrableDomain,
  rememberStored,
  resetKey,
  storedBefore,
  trustworthyOrigin,
} from './jarLookup';
import type { CookieOutcome, RejectedCookie, SameSite, StoredCookie } from './types';

/** RFC 6265bis 5.6: a cookie whose name and value together are longer is ignored. */
export const MAX_NAME_VALUE_BYTES = 4096;
/** RFC 6265bis 5.6: a longer attribute value is ignored (the attribute, not the cookie). */
export const MAX_ATTRIBUTE_VALUE_BYTES = 1024;
/** RFC 6265bis 5.6.1/5.6.2 (and Chrome, Firefox): no cookie lives longer than 400 days. */
export const MAX_COOKIE_AGE_MS = 400 * 24 * 60 * 60 * 1000;
/** Like Chrome and Firefox: at most this many cookies per registrable domain; the least recently used go. */
export const MAX_COOKIES_PER_DOMAIN = 180;

// CTLs other than HTAB (RFC 6265bis 5.6): such a Set-Cookie is ignored whole.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** A jar that behaves like a browser's: loose parsing, public suffixes and bad cookie prefixes refused. */
export function createJar(): CookieJar {
  return new CookieJar(undefined, {
    looseMode: true,
    rejectPublicSuffixes: true,
    // `strict` makes tough-cookie report bad __Host-/__Secure- cookies instead of dropping them silently.
    prefixSecurity: 'strict',
    allowSpecialUseDomain: true,
  });
}

/**
 * Max-Age counts from when the cookie was received (RFC 6265 5.2.2), but
 * tough-cookie counts it from the cookie's last use, so it would slide with
 * every request and restart after a reload from disk. Fix it as a date.
 */
export function withAbsoluteExpiry(cookie: Cookie, receivedAt: Date): Cookie {
  const limit = receivedAt.getTime() + MAX_COOKIE_AGE_MS;
  if (cookie.maxAge !== null && cookie.maxAge !== undefined) {
    // A Max-Age too long for a number is parsed as "Infinity"; capping also keeps the date valid.
    const maxAge =
      cookie.maxAge === 'Infinity' ? Infinity : cookie.maxAge === '-Infinity' ? -Infinity : cookie.maxAge;
    cookie.expires = new Date(maxAge <= 0 ? 0 : Math.min(limit, receivedAt.getTime() + maxAge * 1000));
    cookie.maxAge = null;
  } else if (cookie.expires instanceof Date && cookie.expires.getTime() > limit) {
    cookie.expires = new Date(limit);
  }
  return cookie;
}

/**
 * What tough-cookie needs to know of a URL for cookies. It decodes the path
 * before matching, but browsers match the path as it is in the URL
 * (percent-encoded), so `Path=/a%20b` would never match; escaping every `%`
 * makes its decoding give back the path as written.
 */
export function cookieUrl(url: URL): URL {
  const { pathname } = url;
  return {
    hostname: url.hostname,
    pathname: pathname.includes('%') ? pathname.replace(/%/g, '%25') : pathname,
    protocol: url.protocol,
  } as URL;
}

/** The jar's Cookie header value for a request to `url`. */
export function cookieHeaderFor(jar: CookieJar, url: URL): Promise<string> {
  const header = cookieHeaderNow(jar, url);
  return header !== null ? Promise.resolve(header) : jar.getCookieString(cookieUrl(url));
}

/** The same without waiting, or null when only tough-cookie itself can say (then use `cookieHeaderFor`). */
export function cookieHeaderNow(jar: CookieJar, url: URL): string | null {
  try {
    return jarCookieHeader(jar, cookieUrl(url), trustworthyOrigin(url));
  } catch {
    // tough-cookie then says what is wrong with the host.
    return null;
  }
}

/** http(s) origins that may set and receive Secure cookies: https, and loopback (as in browsers). */
export function isTrustworthy(url: URL): boolean {
  return url.protocol === 'https:' || isLoopback(url.hostname);
}

type Screened =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly reason: string };

/**
 * The RFC 6265bis rules tough-cookie does not apply, checked on the
 * Set-Cookie text before it reaches the jar: control characters, the size
 * limits, a cookie with neither name nor value, a nameless cookie posing as
 * a prefixed one, and `Domain=` naming a public suffix that is the host itself
 * (then the cookie is host-only, not refused).
 */
export function screenSetCookie(text: string, host: string): Screened {
  if (text.trim() === '') return { ok: true, value: text };
  const control = CONTROL.exec(text);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return { ok: false, reason: `contains the control character U+${code}` };
  }
  const [pair = '', ...attributes] = text.split(';');
  const eq = pair.indexOf('=');
  const name = eq < 0 ? '' : pair.slice(0, eq).trim();
  const value = (eq < 0 ? pair : pair.slice(eq + 1)).trim();
  if (name === '' && value === '') return { ok: false, reason: 'has neither a name nor a value' };
  if (name.length + value.length > MAX_NAME_VALUE_BYTES) {
    return {
      ok: false,
      reason: `name and value are ${name.length + value.length} bytes, more than the ${MAX_NAME_VALUE_BYTES} a cookie may have`,
    };
  }
  if (name === '' && /^__(secure|host)-/i.test(value)) {
    return { ok: false, reason: 'a cookie without a name may not look like a __Secure- or __Host- cookie' };
  }
  const kept: string[] = [];
  let domain: string | null = null;
  for (const attribute of attributes) {
    const at = attribute.indexOf('=');
    if (at >= 0 && attribute.slice(at + 1).trim().length > MAX_ATTRIBUTE_VALUE_BYTES) continue;
    const key = (at < 0 ? attribute : attribute.slice(0, at)).trim().toLowerCase();
    if (key === 'domain' && at >= 0) {
      const d = attribute
        .slice(at + 1)
        .trim()
        .replace(/^\./, '')
        .toLowerCase();
      if (d) domain = d;
    }
    kept.push(attribute);
  }
  let result = kept;
  if (domain !== null && domain === host.toLowerCase() && isPublicSuffix(domain)) {
    result = kept.filter((attribute) => !/^\s*domain\s*(=|$)/i.test(attribute));
  }
  return { ok: true, value: [pair, ...result].join(';') };
}

function isPublicSuffix(domain: string): boolean {
  try {
    return getPublicSuffix(domain, { allowSpecialUseDomain: true }) == null;
  } catch {
    return true;
  }
}

/**
 * RFC 6265bis 5.7 step 16 ("leave secure cookies alone"): a non-Secure
 * cookie from an insecure origin may not replace or shadow a Secure one.
 */
async function shadowsSecureCookie(
  secureCookies: () => Promise<readonly Cookie[]>,
  cookie: Cookie,
  url: URL,
): Promise<boolean> {
  if (cookie.secure || isTrustworthy(url)) return false;
  const host = url.hostname.toLowerCase();
  const domain = cookie.domain ?? host;
  const path = cookie.path?.startsWith('/') ? cookie.path : defaultPath(url.pathname);
  const all = await secureCookies();
  return all.some(
    (old) =>
      old.key === cookie.key &&
      old.secure &&
      old.domain !== null &&
      (domainMatch(old.domain, domain) === true || domainMatch(domain, old.domain) === true) &&
      old.path !== null &&
      pathMatch(path, old.path),
  );
}

export const SAME_SITE_NONE_WITHOUT_SECURE =
  'SameSite=None cookie without the Secure attribute — browsers refuse it; the server must add Secure (and send it over https)';

export interface StoreOutcome extends CookieOutcome {
  /** Cookies dropped to keep a domain within MAX_COOKIES_PER_DOMAIN. */
  readonly evicted: number;
}

export async function storeResponseCookies(
  jar: CookieJar,
  url: URL,
  setCookies: readonly string[],
  now: () => Date = () => new Date(),
): Promise<StoreOutcome> {
  const stored: Cookie[] = [];
  const rejected: RejectedCookie[] = [];
  // Read once per response, not once per Set-Cookie: 10,000 headers from a plain-http host took
  // 14 s of blocked event loop (O(n²)). Only a Secure cookie stored below can change the list.
  const cache: { secure?: Promise<Cookie[]> } = {};
  const secureCookies = () => (cache.secure ??= allCookies(jar).then((all) => all.filter((c) => c.secure)));
  const trustworthy = trustworthyOrigin(url);
  // One at a time and in order: a later Set-Cookie for the same name must win.
  for (const value of setCookies) {
    const key = resetKey(value, url, trustworthy);
    const again = storedBefore(jar, key);
    if (again) {
      // What tough-cookie's replacing it with an equal cookie would change.
      again.lastAccessed = new Date();
      stored.push(again);
      continue;
    }
    const screened = screenSetCookie(value, url.hostname);
    if (!screened.ok) {
      rejected.push({ cookie: value, reason: screened.reason });
      continue;
    }
    const parsed = Cookie.parse(screened.value, { loose: true });
    // RFC 6265bis 5.7 (and Chrome, Firefox): SameSite=None only with Secure; the last SameSite counts.
    if (parsed?.sameSite === 'none' && !parsed.secure) {
      rejected.push({ cookie: value, reason: SAME_SITE_NONE_WITHOUT_SECURE });
      continue;
    }
    if (parsed && (await shadowsSecureCookie(secureCookies, parsed, url))) {
      rejected.push({
        cookie: value,
        reason: `would replace a Secure cookie of the same name, and ${url.hostname} is not https`,
      });
      continue;
    }
    try {
      const receivedAt = parsed ? now() : null;
      // Storing the text again gives an equal cookie unless its expiry counts from now (Max-Age, or
      // an Expires date capped at 400 days from now) or other Secure cookies could make it shadow one.
      const repeatable =
        parsed !== undefined &&
        receivedAt !== null &&
        (parsed.maxAge === null || parsed.maxAge === undefined) &&
        !(
          parsed.expires instanceof Date &&
          parsed.expires.getTime() > receivedAt.getTime() + MAX_COOKIE_AGE_MS
        ) &&
        (parsed.secure || trustworthy);
      const cookie = await jar.setCookie(
        parsed && receivedAt ? withAbsoluteExpiry(parsed, receivedAt) : value,
        cookieUrl(url),
        {
          ignoreError: false,
        },
      );
      if (cookie) {
        stored.push(cookie);
        if (repeatable && cookie === parsed) rememberStored(jar, key, cookie);
        if (cookie.secure && cache.secure) (await cache.secure).push(cookie);
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      rejected.push({
        cookie: value,
        reason: rejectionReason(message, parsed?.domain ?? null, url.hostname),
      });
    }
  }
  const overLimit =
    stored.length > 0 && (jarCookieCount(jar) ?? Number.POSITIVE_INFINITY) > MAX_COOKIES_PER_DOMAIN;
  const evicted = overLimit ? await evictOverLimit(jar) : new Set<Cookie>();
  return {
    stored: stored.filter((c) => !evicted.has(c)).map(toStoredCookie),
    rejected,
    evicted: evicted.size,
  };
}

/** The jar's cookies; order does not matter to the callers. */
function allCookies(jar: CookieJar): Promise<Cookie[]> {
  const all = jarCookies(jar);
  return all !== null ? Promise.resolve(all) : jar.store.getAllCookies();
}

/**
 * `storeResponseCookies` without waiting, for the common case of a server
 * sending again Set-Cookie texts it sent before (see `resetKey`); null when
 * any of them needs the full treatment.
 */
export function storeRepeatedCookies(
  jar: CookieJar,
  url: URL,
  setCookies: readonly string[],
): StoreOutcome | null {
  const trustworthy = trustworthyOrigin(url);
  const cookies: Cookie[] = [];
  for (const value of setCookies) {
    const cookie = storedBefore(jar, resetKey(value, url, trustworthy));
    if (!cookie) return null;
    cookies.push(cookie);
  }
  if ((jarCookieCount(jar) ?? Number.POSITIVE_INFINITY) > MAX_COOKIES_PER_DOMAIN) return null;
  const accessed = new Date();
  const now = accessed.getTime();
  for (const cookie of cookies) {
    // A fixed Expires that has passed, or is past the 400-day cap now (the clock moved), is the full path's work.
    const expires = cookie.expires instanceof Date ? cookie.expires.getTime() : null;
    if (expires !== null && (expires <= now || expires > now + MAX_COOKIE_AGE_MS)) return null;
  }
  for (const cookie of cookies) cookie.lastAccessed = accessed;
  return { stored: cookies.map(toStoredCookie), rejected: [], evicted: 0 };
}

/** Keeps at most MAX_COOKIES_PER_DOMAIN per registrable domain, dropping the least recently used. */
async function evictOverLimit(jar: CookieJar): Promise<Set<Cookie>> {
  const evicted = new Set<Cookie>();
  const all = await allCookies(jar);
  if (all.length <= MAX_COOKIES_PER_DOMAIN) return evicted;
  const byDomain = new Map<string, Cookie[]>();
  for (const cookie of all) {
    const key = registrableDomain(cookie.domain ?? '');
    const list = byDomain.get(key);
    if (list) list.push(cookie);
    else byDomain.set(key, [cookie]);
  }
  const time = (d: Date | 'Infinity' | null | undefined) => (d instanceof Date ? d.getTime() : 0);
  for (const list of byDomain.values()) {
    if (list.length <= MAX_COOKIES_PER_DOMAIN) continue;
    list.sort(
      (a, b) =>
        time(a.lastAccessed) - time(b.lastAccessed) || (a.creationIndex ?? 0) - (b.creationIndex ?? 0),
    );
    for (const cookie of list.slice(0, list.length - MAX_COOKIES_PER_DOMAIN)) {
      await jar.store.removeCookie(cookie.domain, cookie.path, cookie.key);
      evicted.add(cookie);
    }
  }
  return evicted;
}

const REASONS: readonly (readonly [RegExp, (domain: string | null, host: string) => string])[] = [
  [/failed to parse/i, () => 'could not be parsed as a cookie'],
  [/special use domain/i, (d) => `Domain=${d} is a special-use domain`],
  [/public suffix/i, (d) => `Domain=${d} is a public suffix — no site may set cookies for all of it`],
  [/not in this host's domain/i, (d, h) => `Domain=${d} does not match the request host ${h}`],
  [
    /Secure but this is not a secure connection/i,
    (_d, h) => `Secure cookie set over plain http by ${h} — only https may set it`,
  ],
  [/__Secure prefix/i, () => '__Secure- cookie without the Secure attribute'],
  [/__Host prefix/i, () => '__Host- cookie must be Secure, have Path=/ and no Domain'],
  [/HttpOnly/i, () => 'HttpOnly cookie refused outside HTTP'],
];

/** Maps tough-cookie's error messages to a short reason naming the domain or host involved. */
export function rejectionReason(message: string, domain: string | null, host: string): string {
  const match = REASONS.find(([pattern]) => pattern.test(message));
  return match ? match[1](domain, host) : message.replace(/\s+/g, ' ');
}

export function toStoredCookie(cookie: Cookie): StoredCookie {
  const expiry = cookie.expiryTime();
  let expires: string | null = null;
  if (expiry !== undefined && expiry !== Number.POSITIVE_INFINITY) {
    expires = new Date(Number.isFinite(expiry) ? expiry : 0).toISOString();
  }
  return {
    name: cookie.key,
    value: cookie.value,
    domain: cookie.domain,
    path: cookie.path,
    expires,
    secure: cookie.secure,
    httpOnly: cookie.httpOnly,
    sameSite: sameSiteOf(cookie.sameSite),
    hostOnly: cookie.hostOnly === true,
  };
}

function sameSiteOf(value: string | undefined): SameSite {
  const lower = value?.toLowerCase();
  return lower === 'strict' || lower === 'lax' || lower === 'none' ? lower : null;
}

/** Every cookie that can still be sent (the store keeps expired ones until they are next looked up). */
export async function listCookies(jar: CookieJar, now: Date = new Date()): Promise<StoredCookie[]> {
  const cookies = await jar.store.getAllCookies();
  return cookies
    .filter((cookie) => {
      const expiry = cookie.expiryTime();
      return expiry === undefined || expiry > now.getTime();
    })
    .map(toStoredCookie);
}

/** `cookiePairs(header)` joined again, without the objects. */
function joinPairs(header: string): string {
  let joined = '';
  for (const part of header.split(';')) {
    const pair = part.trim();
    if (pair) joined = joined ? `${joined}; ${pair}` : pair;
  }
  return joined;
}

function cookiePairs(header: string): { name: string; pair: string }[] {
  return header
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair.length > 0)
    .map((pair) => {
      const eq = pair.indexOf('=');
      return { name: eq < 0 ? '' : pair.slice(0, eq).trim(), pair };
    });
}

/**
 * One Cookie header from the written ones plus the jar's: a cookie the
 * request writes beats the jar's cookie of the same name. The header stays
 * where the user wrote it, or goes last.
 */
export function mergeCookieHeader(headers: readonly Header[], jarCookies: string): Header[] {
  const isCookie = (header: Header) => header[0].toLowerCase() === 'cookie';
  if (!hasHeader(headers, 'cookie')) {
    // Nothing written to merge with (the usual case, once per request): the jar's cookies go last.
    const value = joinPairs(jarCookies);
    const result = headers.slice();
    if (value) result.push(['Cookie', value]);
    return result;
  }
  const written = headers.filter(isCookie).flatMap((header) => cookiePairs(header[1]));
  const writtenNames = new Set(written.map((c) => c.name));
  const fromJar = cookiePairs(jarCookies).filter((c) => !writtenNames.has(c.name));
  const value = [...written, ...fromJar].map((c) => c.pair).join('; ');
  const at = headers.findIndex(isCookie);
  const merged = headers.filter((h) => !isCookie(h));
  if (value) {
    const name = at >= 0 ? headers[at]![0] : 'Cookie';
    merged.splice(at >= 0 ? at : merged.length, 0, [name, value]);
  }
  return merged;
}
