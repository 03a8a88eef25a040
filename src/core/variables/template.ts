// Finding `{{...}}` in a string. A reference never spans lines, as in REST
// Client (`\{{2}(.+?)\}{2}`), so a stray `{{` in a body cannot swallow the rest.

export interface TemplateSpan {
  /** Offset of the first `{`. */
  readonly start: number;
  /** Offset just past the last `}`. */
  readonly end: number;
  /** Text between the braces, as written. */
  readonly inner: string;
}

const REFERENCE = /\{\{([^\n]+?)\}\}/g;

export function scanTemplate(text: string): TemplateSpan[] {
  if (text.indexOf('{{') < 0) return [];
  const spans: TemplateSpan[] = [];
  for (const m of text.matchAll(REFERENCE)) {
    if (m[1].trim().length === 0) continue;
    spans.push({ start: m.index, end: m.index + m[0].length, inner: m[1] });
  }
  return spans;
}
