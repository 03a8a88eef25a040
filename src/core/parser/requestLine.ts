// The request line: `[METHOD] URL [HTTP/x]`.

export const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'HEAD',
  'OPTIONS',
  'TRACE',
  'CONNECT',
  'PROPFIND',
  'PROPPATCH',
  'MKCOL',
  'COPY',
  'MOVE',
  'LOCK',
  'UNLOCK',
  'SEARCH',
  'REPORT',
  'MKCALENDAR',
  'ACL',
  'PURGE',
  'QUERY',
  'GRAPHQL',
]);

const VERSION_SUFFIX = /\s+(HTTP\/\d(?:\.\d)?)\s*$/i;
const FIRST_TOKEN = /^(\S+)\s+(\S.*)$/;
/** What may follow an unknown all-caps method: something that reads as a URL. */
const URLISH = /^(?:[a-z][a-z0-9+.-]*:\/\/|\/|\{\{|\*$|[\w.-]+(?::\d+)?(?:\/|$))/i;

export interface RequestLineParts {
  method: string;
  /** Offset of the method in the line, or -1 when the method was omitted. */
  methodStart: number;
  url: string;
  urlStart: number;
  httpVersion: string | null;
}

/** Splits a trailing ` HTTP/1.1` off a URL fragment. */
export function splitVersion(text: string): { rest: string; version: string | null } {
  const m = VERSION_SUFFIX.exec(text);
  if (!m) return { rest: text, version: null };
  return { rest: text.slice(0, m.index), version: m[1].toUpperCase() };
}

export function parseRequestLine(line: string): RequestLineParts {
  return parseRequestLineIn(line, 0, line.length);
}

/**
 * The request line text[from, to); offsets in the result count from `from`.
 * `plain`: the text holds no `\r`, U+2028 or U+2029 (see Source.plain).
 */
export function parseRequestLineIn(text: string, from: number, to: number, plain = false): RequestLineParts {
  return parseSimpleRequestLine(text, from, to, plain) ?? parseRequestLineByExpression(text.slice(from, to));
}

/** Printable ASCII and tabs: the only white space is ` ` and `\t`, and `.` matches every character. */
function isSimple(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9) || c > 126) return false;
  }
  return true;
}

function isBlankChar(c: number): boolean {
  return c === 32 || c === 9;
}

/** `^[A-Z]+$` on text[from, to). */
function isUpperAscii(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 65 || c > 90) return false;
  }
  return to > from;
}

const METHOD_LIST = [...KNOWN_METHODS];

/** The known method text[from, to) spells in any case, as the constant in KNOWN_METHODS; or null. */
function knownMethodIn(text: string, from: number, to: number): string | null {
  const n = to - from;
  for (const method of METHOD_LIST) {
    if (method.length !== n) continue;
    let k = 0;
    // Methods are letters only: clearing bit 5 upper-cases a letter, and no other character becomes one.
    while (k < n && (text.charCodeAt(from + k) & ~32) === method.charCodeAt(k)) k++;
    if (k === n) return method;
  }
  return null;
}

/**
 * The common case read by scanning, with the same result as the expressions;
 * null for other lines. The scan takes only ` ` and tab for white space and
 * reads the method as ASCII, so the expressions read differently only lines
 * with other characters in the places it looks at: the method and the white
 * space around it, the end of the line, the version and the white space
 * before it; and a line terminator anywhere (`.` does not match one). In a
 * `plain` text, only those places are checked.
 */
function parseSimpleRequestLine(
  text: string,
  from: number,
  to: number,
  plain: boolean,
): RequestLineParts | null {
  if (!plain && !isSimple(text, from, to)) return null;
  let lead = from;
  while (lead < to && isBlankChar(text.charCodeAt(lead))) lead++;
  let end = to;
  while (end > lead && isBlankChar(text.charCodeAt(end - 1))) end--;
  let tokenEnd = lead;
  while (tokenEnd < end && !isBlankChar(text.charCodeAt(tokenEnd))) tokenEnd++;
  let method = 'GET';
  let methodStart = -1;
  let restStart = lead;
  if (tokenEnd < end) {
    // FIRST_TOKEN matched: the token, blanks, then the rest.
    let rest = tokenEnd;
    while (rest < end && isBlankChar(text.charCodeAt(rest))) rest++;
    // The token, the white space around it, and the rest's first character.
    if (plain && !isSimple(text, from, rest + 1)) return null;
    const known = knownMethodIn(text, lead, tokenEnd);
    let isMethod = true;
    if (known !== null) method = known;
    else if (isUpperAscii(text, lead, tokenEnd) && URLISH.test(text.slice(rest, end)))
      method = text.slice(lead, tokenEnd);
    else isMethod = false;
    if (isMethod) {
      methodStart = lead - from;
      restStart = rest;
    }
  } else if (plain && !isSimple(text, from, to)) {
    // One token: any other white space in it would split it.
    return null;
  } else if (isUpperAscii(text, lead, end)) {
    const known = knownMethodIn(text, lead, end);
    if (known !== null)
      return { method: known, methodStart: lead - from, url: '', urlStart: end - from, httpVersion: null };
  }
  // VERSION_SUFFIX on the trimmed rest: blanks, `HTTP/d` or `HTTP/d.d`, the end.
  let urlEnd = end;
  let httpVersion: string | null = null;
  const v = versionStart(text, restStart, end);
  if (v >= 0) {
    urlEnd = v;
    while (urlEnd > restStart && isBlankChar(text.charCodeAt(urlEnd - 1))) urlEnd--;
  }
  // The end of the line: the version, the white space before and after it, and the character before that.
  if (plain && !isSimple(text, Math.max(from, urlEnd - 1), to)) return null;
  if (v >= 0) {
    if (urlEnd === v) urlEnd = end;
    else httpVersion = versionName(text, v, end);
  }
  const url = text.slice(restStart, urlEnd);
  return { method, methodStart, url, urlStart: restStart - from, httpVersion };
}

/** `HTTP/1.1` and `HTTP/2` as constants, other versions upper-cased from the text. */
function versionName(text: string, v: number, end: number): string {
  const major = text.charCodeAt(v + 5);
  if (end - v === 8 && major === 49 && text.charCodeAt(v + 7) === 49) return 'HTTP/1.1';
  if (end - v === 6 && major === 50) return 'HTTP/2';
  return text.slice(v, end).toUpperCase();
}

function isDigitAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** Start of a trailing `HTTP/d(.d)` in text[from, end), or -1. */
function versionStart(text: string, from: number, end: number): number {
  let v: number;
  if (
    end - from >= 8 &&
    text.charCodeAt(end - 2) === 46 &&
    isDigitAt(text, end - 1) &&
    isDigitAt(text, end - 3)
  )
    v = end - 8;
  else if (end - from >= 6 && isDigitAt(text, end - 1)) v = end - 6;
  else return -1;
  const c0 = text.charCodeAt(v) | 32;
  const c1 = text.charCodeAt(v + 1) | 32;
  const c2 = text.charCodeAt(v + 2) | 32;
  const c3 = text.charCodeAt(v + 3) | 32;
  if (c0 !== 104 || c1 !== 116 || c2 !== 116 || c3 !== 112 || text.charCodeAt(v + 4) !== 47) return -1;
  return v;
}

export function parseRequestLineByExpression(line: string): RequestLineParts {
  const lead = line.length - line.trimStart().length;
  const body = line.trim();
  let method = 'GET';
  let methodStart = -1;
  let rest = body;
  let restStart = lead;
  const m = FIRST_TOKEN.exec(body);
  if (m) {
    const upper = m[1].toUpperCase();
    const isMethod = KNOWN_METHODS.has(upper) || (/^[A-Z]+$/.test(m[1]) && URLISH.test(m[2]));
    if (isMethod) {
      method = upper;
      methodStart = lead;
      rest = m[2];
      restStart = lead + body.length - m[2].length;
    }
  } else if (KNOWN_METHODS.has(body)) {
    // A lone method (`GET`) has no URL: keep it as the method so the error names it.
    return { method: body, methodStart: lead, url: '', urlStart: lead + body.length, httpVersion: null };
  }
  const { rest: url, version } = splitVersion(rest);
  return { method, methodStart, url: url.trimEnd(), urlStart: restStart, httpVersion: version };
}
