// A small HTML tokenizer for asserting on rendered pages: it finds the tags
// a browser would see (with their attributes decoded) and the text between
// them, following the parser's rules for comments, raw-text elements
// (script, style) and RCDATA (title, textarea), so escaped text can never be
// mistaken for a tag and a real tag is never missed.

export interface Tag {
  readonly name: string;
  readonly closing: boolean;
  readonly attrs: ReadonlyMap<string, string>;
  readonly raw: string;
}

export interface Scan {
  readonly tags: readonly Tag[];
  /** Text content, entities decoded, in document order. */
  readonly text: string;
}

const RAW = new Set([
  'script',
  'style',
  'title',
  'textarea',
  'iframe',
  'noscript',
  'xmp',
  'noembed',
  'noframes',
]);

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos|nbsp);/gi, (_, e: string) => {
    const lower = e.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(Number.parseInt(lower.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }[lower]!;
  });
}

export function scanHtml(html: string): Scan {
  const tags: Tag[] = [];
  let text = '';
  let pos = 0;
  while (pos < html.length) {
    const lt = html.indexOf('<', pos);
    if (lt < 0) {
      text += decodeEntities(html.slice(pos));
      break;
    }
    text += decodeEntities(html.slice(pos, lt));
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      pos = end < 0 ? html.length : end + 3;
      continue;
    }
    if (html.startsWith('<!', lt) || html.startsWith('<?', lt)) {
      const end = html.indexOf('>', lt);
      pos = end < 0 ? html.length : end + 1;
      continue;
    }
    const m = /^<(\/?)([a-zA-Z][^\s/>]*)/.exec(html.slice(lt, lt + 64));
    if (!m) {
      // A lone `<` is text to a browser too.
      text += '<';
      pos = lt + 1;
      continue;
    }
    const { attrs, end } = readAttributes(html, lt + m[0].length);
    const tag: Tag = { name: m[2]!.toLowerCase(), closing: m[1] === '/', attrs, raw: html.slice(lt, end) };
    tags.push(tag);
    pos = end;
    if (!tag.closing && RAW.has(tag.name)) {
      const close = html.toLowerCase().indexOf(`</${tag.name}`, pos);
      const inner = html.slice(pos, close < 0 ? html.length : close);
      text += tag.name === 'title' || tag.name === 'textarea' ? decodeEntities(inner) : inner;
      pos = close < 0 ? html.length : close;
    }
  }
  return { tags, text };
}

function readAttributes(html: string, from: number): { attrs: Map<string, string>; end: number } {
  const attrs = new Map<string, string>();
  const re = /\s*(?:(\/?>)|([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?|\/)/y;
  let pos = from;
  while (pos < html.length) {
    re.lastIndex = pos;
    const m = re.exec(html);
    if (!m || m[0].length === 0) return { attrs, end: html.length };
    pos = re.lastIndex;
    if (m[1]) return { attrs, end: pos };
    if (m[2] && !attrs.has(m[2].toLowerCase())) {
      attrs.set(m[2].toLowerCase(), decodeEntities(m[3] ?? m[4] ?? m[5] ?? ''));
    }
  }
  return { attrs, end: html.length };
}

/** The text of each JSON output line (one `<div>` each), as the user sees it. */
export function jsonLines(html: string): string[] {
  return [...html.matchAll(/<div(?: [^>]*)?>(.*?)<\/div>/g)].map((m) =>
    decodeEntities(m[1]!.replace(/<[^>]*>/g, '')),
  );
}
