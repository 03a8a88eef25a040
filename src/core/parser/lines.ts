// Line-level classification shared by the segment parser and the editor
// features. Every test here looks at one line only, so a block can be
// re-parsed without looking at its neighbours.
import type { Range } from './model';

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

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff;
}

/** Index of the first non-white-space character, or -1 for a blank line. Allocates nothing. */
export function indentOf(line: string): number {
  for (let i = 0; i < line.length; i++) if (!isSpace(line.charCodeAt(i))) return i;
  return -1;
}

/** Length of the line without trailing white space. */
export function trimmedEnd(line: string): number {
  let end = line.length;
  while (end > 0 && isSpace(line.charCodeAt(end - 1))) end--;
  return end;
}

export function isBlank(line: string): boolean {
  return indentOf(line) < 0;
}

export function isComment(line: string): boolean {
  const i = indentOf(line);
  if (i < 0) return false;
  const c = line.charCodeAt(i);
  return c === 35 /* # */ || (c === 47 /* / */ && line.charCodeAt(i + 1) === 47);
}

export function matchSeparator(line: string): string | null {
  if (line.charCodeAt(0) !== 35 /* # */) return null;
  const m = SEPARATOR.exec(line);
  return m ? m[1].trim() : null;
}

export function matchDirective(line: string): { name: string; value: string | true } | null {
  if (line.indexOf('@') < 0) return null;
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

export function matchHeader(line: string): { name: string; value: string } | null {
  const m = HEADER.exec(line);
  if (!m || m[1].length === 0) return null;
  return { name: m[1], value: m[2].trim() };
}

export function lineRange(line: number, text: string, from = 0, to = text.length): Range {
  return { start: { line, character: from }, end: { line, character: to } };
}

export function spanRange(startLine: number, startChar: number, endLine: number, endChar: number): Range {
  return { start: { line: startLine, character: startChar }, end: { line: endLine, character: endChar } };
}

/** Range of the line's text without its leading and trailing white space. */
export function trimmedRange(line: number, text: string): Range {
  return lineRange(line, text, Math.max(0, indentOf(text)), trimmedEnd(text));
}
