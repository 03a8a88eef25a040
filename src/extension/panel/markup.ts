// XML and HTML bodies shown as source: escaped, coloured by token, and for
// XML sent on one line, re-indented. Nothing here is ever parsed as the
// panel's own markup: every token goes through escapeHtml.
import { escapeHtml } from './escape';

type TokenKind = 'text' | 'open' | 'close' | 'selfClose' | 'comment' | 'cdata' | 'decl';

interface Token {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
}

// A `<` only starts markup when followed by one of these; otherwise it is text.
const MARKUP_START = /<(?:!--|!\[CDATA\[|[!?/a-zA-Z])/g;
// Elements whose content is raw text in HTML (a `<` inside is not a tag).
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'plaintext']);
const MAX_INDENT = 40;

export interface MarkupOptions {
  readonly html: boolean;
  /** Put each element on its own line (for XML that arrived without line breaks). */
  readonly reindent: boolean;
}

/** Whether an XML body looks minified: no line break between two tags. */
export function needsReindent(text: string): boolean {
  return !/>[ \t]*\r?\n/.test(text);
}

export function renderMarkup(text: string, options: MarkupOptions): string {
  const tokens = tokenize(text, options.html);
  return options.reindent ? reindented(text, tokens) : tokens.map((t) => tokenHtml(text, t)).join('');
}

function tokenize(text: string, html: boolean): Token[] {
  const tokens: Token[] = [];
  const lower = html ? text.toLowerCase() : text;
  let pos = 0;
  const pushText = (end: number) => {
    if (end > pos) tokens.push({ kind: 'text', start: pos, end });
    pos = end;
  };
  while (pos < text.length) {
    MARKUP_START.lastIndex = pos;
    const m = MARKUP_START.exec(text);
    if (!m) break;
    pushText(m.index);
    const lead = m[0];
    let kind: TokenKind;
    let end: number;
    if (lead === '<!--') {
      kind = 'comment';
      end = until(text, '-->', pos + 4);
    } else if (lead === '<![CDATA[') {
      kind = 'cdata';
      end = until(text, ']]>', pos + 9);
    } else if (lead === '<!' || lead === '<?') {
      kind = 'decl';
      end = until(text, lead === '<?' ? '?>' : '>', pos + 2);
    } else {
      end = tagEnd(text, pos + 1);
      kind = lead === '</' ? 'close' : text.charCodeAt(end - 2) === 0x2f ? 'selfClose' : 'open';
    }
    tokens.push({ kind, start: pos, end });
    pos = end;
    if (html && kind === 'open') {
      const name = tagName(text, tokens[tokens.length - 1]!).toLowerCase();
      if (RAW_TEXT.has(name)) {
        const close = lower.indexOf(`</${name}`, pos);
        pushText(close < 0 ? text.length : close);
      }
    }
  }
  pushText(text.length);
  return tokens;
}

/** Offset just past `terminator`, or the text end when it never comes. */
function until(text: string, terminator: string, from: number): number {
  const i = text.indexOf(terminator, from);
  return i < 0 ? text.length : i + terminator.length;
}

/** Offset just past the `>` that ends a tag, skipping quoted attribute values. */
function tagEnd(text: string, from: number): number {
  let quote = 0;
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) {
      quote = c;
    } else if (c === 0x3e) {
      return i + 1;
    }
  }
  return text.length;
}

function tagName(text: string, token: Token): string {
  return /^<\/?([^\s/>]*)/.exec(text.slice(token.start, Math.min(token.end, token.start + 256)))?.[1] ?? '';
}

const span = (cls: string, raw: string) => `<span class="${cls}">${escapeHtml(raw)}</span>`;

function tokenHtml(text: string, token: Token): string {
  const raw = text.slice(token.start, token.end);
  switch (token.kind) {
    case 'text':
      return escapeHtml(raw);
    case 'comment':
      return span('c', raw);
    case 'cdata':
    case 'decl':
      return span('d', raw);
    default:
      return tagHtml(raw);
  }
}

// name, then attributes: name[=value], value quoted or not.
const TAG_HEAD = /^(<\/?)([^\s/>]*)/;
const ATTRIBUTE = /(\s+)([^\s=/>]+)(?:(\s*=\s*)("[^"]*"?|'[^']*'?|[^\s>]+))?/y;

function tagHtml(raw: string): string {
  const head = TAG_HEAD.exec(raw)!;
  let out = span('t', head[0]);
  let pos = head[0].length;
  while (pos < raw.length) {
    ATTRIBUTE.lastIndex = pos;
    const m = ATTRIBUTE.exec(raw);
    if (!m) break;
    out += escapeHtml(m[1]!) + span('a', m[2]!);
    if (m[3] !== undefined) out += escapeHtml(m[3]) + span('v', m[4]!);
    pos = ATTRIBUTE.lastIndex;
  }
  const rest = raw.slice(pos);
  return rest ? out + span('t', rest) : out;
}

function reindented(text: string, tokens: readonly Token[]): string {
  const out: string[] = [];
  let depth = 0;
  let previous: TokenKind | null = null;
  let textAfterOpen = false;
  const newLine = () => {
    if (out.length > 0) out.push('\n', '  '.repeat(Math.min(depth, MAX_INDENT)));
  };
  for (const token of tokens) {
    if (token.kind === 'text') {
      const raw = text.slice(token.start, token.end).trim();
      if (!raw) continue;
      // `<a>text</a>` stays on one line; text between elements gets its own.
      if (previous !== 'open') newLine();
      out.push(escapeHtml(raw));
      textAfterOpen = previous === 'open';
      previous = 'text';
      continue;
    }
    if (token.kind === 'close') {
      depth = Math.max(0, depth - 1);
      if (previous !== 'open' && !(previous === 'text' && textAfterOpen)) newLine();
    } else {
      newLine();
    }
    out.push(tokenHtml(text, token));
    if (token.kind === 'open') depth++;
    previous = token.kind;
    textAfterOpen = false;
  }
  return out.join('');
}
