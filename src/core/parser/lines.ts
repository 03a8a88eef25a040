// Line-level classification for the segment parser. Every test here looks at
// one line only, so a block can be re-parsed without looking at its
// neighbours. A line is given as text[from, to) of the document (or of the
// lines an edit re-reads), so reading a line creates no string; offsets
// returned are into `text`. The hot tests are character scans that give
// exactly what the regular expressions beside them give; the expressions stay
// for the rare lines the scans hand back (tests compare the two). `plain`
// says the text holds no `\r`, U+2028 or U+2029, so no line can hold a
// character `.` does not match, and the scans need not look for one.

import { word } from './words';

/** `###` (three or more) at the start of a line separates requests; text after it names the request. */
export const SEPARATOR = /^#{3,}(.*)$/;
const DIRECTIVE = /^\s*(?:#+|\/{2,})\s*@([A-Za-z_][\w.-]*)(?:\s*=\s*|\s+|$)(.*)$/;
const VARIABLE = /^\s*@([A-Za-z_][\w.$-]*)\s*=\s*(.*?)\s*$/;
/** RFC 9110 token, or a name built from `{{variables}}`. */
const HEADER = /^([!#$%&'*+.^_`|~0-9A-Za-z-]*(?:\{\{[^}]*\}\}[!#$%&'*+.^_`|~0-9A-Za-z-]*)*)\s*:(.*)$/;

export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (text.indexOf('\r') < 0) return lines;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.charCodeAt(line.length - 1) === 13) lines[i] = line.slice(0, -1);
  }
  return lines;
}

/** White space for blank-line and indentation tests. */
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff;
}

/** Exactly the characters `\s` and `String.prototype.trim` treat as white space. */
export function isWs(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Characters `.` in a regular expression does not match. */
function isLineTerminator(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/** Index of the first character in [from, to) that is not `\s`, or `to`. */
export function skipWs(text: string, from: number, to: number): number {
  let i = from;
  while (i < to && isWs(text.charCodeAt(i))) i++;
  return i;
}

/** End of text[from, to) without trailing `\s`. */
export function trimWsEnd(text: string, from: number, to: number): number {
  let end = to;
  while (end > from && isWs(text.charCodeAt(end - 1))) end--;
  return end;
}

function hasLineTerminator(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (isLineTerminator(text.charCodeAt(i))) return true;
  return false;
}

/** Index of the line's first non-white-space character, or -1 for a blank line. */
export function indentIn(text: string, from: number, to: number): number {
  for (let i = from; i < to; i++) if (!isSpace(text.charCodeAt(i))) return i;
  return -1;
}

/** End of the line without trailing white space. */
export function trimmedEndIn(text: string, from: number, to: number): number {
  let end = to;
  while (end > from && isSpace(text.charCodeAt(end - 1))) end--;
  return end;
}

export function isBlankIn(text: string, from: number, to: number): boolean {
  return indentIn(text, from, to) < 0;
}

/** `#` or `//` first on the line. */
export function isCommentIn(text: string, from: number, to: number): boolean {
  const i = indentIn(text, from, to);
  if (i < 0) return false;
  const c = text.charCodeAt(i);
  return c === 35 /* # */ || (c === 47 /* / */ && i + 1 < to && text.charCodeAt(i + 1) === 47);
}

/** Length of the `#` run that makes text[from, to) a separator line, or 0 when it is none. */
function separatorHashes(text: string, from: number, to: number, plain: boolean): number {
  let k = from;
  while (k < to && text.charCodeAt(k) === 35) k++;
  return k - from >= 3 && (plain || !hasLineTerminator(text, k, to)) ? k - from : 0;
}

export function isSeparatorIn(text: string, from: number, to: number, plain = false): boolean {
  return text.charCodeAt(from) === 35 && separatorHashes(text, from, to, plain) > 0;
}

/** The text after `###`, trimmed (the request's name when not empty), or null for no separator. */
export function matchSeparatorIn(text: string, from: number, to: number): string | null {
  if (from >= to || text.charCodeAt(from) !== 35 /* # */) return null;
  const k = separatorHashes(text, from, to, false);
  return k > 0 ? text.slice(from + k, to).trim() : null;
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** `[\w.-]` */
function isDirectiveNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 46 || c === 45;
}

/** A `# @name value` / `// @name = value` line, as DIRECTIVE reads it. */
export function matchDirectiveIn(
  text: string,
  from: number,
  to: number,
  plain = false,
): { name: string; value: string | true } | null {
  // `\s*(?:#+|\/{2,})\s*@name`
  let i = skipWs(text, from, to);
  if (i >= to) return null;
  const lead = text.charCodeAt(i);
  if (lead !== 35 && !(lead === 47 && i + 1 < to && text.charCodeAt(i + 1) === 47)) return null;
  while (i < to && text.charCodeAt(i) === lead) i++;
  i = skipWs(text, i, to);
  if (i + 1 >= to || text.charCodeAt(i) !== 64 /* @ */ || !isNameStart(text.charCodeAt(i + 1))) return null;
  const nameStart = i + 1;
  let nameEnd = nameStart + 1;
  while (nameEnd < to && isDirectiveNameChar(text.charCodeAt(nameEnd))) nameEnd++;
  // A line terminator inside the value changes which alternative matches: leave it to the expression.
  if (!plain && hasLineTerminator(text, nameEnd, to)) return matchDirectiveByExpression(text.slice(from, to));
  // `(?:\s*=\s*|\s+|$)(.*)$`, the value trimmed.
  let valueStart: number;
  const afterWs = skipWs(text, nameEnd, to);
  if (afterWs < to && text.charCodeAt(afterWs) === 61 /* = */) valueStart = afterWs + 1;
  else if (afterWs > nameEnd || nameEnd === to) valueStart = afterWs;
  else return null;
  valueStart = skipWs(text, valueStart, to);
  const valueEnd = trimWsEnd(text, valueStart, to);
  const name = word(text, nameStart, nameEnd);
  return { name, value: valueEnd > valueStart ? text.slice(valueStart, valueEnd) : true };
}

/** What `matchDirectiveIn` gives for a whole line, by the regular expression. */
export function matchDirectiveByExpression(line: string): { name: string; value: string | true } | null {
  const m = DIRECTIVE.exec(line);
  if (!m) return null;
  const value = m[2].trim();
  return { name: m[1], value: value.length > 0 ? value : true };
}

export function matchVariable(line: string): { name: string; value: string; nameStart: number } | null {
  const m = VARIABLE.exec(line);
  if (!m) return null;
  return { name: m[1], value: m[2], nameStart: line.indexOf('@') + 1 };
}

/** RFC 9110 `tchar`, by character code below 128. */
const TOKEN_CHARS = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
  TOKEN_CHARS[c.charCodeAt(0)] = 1;

function isTokenChar(c: number): boolean {
  return c < 128 && TOKEN_CHARS[c] === 1;
}

/** `Name: value` in text[from, to), as HEADER reads that slice. */
export function matchHeaderIn(
  text: string,
  from: number,
  to: number,
  plain = false,
): { name: string; value: string } | null {
  let i = from;
  while (i < to && isTokenChar(text.charCodeAt(i))) i++;
  // Names with `{{variables}}` are rare: the expression reads them.
  if (i < to && text.charCodeAt(i) === 123 /* { */) return matchHeader(text.slice(from, to));
  if (i === from) return null;
  const nameEnd = i;
  while (i < to && isWs(text.charCodeAt(i))) i++;
  if (i >= to || text.charCodeAt(i) !== 58 /* : */) return null;
  // `(.*)$`: no line terminator in the value; then the value is trimmed.
  let start = i + 1;
  while (start < to && isWs(text.charCodeAt(start))) {
    if (isLineTerminator(text.charCodeAt(start))) return null;
    start++;
  }
  let end = to;
  while (end > start && isWs(text.charCodeAt(end - 1))) {
    if (isLineTerminator(text.charCodeAt(end - 1))) return null;
    end--;
  }
  if (!plain && hasLineTerminator(text, start, end)) return null;
  return { name: word(text, from, nameEnd), value: text.slice(start, end) };
}

/** What `matchHeaderIn` gives for a whole line, by the regular expression. */
export function matchHeader(line: string): { name: string; value: string } | null {
  const m = HEADER.exec(line);
  if (!m || m[1].length === 0) return null;
  return { name: m[1], value: m[2].trim() };
}
