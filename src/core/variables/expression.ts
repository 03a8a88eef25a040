// What the text between `{{` and `}}` means: a plain name, a system variable
// (`$guid`, `$datetime iso8601 1 d`, `$random.integer(1, 5)`), a reference to a
// named request's exchange, or `%` + any of those (URL-encoded).

export type ChainEntity = 'request' | 'response';
export type ChainPart = 'body' | 'headers';

export type VariableExpression =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'system'; readonly name: string; readonly args: string }
  | {
      readonly kind: 'chain';
      readonly request: string;
      readonly entity: ChainEntity;
      readonly part: ChainPart;
      /** `*`, a JSONPath, an XPath or a header name; null when nothing follows the part. */
      readonly path: string | null;
      /** The whole expression, for when it turns out to be a plain dotted name. */
      readonly text: string;
    }
  | { readonly kind: 'encoded'; readonly inner: VariableExpression };

const SYSTEM = /^(\$[A-Za-z_][\w.]*?)(?=$|[\s(])(.*)$/s;
// Request names as REST Client allows them (`\w+`), plus `-` as JetBrains and httpYac names use it.
const CHAIN = /^([\w-]+)\.(request|response)\.(body|headers)(?:\.(.*))?$/s;

export function parseExpression(raw: string): VariableExpression | null {
  const text = raw.trim();
  if (text.length === 0) return null;
  if (text[0] === '%') {
    const inner = parseExpression(text.slice(1));
    return inner && inner.kind !== 'encoded' ? { kind: 'encoded', inner } : null;
  }
  if (text[0] === '$') {
    const m = SYSTEM.exec(text);
    if (!m) return null;
    return { kind: 'system', name: m[1], args: m[2].trim() };
  }
  const c = CHAIN.exec(text);
  if (c) {
    return {
      kind: 'chain',
      request: c[1],
      entity: c[2] as ChainEntity,
      part: c[3] as ChainPart,
      path: c[4] === undefined || c[4].length === 0 ? null : c[4],
      text,
    };
  }
  return { kind: 'name', name: text };
}

/** The name a plain or encoded-plain expression looks up, for completion and hovers. */
export function expressionName(expression: VariableExpression): string {
  switch (expression.kind) {
    case 'name':
    case 'system':
      return expression.name;
    case 'chain':
      return expression.request;
    case 'encoded':
      return expressionName(expression.inner);
  }
}
