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
