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
export const checkHeaderName = refuse(CONTROL, 'a header name');
export const checkUrl = refuse(CONTROL, 'the URL');
export const checkMethod = refuse(CONTROL, 'the method');
export const checkPath = refuse(CONTROL, 'a file path');
