// Pretty-prints JSON from its tokens, never through JSON.parse: big integers,
// duplicate keys and key order stay exactly as the server sent them, and a
// body can be read a page at a time (a 50 MB body is never parsed whole).
//
// One pass does both jobs: `scanJson` checks the grammar and finds where a
// page ends; `renderJson` also writes markup. Both read the same characters
// the same way, so a page the scanner cut renders to the same cursor.
//
// Markup: one `<div>` per output line, indentation as spaces.
// The line that opens a non-empty object/array carries `data-f=<id>` and a
// fold button; the line with its closing bracket carries `data-e=<id>`, so
// the webview can fold a range even when it spans pages.
import { escapeHtml } from './escape';

export type JsonExpect =
  | 'top'
  | 'keyOrClose'
  | 'key'
  | 'colon'
  | 'memberValue'
  | 'itemOrClose'
  | 'item'
  | 'commaOrClose'
  | 'end';

/** Where the printer stands between two pages: plain data, kept by the host. */
export interface JsonCursor {
  /** Open containers, outermost first: `{` or `[` each. */
  readonly stack: string;
  /** Fold id of each open container, parallel to `stack`. */
  readonly ids: readonly number[];
  readonly expect: JsonExpect;
  /** A string cut at the page end: `k` a key, `s` a value. */
  readonly inString: 'k' | 's' | null;
  readonly nextId: number;
}

export const JSON_START: JsonCursor = { stack: '', ids: [], expect: 'top', inString: null, nextId: 0 };

/**
 * What the end of a range means.
 * - `final`: the end of the body; an unfinished value is an error.
 * - `open`: an arbitrary cut; a token that may continue past it is left for the next page.
 * - `boundary`: a cut an earlier `open` scan chose; tokens ending there are whole.
 */
export type RangeEnd = 'final' | 'open' | 'boundary';

export interface JsonRange {
  readonly start: number;
  readonly end: number;
  /** Stop at the first line start at or after this offset (a page that ends on a whole line). */
  readonly softEnd?: number;
  readonly until: RangeEnd;
}

export interface JsonRun {
  /** False at the first syntax error. */
  readonly ok: boolean;
  /** One whole value and nothing after it (only with `final`). */
  readonly complete: boolean;
  /** Where reading stopped: the next page starts here. With an error, the scan stops at it, the render at the range end. */
  readonly end: number;
  readonly cursor: JsonCursor;
  /** Markup for the range ('' from `scanJson`). */
  readonly html: string;
}

export function scanJson(text: string, range: JsonRange, cursor: JsonCursor = JSON_START): JsonRun {
  return new Printer(text, range, cursor, false).run();
}

export function renderJson(text: string, range: JsonRange, cursor: JsonCursor = JSON_START): JsonRun {
  return new Printer(text, range, cursor, true).run();
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const MINUS = 0x2d;
// After a backslash: " \ / b f n r t (u is handled apart).
const SIMPLE_ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const NUMBER_CHARS = /[-+0-9.eE]*/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

// Deeper levels are not indented further: a pathological `[[[[…` must not
// turn 256 KB of input into gigabytes of spaces.
const MAX_INDENT = 40;
const INDENT = Array.from({ length: MAX_INDENT + 1 }, (_, i) => '  '.repeat(i));
const indent = (depth: number) => INDENT[Math.min(depth, MAX_INDENT)]!;
const LINES_PER_CHUNK = 256;
const FOLD_BUTTON = '<button type="button" class="f" aria-expanded="true" aria-label="Fold"></button>';

class Printer {
  private pos: number;
  private readonly end: number;
  private readonly softEnd: number;
  private readonly until: RangeEnd;
  private readonly stack: string[];
  private readonly ids: number[];
  private expect: JsonExpect;
  private inString: 'k' | 's' | null;
  private nextId: number;
  private error = false;
  private readonly render: boolean;
  private readonly chunks: string[] = [];
  private readonly lines: string[] = [];
  private lineOpen = false;
  private lineDepth = 0;
  private lineAttrs = '';
  private lineBody = '';
  private lineFold = -1;

  constructor(
    private readonly text: string,
    range: JsonRange,
    cursor: JsonCursor,
    render: boolean,
  ) {
    this.pos = range.start;
    this.end = Math.min(range.end, text.length);
    this.softEnd = range.softEnd ?? Number.POSITIVE_INFINITY;
    this.until = range.until;
    this.stack = [...cursor.stack];
    this.ids = [...cursor.ids];
    this.expect = cursor.expect;
    this.inString = cursor.inString;
    this.nextId = cursor.nextId;
    this.render = render;
  }

  run(): JsonRun {
    if (this.expect === 'top' && this.text.charCodeAt(this.pos) === 0xfeff) {
      this.pos++;
    }
    let going = true;
    if (this.inString) {
      this.newLine(this.stack.length);
      going = this.stringBody(this.inString, this.pos, this.pos);
    }
    while (going) {
      const p = this.skipWs(this.pos);
      this.pos = p;
      if (p >= this.end) break;
      const c = this.text.charCodeAt(p);
      if (p >= this.softEnd && this.startsLine(c)) break;
      going = this.step(c);
    }
    return this.finish();
  }

  private finish(): JsonRun {
    let end = this.pos;
    this.flushLine();
    if (this.render && this.error) {
      // Show the rest of the range as it is rather than drop it.
      this.lines.push(`<div class="x">${escapeHtml(this.text.slice(this.pos, this.end))}</div>`);
      end = this.end;
    }
    return {
      ok: !this.error,
      complete:
        !this.error && this.until === 'final' && this.expect === 'end' && !this.inString && end >= this.end,
      end,
      cursor: {
        stack: this.stack.join(''),
        ids: this.ids,
        expect: this.expect,
        inString: this.inString,
        nextId: this.nextId,
      },
      html: this.chunks.join('') + this.lines.join(''),
    };
  }

  private skipWs(p: number): number {
    const t = this.text;
    while (p < this.end) {
      const c = t.charCodeAt(p);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      p++;
    }
    return p;
  }

  /** Whether the token starting with `c` begins a new output line (a page may end before it). */
  private startsLine(c: number): boolean {
    return !(
      this.expect === 'colon' ||
      this.expect === 'memberValue' ||
      (this.expect === 'commaOrClose' && c === COMMA)
    );
  }

  /** Handles one token; false when reading stops (error or cut). */
  private step(c: number): boolean {
    switch (this.expect) {
      case 'top':
      case 'item':
      case 'itemOrClose':
      case 'memberValue':
        if (c === RBRACKET && this.expect === 'itemOrClose') return this.close(c);
        return this.value(c);
      case 'key':
      case 'keyOrClose':
        if (c === RBRACE && this.expect === 'keyOrClose') return this.close(c);
        if (c !== QUOTE) return this.fail();
        this.newLine(this.stack.length);
        return this.string('k');
      case 'colon':
        if (c !== COLON) return this.fail();
        this.emit(': ');
        this.pos++;
        this.expect = 'memberValue';
        return true;
      case 'commaOrClose':
        if (c === COMMA) {
          this.emit(',');
          this.pos++;
          this.expect = this.stack[this.stack.length - 1] === '{' ? 'key' : 'item';
          return true;
        }
        if (c === RBRACE || c === RBRACKET) return this.close(c);
        return this.fail();
      default:
        return this.fail();
    }
  }

  private value(c: number): boolean {
    const ownLine = this.expect !== 'memberValue';
    if (ownLine) this.newLine(this.stack.length);
    if (c === QUOTE) return this.string('s');
    if (c === LBRACE || c === LBRACKET) return this.open(c);
    const going =
      c === MINUS || (c >= 0x30 && c <= 0x39)
        ? this.number()
        : c === 0x74
          ? this.literal('true', 'b')
          : c === 0x66
            ? this.literal('false', 'b')
            : c === 0x6e
              ? this.literal('null', 'z')
              : this.fail();
    // A value left for the next page: drop the line opened for it.
    if (!going && !this.error && ownLine) this.dropLine();
    return going;
  }

  private open(c: number): boolean {
    const close = c === LBRACE ? RBRACE : RBRACKET;
    const p = this.skipWs(this.pos + 1);
    if (p < this.end && this.text.charCodeAt(p) === close) {
      this.emit(c === LBRACE ? '{}' : '[]');
      this.pos = p + 1;
      this.afterValue();
      return true;
    }
    const id = this.nextId++;
    this.markOpener(id);
    this.emit(c === LBRACE ? '{' : '[');
    this.stack.push(c === LBRACE ? '{' : '[');
    this.ids.push(id);
    this.pos++;
    this.expect = c === LBRACE ? 'keyOrClose' : 'itemOrClose';
    return true;
  }

  private close(c: number): boolean {
    const top = this.stack[this.stack.length - 1];
    if (top !== (c === RBRACE ? '{' : '[')) return this.fail();
    this.stack.pop();
    const id = this.ids.pop()!;
    this.newLine(this.stack.length, ` data-e="${id}"`);
    this.emit(c === RBRACE ? '}' : ']');
    this.pos++;
    this.afterValue();
    return true;
  }

  private afterValue(): void {
    this.expect = this.stack.length > 0 ? 'commaOrClose' : 'end';
  }

  private string(kind: 'k' | 's'): boolean {
    return this.stringBody(kind, this.pos, this.pos + 1);
  }

  /** Reads string content from `p` (the token began at `from`); handles the closing quote or a cut. */
  private stringBody(kind: 'k' | 's', from: number, p: number): boolean {
    const t = this.text;
    const end = this.end;
    for (;;) {
      while (p < end) {
        const c = t.charCodeAt(p);
        if (c === QUOTE || c === BACKSLASH || c < 0x20) break;
        p++;
      }
      if (p >= end) {
        if (this.until === 'final') return this.fail();
        // Never split a surrogate pair between two pages.
        if (p > from && p < t.length && isHighSurrogate(t.charCodeAt(p - 1))) p--;
        return this.cutString(kind, from, p);
      }
      const c = t.charCodeAt(p);
      if (c === QUOTE) {
        p++;
        this.emitToken(kind, from, p);
        this.pos = p;
        this.inString = null;
        if (kind === 'k') this.expect = 'colon';
        else this.afterValue();
        return true;
      }
      if (c !== BACKSLASH) return this.fail();
      const width = p + 1 < end && t.charCodeAt(p + 1) === 0x75 ? 6 : 2;
      if (p + width > end) {
        // An escape cut in half: the next page starts at the backslash.
        return this.until === 'open' ? this.cutString(kind, from, p) : this.fail();
      }
      const e = t.charCodeAt(p + 1);
      if (e === 0x75) {
        if (!HEX4.test(t.slice(p + 2, p + 6))) return this.fail();
      } else if (!SIMPLE_ESCAPES.has(e)) {
        return this.fail();
      }
      p += width;
    }
  }

  private cutString(kind: 'k' | 's', from: number, p: number): boolean {
    this.emitToken(kind, from, p);
    this.pos = p;
    this.inString = kind;
    return false;
  }

  private number(): boolean {
    const t = this.text;
    if (this.until === 'open') {
      // `1`, `1.`, `1e` at the cut may all go on: leave the whole run for the next page.
      NUMBER_CHARS.lastIndex = this.pos;
      NUMBER_CHARS.exec(t);
      if (NUMBER_CHARS.lastIndex >= this.end) return false;
    }
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(t);
    if (!m || this.pos + m[0].length > this.end) return this.fail();
    this.emit(`<span class="n">${m[0]}</span>`);
    this.pos += m[0].length;
    this.afterValue();
    return true;
  }

  private literal(word: 'true' | 'false' | 'null', cls: 'b' | 'z'): boolean {
    const t = this.text;
    if (this.pos + word.length <= this.end && t.startsWith(word, this.pos)) {
      this.emit(`<span class="${cls}">${word}</span>`);
      this.pos += word.length;
      this.afterValue();
      return true;
    }
    if (
      this.until === 'open' &&
      this.end - this.pos < word.length &&
      word.startsWith(t.slice(this.pos, this.end))
    ) {
      return false;
    }
    return this.fail();
  }

  private fail(): boolean {
    this.error = true;
    return false;
  }

  // ---- markup ----
  // A line is collected apart and written when it ends: whether it opens a
  // fold range is only known at its last token. Lines are joined into flat
  // chunks every few hundred, so the many small token strings die young:
  // keeping them all alive until one final join made garbage collection
  // the largest cost of a page.

  private newLine(depth: number, attrs = ''): void {
    if (!this.render) return;
    this.flushLine();
    this.lineOpen = true;
    this.lineDepth = depth;
    this.lineAttrs = attrs;
    this.lineBody = '';
    this.lineFold = -1;
  }

  private dropLine(): void {
    this.lineOpen = false;
    this.lineBody = '';
  }

  private flushLine(): void {
    if (!this.lineOpen) return;
    this.lines.push(
      this.lineFold >= 0
        ? `<div data-f="${this.lineFold}">${indent(this.lineDepth)}${FOLD_BUTTON}${this.lineBody}</div>`
        : `<div${this.lineAttrs}>${indent(this.lineDepth)}${this.lineBody}</div>`,
    );
    if (this.lines.length >= LINES_PER_CHUNK) {
      this.chunks.push(this.lines.join(''));
      this.lines.length = 0;
    }
    this.lineOpen = false;
    this.lineBody = '';
  }

  private markOpener(id: number): void {
    if (!this.render) return;
    if (!this.lineOpen) this.newLine(this.stack.length);
    this.lineFold = id;
  }

  private emit(markup: string): void {
    if (!this.render) return;
    if (!this.lineOpen) this.newLine(this.stack.length);
    this.lineBody += markup;
  }

  private emitToken(kind: 'k' | 's', from: number, to: number): void {
    if (this.render && to > from) {
      this.emit(`<span class="${kind}">${escapeHtml(this.text.slice(from, to))}</span>`);
    }
  }
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
