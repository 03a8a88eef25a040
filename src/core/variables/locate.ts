// Mapping an offset in a model string (a URL, a header value, a body run) back
// to its place in the document, so a problem can name a line and the editor
// can underline the exact `{{...}}`.
import type { Range } from '../parser';

/** Range in the document of the characters [start, end) of one model string. */
export type Locate = (start: number, end: number) => Range;

const span = (line: number, from: number, to: number): Range => ({
  start: { line, character: from },
  end: { line, character: to },
});

/** The string sits on one line, starting at `character`. */
export function lineLocator(line: number, character: number): Locate {
  return (start, end) => span(line, character + start, character + end);
}

/** Every offset maps to the same range: used when the model does not say where the text came from. */
export function fixedLocator(range: Range): Locate {
  return () => range;
}

/** The string is `\n`-separated text whose first character is at (line, character). */
export function textLocator(text: string, line: number, character: number): Locate {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const position = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    const col = offset - lineStarts[lo];
    return { line: line + lo, character: lo === 0 ? character + col : col };
  };
  return (start, end) => ({ start: position(start), end: position(end) });
}

/**
 * For strings the parser joined from several lines (continued URLs, curl
 * commands): finds the same characters in the source lines within `within`,
 * counting earlier occurrences so repeated references map one to one.
 */
export function searchLocator(lines: readonly string[], within: Range, text: string): Locate {
  return (start, end) => {
    const token = text.slice(start, end);
    let nth = 0;
    for (let i = text.indexOf(token); i >= 0 && i < start; i = text.indexOf(token, i + token.length)) nth++;
    for (let line = within.start.line; line <= within.end.line && line < lines.length; line++) {
      const from = line === within.start.line ? within.start.character : 0;
      for (
        let i = lines[line].indexOf(token, from);
        i >= 0;
        i = lines[line].indexOf(token, i + token.length)
      ) {
        if (nth === 0) return span(line, i, i + token.length);
        nth--;
      }
    }
    return within;
  };
}
