// The session's cookie jar: how it is configured, how responses fill it,
// how a request's written Cookie header is merged with it, and why a cookie
// was refused, in words a user can act on.
import { Cookie, CookieJar } from 'tough-cookie';
import type { Header } from './headers';
import type { CookieOutcome, RejectedCookie, SameSite, StoredCookie } from './types';

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
  if (typeof cookie.maxAge === 'number') {
    cookie.expires = new Date(cookie.maxAge <= 0 ? 0 : receivedAt.getTime() + cookie.maxAge * 1000);
    cookie.maxAge = null;
  }
  return cookie;
}

export async function storeResponseCookies(
  jar: CookieJar,
  url: URL,
  setCookies: readonly string[],
  now: () => Date = () => new Date(),
): Promise<CookieOutcome> {
  const stored: StoredCookie[] = [];
  const rejected: RejectedCookie[] = [];
  // One at a time and in order: a later Set-Cookie for the same name must win.
  for (const value of setCookies) {
    const parsed = Cookie.parse(value, { loose: true });
    try {
      const cookie = await jar.setCookie(parsed ? withAbsoluteExpiry(parsed, now()) : value, url, {
        ignoreError: false,
      });
      if (cookie) {
        stored.push(toStoredCookie(cookie));
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      rejected.push({
        cookie: value,
        reason: rejectionReason(message, parsed?.domain ?? null, url.hostname),
      });
    }
  }
  return { stored, rejected };
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
  const isCookie = ([name]: Header) => name.toLowerCase() === 'cookie';
  const written = headers.filter(isCookie).flatMap(([, value]) => cookiePairs(value));
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
