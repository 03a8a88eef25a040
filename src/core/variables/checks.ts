// What a substituted value may contain where it lands. A value is data, never
// syntax: one with CR or LF could add a header or end the request, so it is
// refused in the method, URL, header names and values, and file paths.

const CONTROL = /[\u0000-\u001f\u007f]/;
/** Header values may hold a horizontal tab (RFC 9110 field-vchar / obs-text / SP / HTAB). */
const HEADER_VALUE_CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;
/** RFC 9110 token: methods and header names. */
export const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function describeChar(c: string): string {
  if (c === '\r') return 'a carriage return (CR)';
  if (c === '\n') return 'a line feed (LF)';
  if (c === '\u0000') return 'a NUL character';
  return `control character U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

function refuse(pattern: RegExp, where: string): (value: string) => string | null {
  return (value) => {
    const m = pattern.exec(value);
    return m ? `its value contains ${describeChar(m[0])}, which cannot go into ${where}; refused` : null;
  };
}

export const checkHeaderValue = refuse(HEADER_VALUE_CONTROL, 'a header value');

/** What HTTP/1.1 (and undici, and Node) let a header value hold: tab, visible ASCII, space and Latin-1. */
const NOT_FIELD_CHAR = /[^\t\x20-\x7e\x80-\xff]/u;

/** Why a whole header value, as it would go on the wire, cannot be sent; null when it can. */
export function wireHeaderValueProblem(value: string): string | null {
  const m = NOT_FIELD_CHAR.exec(value);
  if (!m) return null;
  const c = m[0];
  const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  if (c.codePointAt(0)! < 0x80) return `contains ${describeChar(c)}, which a header value cannot hold`;
  return `contains "${c}" (${code}): a header value can only hold Latin-1 characters; percent-encode it or put it in the body`;
}
export const checkHeaderName = refuse(CONTROL, 'a header name');
export const checkUrl = refuse(CONTROL, 'the URL');
export const checkMethod = refuse(CONTROL, 'the method');
export const checkPath = refuse(CONTROL, 'a file path');
