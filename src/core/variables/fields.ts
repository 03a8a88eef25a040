// The strings of a parsed request that may hold `{{...}}`, each with a way back
// to where it was written. Substitution works on these, never on the raw text.
import type { HttpRequest, Range, VariableDefinition } from '../parser';
import { fixedLocator, type Locate, lineLocator, searchLocator, textLocator } from './locate';

export type FieldKind = 'method' | 'url' | 'header-name' | 'header-value' | 'body-text' | 'body-file';

export interface RequestField {
  readonly kind: FieldKind;
  readonly text: string;
  readonly locate: Locate;
  /** Index into `headers` or `body.parts`; 0 otherwise. */
  readonly index: number;
}

/**
 * `lines` (the document's source lines) are optional: without them, a variable
 * on the second line of a continued URL, or in a curl command, is placed at
 * the start of the URL or command instead of exactly.
 */
export function requestFields(request: HttpRequest, lines?: readonly string[]): RequestField[] {
  const fields: RequestField[] = [];
  const near = (within: Range, text: string): Locate =>
    lines ? searchLocator(lines, within, text) : fixedLocator(within);
  const curl = request.fromCurl;

  const method = request.ranges.method;
  fields.push({
    kind: 'method',
    text: request.method,
    locate:
      method && !curl
        ? lineLocator(method.start.line, method.start.character)
        : near(request.ranges.url, request.method),
    index: 0,
  });

  const url = request.ranges.url;
  fields.push({
    kind: 'url',
    text: request.url,
    locate:
      url.start.line === url.end.line && !curl
        ? lineLocator(url.start.line, url.start.character)
        : near(url, request.url),
    index: 0,
  });

  request.headers.forEach((h, index) => {
    const r = h.range;
    const exact = !curl && r.start.line === r.end.line;
    fields.push({
      kind: 'header-name',
      text: h.name,
      locate: exact ? lineLocator(r.start.line, r.start.character) : near(r, h.name),
      index,
    });
    fields.push({
      kind: 'header-value',
      text: h.value,
      locate: exact ? lineLocator(r.start.line, r.end.character - h.value.length) : near(r, h.value),
      index,
    });
  });

  const body = request.body;
  if (body) {
    const inBody = curl ? null : textLocator(body.text, body.range.start.line, 0);
    let pos = 0;
    body.parts.forEach((part, index) => {
      if (part.kind === 'text') {
        const at = pos;
        const aligned = inBody !== null && body.text.startsWith(part.text, at);
        fields.push({
          kind: 'body-text',
          text: part.text,
          locate: aligned ? (s, e) => inBody(at + s, at + e) : near(body.range, part.text),
          index,
        });
        pos += part.text.length;
      } else {
        const r = part.range;
        fields.push({
          kind: 'body-file',
          text: part.path,
          locate: lineLocator(r.start.line, r.end.character - part.path.length),
          index,
        });
        const eol = body.text.indexOf('\n', pos);
        pos = eol < 0 ? body.text.length : eol;
      }
    });
  }
  return fields;
}

/** Where the value of `@name = value` starts: the parser trims it, so it ends where the line's text ends. */
export function variableValueLocator(definition: VariableDefinition): Locate {
  const r = definition.range;
  return lineLocator(r.start.line, r.end.character - definition.value.length);
}
