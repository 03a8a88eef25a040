// What the Sessions view shows for one session, as plain data: cookies
// grouped by domain, connections grouped by origin, every label, description
// and tooltip. A pure function of the cookies and connections, so it is
// tested without VS Code; sessionTree.ts only turns it into TreeItems.
import { MASK } from '../../core/mask';
import type { ConnectionView, StoredCookie } from '../../core/session';

/** A cookie as the jar holds it, with the dates tough-cookie keeps. */
export interface CookieEntry extends StoredCookie {
  /** ISO date the jar first stored it. */
  readonly created: string | null;
  /** ISO date it was last set or sent. */
  readonly lastAccessed: string | null;
}

export interface CookieId {
  readonly session: string;
  readonly domain: string;
  readonly path: string;
  readonly name: string;
}

export interface CookieModel {
  readonly id: string;
  readonly key: CookieId;
  readonly label: string;
  readonly description: string;
  /** Markdown. */
  readonly tooltip: string;
  readonly cookie: CookieEntry;
}

export interface DomainModel {
  readonly id: string;
  readonly domain: string;
  readonly label: string;
  readonly description: string;
  readonly cookies: readonly CookieModel[];
}

export interface ConnectionModel {
  readonly id: string;
  readonly connectionId: number;
  readonly label: string;
  readonly description: string;
  readonly tooltip: string;
  readonly busy: boolean;
}

export interface OriginModel {
  readonly id: string;
  readonly origin: string;
  readonly label: string;
  readonly description: string;
  readonly connections: readonly ConnectionModel[];
}

export interface SessionModel {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly description: string;
  readonly tooltip: string;
  readonly cookieCount: number;
  readonly connectionCount: number;
  readonly domains: readonly DomainModel[];
  readonly origins: readonly OriginModel[];
  /** Epoch ms when the next cookie expires (the view refreshes then), or null. */
  readonly nextExpiry: number | null;
}

export interface SessionModelInput {
  readonly name: string;
  readonly cookies: readonly CookieEntry[];
  readonly connections: readonly ConnectionView[];
  readonly now: Date;
  /** Hide cookie values (httpSession.maskSecrets, unless shown for this window). */
  readonly masked: boolean;
}

const VALUE_LENGTH = 40;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Ids are unique over the whole tree and stable while the thing exists. */
export const ids = {
  session: (session: string) => `session/${session}`,
  cookies: (session: string) => `cookies/${session}`,
  connections: (session: string) => `connections/${session}`,
  domain: (session: string, domain: string) => `domain/${session}/${domain}`,
  cookie: (k: CookieId) => `cookie/${k.session}/${k.domain}\t${k.path}\t${k.name}`,
  origin: (session: string, origin: string) => `origin/${session}/${origin}`,
  connection: (session: string, origin: string, id: number) => `connection/${session}/${origin}#${id}`,
};

export function shorten(text: string, max = VALUE_LENGTH): string {
  if (text.length <= max) return text;
  // Not between the two halves of a surrogate pair (an emoji): half of one shows as �.
  const cut = text.slice(0, max - 1);
  return `${/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}

function expiryTime(cookie: CookieEntry): number | null {
  return cookie.expires === null ? null : Date.parse(cookie.expires);
}

export function isExpired(cookie: CookieEntry, now: Date): boolean {
  const expiry = expiryTime(cookie);
  return expiry !== null && expiry <= now.getTime();
}

/** `2026-01-02 03:04:05 UTC`: the same in every test and on every machine. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `in 5 min`, `3 h ago`: coarse on purpose, the exact date is beside it. */
export function relative(iso: string, now: Date): string {
  const ms = Date.parse(iso) - now.getTime();
  const abs = Math.abs(ms);
  const units: [number, string][] = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1000, 's'],
  ];
  const [size, unit] = units.find(([size]) => abs >= size) ?? [1000, 's'];
  const n = Math.floor(abs / size);
  return ms >= 0 ? `in ${n} ${unit}` : `${n} ${unit} ago`;
}

/** An inline code span that survives any backticks in `text`. */
export function code(text: string): string {
  if (text === '') return '*(empty)*';
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

export function cookieDescription(cookie: CookieEntry, masked: boolean): string {
  const value = masked ? MASK : cookie.value === '' ? '(empty)' : shorten(cookie.value);
  return cookie.path && cookie.path !== '/' ? `${value} · ${cookie.path}` : value;
}

export function cookieTooltip(cookie: CookieEntry, now: Date, masked: boolean): string {
  const domain = cookie.domain ?? '';
  const expires =
    cookie.expires === null
      ? 'session (until the session is reset)'
      : `${formatDate(cookie.expires)} (${relative(cookie.expires, now)})`;
  const rows: [string, string][] = [
    ['Domain', cookie.hostOnly ? `${code(domain)} only` : `${code(domain)} and its subdomains`],
    ['Path', code(cookie.path ?? '/')],
    ['Expires', expires],
    ['Secure', yesNo(cookie.secure)],
    ['HttpOnly', yesNo(cookie.httpOnly)],
    ['SameSite', cookie.sameSite ? cookie.sameSite[0]!.toUpperCase() + cookie.sameSite.slice(1) : 'not set'],
    ['Host-only', yesNo(cookie.hostOnly)],
    [
      'Created',
      cookie.created ? `${formatDate(cookie.created)} (${relative(cookie.created, now)})` : 'unknown',
    ],
    [
      'Last set or sent',
      cookie.lastAccessed
        ? `${formatDate(cookie.lastAccessed)} (${relative(cookie.lastAccessed, now)})`
        : 'unknown',
    ],
  ];
  const value = masked ? `${MASK} *(hidden: httpSession.maskSecrets)*` : code(cookie.value);
  return [
    `**${escapeMarkdown(cookie.name)}** = ${value}`,
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`),
  ].join('\n');
}

export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}

function byName(a: CookieEntry, b: CookieEntry): number {
  return a.name.localeCompare(b.name) || (a.path ?? '').localeCompare(b.path ?? '');
}

/** Domains sorted by their registrable part first (`api.example.com` next to `example.com`). */
function domainOrder(a: string, b: string): number {
  const rev = (d: string) => d.split('.').reverse().join('.');
  return rev(a).localeCompare(rev(b));
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

export function buildSessionModel(input: SessionModelInput): SessionModel {
  const { name, now, masked } = input;
  const cookies = input.cookies.filter((c) => !isExpired(c, now));
  const byDomain = groupBy(cookies, (c) => c.domain ?? '');
  const domains: DomainModel[] = [...byDomain.keys()].sort(domainOrder).map((domain) => {
    const list = byDomain.get(domain)!.sort(byName);
    return {
      id: ids.domain(name, domain),
      domain,
      label: domain,
      description: plural(list.length, 'cookie'),
      cookies: list.map((cookie) => {
        const key: CookieId = { session: name, domain, path: cookie.path ?? '/', name: cookie.name };
        return {
          id: ids.cookie(key),
          key,
          label: cookie.name,
          description: cookieDescription(cookie, masked),
          tooltip: cookieTooltip(cookie, now, masked),
          cookie,
        };
      }),
    };
  });

  const byOrigin = groupBy(input.connections, (c) => c.origin);
  const origins: OriginModel[] = [...byOrigin.keys()].sort().map((origin) => {
    const list = byOrigin.get(origin)!.sort((a, b) => a.id - b.id);
    const busy = list.filter((c) => c.state === 'busy').length;
    return {
      id: ids.origin(name, origin),
      origin,
      label: origin,
      description: `${plural(list.length, 'socket')}${busy ? `, ${busy} busy` : ''}`,
      connections: list.map((c) => ({
        id: ids.connection(name, origin, c.id),
        connectionId: c.id,
        label: `#${c.id}`,
        description: `${plural(c.requests, 'request')} · ${c.state}${c.insecure ? ' · TLS unverified' : ''}`,
        tooltip: [
          `Connection #${c.id} to ${origin}`,
          c.remoteAddress ? `Remote address: ${c.remoteAddress}` : null,
          `Requests carried: ${c.requests}`,
          `State: ${c.state}`,
          c.insecure ? 'TLS verification off for this connection' : null,
        ]
          .filter((line) => line !== null)
          .join('\n'),
        busy: c.state === 'busy',
      })),
    };
  });

  const expiries = cookies.map(expiryTime).filter((t): t is number => t !== null);
  const connectionCount = input.connections.length;
  const description = `${plural(cookies.length, 'cookie')} · ${plural(connectionCount, 'connection')}`;
  return {
    id: ids.session(name),
    name,
    label: name,
    description,
    tooltip: `Session "${name}": ${description}`,
    cookieCount: cookies.length,
    connectionCount,
    domains,
    origins,
    nextExpiry: expiries.length ? Math.min(...expiries) : null,
  };
}

/** `Cookie:` header for some cookies, in the jar's order (longer paths first, then older). */
export function cookieHeader(cookies: readonly Pick<StoredCookie, 'name' | 'value'>[]): string {
  return `Cookie: ${cookies.map((c) => `${c.name}=${c.value}`).join('; ')}`;
}
