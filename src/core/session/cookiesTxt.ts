// Netscape `cookies.txt`, the format curl reads with `-b FILE` and writes
// with `-c FILE`: one cookie per line, seven tab-separated fields
//   domain  include-subdomains  path  secure  expiry  name  value
// with `#HttpOnly_` in front of the domain for HttpOnly cookies, TRUE/FALSE
// flags, the expiry in Unix seconds (0 for a session cookie) and a leading
// dot on domains that include their subdomains.
import type { StoredCookie } from './types';

export interface CookiesTxtEntry {
  /** Without the leading dot. */
  readonly domain: string;
  /** TRUE in the file: the cookie is sent to subdomains too (not host-only). */
  readonly includeSubdomains: boolean;
  readonly path: string;
  readonly secure: boolean;
  /** Unix seconds; 0 for a session cookie. */
  readonly expires: number;
  readonly name: string;
  readonly value: string;
  readonly httpOnly: boolean;
}

export interface CookiesTxtProblem {
  /** 1-based line number. */
  readonly line: number;
  readonly message: string;
}

export interface ParsedCookiesTxtEntry extends CookiesTxtEntry {
  /** 1-based line number it was read from. */
  readonly line: number;
}

export interface ParsedCookiesTxt {
  readonly entries: ParsedCookiesTxtEntry[];
  readonly problems: CookiesTxtProblem[];
}

const HTTP_ONLY_PREFIX = '#HttpOnly_';
export const COOKIES_TXT_HEADER = '# Netscape HTTP Cookie File';

function flag(text: string): boolean | null {
  const upper = text.toUpperCase();
  return upper === 'TRUE' ? true : upper === 'FALSE' ? false : null;
}

/** Reads every cookie line; a line that is not one is reported, not fatal. */
export function parseCookiesTxt(text: string): ParsedCookiesTxt {
  const entries: ParsedCookiesTxtEntry[] = [];
  const problems: CookiesTxtProblem[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const lineNo = index + 1;
    let line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    let httpOnly = false;
    if (line.startsWith(HTTP_ONLY_PREFIX)) {
      httpOnly = true;
      line = line.slice(HTTP_ONLY_PREFIX.length);
    } else if (line.startsWith('#')) {
      continue;
    }
    const fields = line.split('\t');
    // Some writers leave out the tab before an empty value.
    if (fields.length === 6) fields.push('');
    if (fields.length < 7) {
      problems.push({ line: lineNo, message: `expected 7 tab-separated fields, found ${fields.length}` });
      continue;
    }
    const [rawDomain, subdomains, path, secure, expiry, name] = fields as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const value = fields.slice(6).join('\t');
    const includeSubdomains = flag(subdomains);
    const isSecure = flag(secure);
    const domain = rawDomain.replace(/^\./, '').toLowerCase();
    const seconds = expiry.trim();
    if (domain === '') {
      problems.push({ line: lineNo, message: 'no domain' });
    } else if (includeSubdomains === null) {
      problems.push({
        line: lineNo,
        message: `include-subdomains flag is "${subdomains}", not TRUE or FALSE`,
      });
    } else if (isSecure === null) {
      problems.push({ line: lineNo, message: `secure flag is "${secure}", not TRUE or FALSE` });
    } else if (!/^(\d+(\.\d*)?)?$/.test(seconds)) {
      problems.push({ line: lineNo, message: `expiry "${expiry}" is not a number of seconds` });
    } else if (name === '') {
      problems.push({ line: lineNo, message: 'cookie without a name' });
    } else {
      entries.push({
        domain,
        includeSubdomains,
        path: path === '' ? '/' : path,
        secure: isSecure,
        // Python's http.cookiejar writes no expiry for a session cookie, and browser add-ons fractions of a
        // second (Firefox 142+): read them as 0 and whole seconds rather than lose the cookie.
        expires: seconds === '' ? 0 : Math.floor(Number(seconds)),
        name,
        value,
        httpOnly,
        line: lineNo,
      });
    }
  }
  return { entries, problems };
}

const TF = (b: boolean) => (b ? 'TRUE' : 'FALSE');

export function formatCookiesTxtLine(entry: CookiesTxtEntry): string {
  const domain = `${entry.httpOnly ? HTTP_ONLY_PREFIX : ''}${entry.includeSubdomains ? '.' : ''}${entry.domain}`;
  return [
    domain,
    TF(entry.includeSubdomains),
    entry.path,
    TF(entry.secure),
    String(entry.expires),
    entry.name,
    entry.value,
  ].join('\t');
}

/** A whole file: the header curl expects, optional comment lines, one line per cookie. */
export function formatCookiesTxt(
  entries: readonly CookiesTxtEntry[],
  comments: readonly string[] = [],
): string {
  const head = [COOKIES_TXT_HEADER, ...comments.map((c) => `# ${c}`), ''];
  return `${[...head, ...entries.map(formatCookiesTxtLine)].join('\n')}\n`;
}

export function toCookiesTxtEntry(cookie: StoredCookie): CookiesTxtEntry {
  const expires = cookie.expires === null ? 0 : Math.max(1, Math.floor(Date.parse(cookie.expires) / 1000));
  return {
    domain: (cookie.domain ?? '').replace(/^\./, ''),
    includeSubdomains: !cookie.hostOnly,
    path: cookie.path ?? '/',
    secure: cookie.secure,
    expires,
    name: cookie.name,
    value: cookie.value,
    httpOnly: cookie.httpOnly,
  };
}
