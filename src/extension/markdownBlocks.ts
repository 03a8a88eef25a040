// Fenced ```http / ```rest blocks of a Markdown file, as one `.http` text
// whose lines match the Markdown lines one to one: lines outside the
// blocks become blank and every block ends with a separator, so ranges
// from the parser point straight into the Markdown document.

const FENCE = /^(\s*)(`{3,}|~{3,})\s*(\w+)?/;

export function extractMarkdownHttp(markdown: string): string {
  const lines = markdown.split(/\r?\n/);
  const out: string[] = new Array(lines.length).fill('');
  let inside: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const m = FENCE.exec(lines[i]);
    if (inside === null) {
      if (m && (m[3] === 'http' || m[3] === 'rest')) {
        inside = m[2];
        out[i] = '###';
      }
    } else if (m?.[2].startsWith(inside) && lines[i].trim() === m[2]) {
      inside = null;
      out[i] = '###';
    } else {
      out[i] = lines[i];
    }
  }
  return out.join('\n');
}
