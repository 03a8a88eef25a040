// The per-request jar work, done straight on tough-cookie's in-memory index.
// tough-cookie redoes per call what depends only on the host (public suffix
// via tldts, IP regexes) and wraps every step in promises; for a send whose
// response sets a cookie that was most of the engine's cost over raw undici.
// The results are the same as tough-cookie's (test/unit/session/jarLookup.test.ts
// checks them against it). Cached: facts about host names, and per jar the
// cookie each Set-Cookie text stored, trusted only while the jar still holds
// that very cookie object unchanged.
import {
  type Cookie,
  type CookieJar,
  canonicalDomain,
  cookieCompare,
  defaultPath,
  domainMatch,
  getPublicSuffix,
  MemoryCookieStore,
  pathMatch,
  permuteDomain,
} from 'tough-cookie';

/** Entries each cache keeps: a session talks to few hosts, but a scan of many must not grow memory. */
export const ENTRIES_KEPT = 256;

interface HostFacts {
  /** The host as tough-cookie compares it. */
  readonly host: string;
  /** The domains whose cookies may be sent to it (tough-cookie's `permuteDomain`). */
  readonly domains: readonly string[];
  /** Loopback: trustworthy even over plain http. */
  readonly loopback: boolean;
}

const hostFacts = new Map<string, HostFacts>();
const registrable = new Map<string, string>();

function remember<T>(map: Map<string, T>, key: string, value: T): T {
  if (map.size >= ENTRIES_KEPT) map.delete(map.keys().next().value as string);
  map.set(key, value);
  return value;
}

function factsFor(hostname: string): HostFacts {
  const known = hostFacts.get(hostname);
  if (known) return known;
  const host = canonicalDomain(hostname) ?? '';
  const domains = host ? (permuteDomain(host, true) ?? [host]) : [];
  return remember(hostFacts, hostname, { host, domains, loopback: isLoopback(hostname) });
}

/** localhost, its subdomains and loopback addresses: as in browsers, they may use Secure cookies over http. */
export function isLoopback(hostname: string): boolean {
  const host = hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.+$/, '')
    .toLowerCase();
  return (
    host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1'
  );
}

/** `isTrustworthy` with the host's part remembered. */
export function trustworthyOrigin(url: { readonly protocol: string; readonly hostname: string }): boolean {
  if (url.protocol === 'https:') return true;
  return hostFacts.get(url.hostname)?.loopback ?? isLoopback(url.hostname);
}

/** The number of cached host facts (for tests). */
export function cachedHosts(): number {
  return hostFacts.size;
}

/** The domain a cookie's domain counts against for the per-domain limit. */
export function registrableDomain(domain: string): string {
  const known = registrable.get(domain);
  if (known !== undefined) return known;
  let value: string;
  try {
    value = getPublicSuffix(domain, { allowSpecialUseDomain: true }) ?? domain;
  } catch {
    value = domain;
  }
  return remember(registrable, domain, value);
}

type Index = MemoryCookieStore['idx'];

/** The jar's index when it is a plain in-memory jar configured as `createJar` does, else null. */
function memoryIndex(jar: CookieJar): Index | null {
  const { store } = jar;
  const options = jar as unknown as { allowSpecialUseDomain?: boolean; allowSecureOnLocal?: boolean };
  if (
    !(store instanceof MemoryCookieStore) ||
    store.findCookies !== MemoryCookieStore.prototype.findCookies ||
    store.removeCookie !== MemoryCookieStore.prototype.removeCookie ||
    store.getAllCookies !== MemoryCookieStore.prototype.getAllCookies ||
    options.allowSpecialUseDomain !== true ||
    options.allowSecureOnLocal !== true
  ) {
    return null;
  }
  return store.idx;
}

/**
 * What `jar.getCookieString(url)` gives, including its side effects (expired
 * cookies leave the store, sent ones get `lastAccessed` now, which the
 * sidebar shows and saved jars merge by), or null when the jar is not one
 * this shortcut knows. `url` is what `cookieUrl` makes; `trustworthy` says
 * whether it may receive Secure cookies.
 */
export function jarCookieHeader(
  jar: CookieJar,
  url: { readonly hostname: string; readonly pathname: string },
  trustworthy: boolean,
): string | null {
  const idx = memoryIndex(jar);
  if (idx === null) return null;
  const { host, domains } = factsFor(url.hostname);
  let path = url.pathname;
  if (path.includes('%')) {
    try {
      path = decodeURI(path);
    } catch {
      // As tough-cookie: a path that does not decode is matched as it is.
    }
  }
  path ||= '/';
  const found: Cookie[] = [];
  for (const domain of domains) {
    const domainIndex = idx[domain];
    if (!domainIndex) continue;
    for (const cookiePath in domainIndex) {
      if (!pathMatch(path, cookiePath)) continue;
      const pathIndex = domainIndex[cookiePath];
      for (const key in pathIndex) {
        const cookie = pathIndex[key];
        if (cookie) found.push(cookie);
      }
    }
  }
  if (found.length === 0) return '';
  const now = Date.now();
  const store = jar.store;
  const sent: Cookie[] = [];
  for (const c of found) {
    if (c.hostOnly ? c.domain !== host : !domainMatch(host, c.domain ?? undefined, false)) continue;
    if (typeof c.path === 'string' && !pathMatch(path, c.path)) continue;
    if (c.secure && !trustworthy) continue;
    const expiry = c.expiryTime();
    if (expiry !== undefined && expiry <= now) {
      store.removeCookie(c.domain, c.path, c.key, () => {});
      continue;
    }
    sent.push(c);
  }
  if (sent.length > 1) sent.sort(cookieCompare);
  const accessed = new Date();
  const pairs: string[] = [];
  for (const cookie of sent) {
    cookie.lastAccessed = accessed;
    pairs.push(cookie.cookieString());
  }
  return pairs.join('; ');
}

/** Every cookie in the jar, in no particular order, or null when the jar is not a plain in-memory one. */
export function jarCookies(jar: CookieJar): Cookie[] | null {
  const idx = memoryIndex(jar);
  if (idx === null) return null;
  const all: Cookie[] = [];
  for (const domain in idx) {
    const domainIndex = idx[domain];
    for (const path in domainIndex) {
      const pathIndex = domainIndex[path];
      for (const key in pathIndex) {
        const cookie = pathIndex[key];
        if (cookie != null) all.push(cookie);
      }
    }
  }
  return all;
}

/** How many cookies the jar holds, or null when it is not a plain in-memory one. */
export function jarCookieCount(jar: CookieJar): number | null {
  const idx = memoryIndex(jar);
  if (idx === null) return null;
  let count = 0;
  for (const domain in idx) {
    const domainIndex = idx[domain];
    for (const path in domainIndex) {
      const pathIndex = domainIndex[path];
      for (const key in pathIndex) if (pathIndex[key] != null) count++;
    }
  }
  return count;
}

interface Remembered {
  readonly cookie: Cookie;
  readonly value: string;
}

// Per jar: a server sends the same few Set-Cookie texts again and again.
const resets = new WeakMap<CookieJar, Map<string, Remembered>>();

/**
 * The same Set-Cookie text from the same origin and directory stores the same
 * cookie again, when its expiry does not depend on the time it arrives and no
 * other cookie in the jar can change the outcome. tough-cookie would then
 * replace the cookie with an equal one, keeping its creation and only moving
 * `lastAccessed`: this does that without parsing and checking it again.
 */
export function resetKey(text: string, url: URL, trustworthy: boolean): string {
  return `${trustworthy ? 's' : 'n'} ${url.hostname} ${defaultPath(url.pathname)} ${text}`;
}

/** The cookie `key` stored last time, if it is still the jar's and unchanged. */
export function storedBefore(jar: CookieJar, key: string): Cookie | null {
  const known = resets.get(jar)?.get(key);
  if (!known) return null;
  const idx = memoryIndex(jar);
  const { cookie } = known;
  if (
    idx === null ||
    cookie.domain == null ||
    cookie.path == null ||
    idx[cookie.domain]?.[cookie.path]?.[cookie.key] !== cookie ||
    cookie.value !== known.value
  ) {
    return null;
  }
  return cookie;
}

/** Remembers that `key` stored `cookie` (call only when storing it again would give an equal cookie). */
export function rememberStored(jar: CookieJar, key: string, cookie: Cookie): void {
  if (memoryIndex(jar) === null) return;
  let map = resets.get(jar);
  if (!map) {
    map = new Map();
    resets.set(jar, map);
  }
  map.delete(key);
  remember(map, key, { cookie, value: cookie.value });
}
