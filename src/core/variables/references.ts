// Every `{{...}}` in a document, with its range: for the editor's highlights,
// hovers and go-to-definition. Works on the text, so it also sees references
// in comments and after a response handler, which resolution ignores.
import { type Range, splitLines } from '../parser';
import { parseExpression, type VariableExpression } from './expression';
import { scanTemplate } from './template';

export interface VariableReference {
  /** The text between the braces, trimmed. */
  readonly expression: string;
  /** Null when the braces hold nothing a variable can be (`{{%}}`). */
  readonly parsed: VariableExpression | null;
  /** From the first `{` to just past the last `}`. */
  readonly range: Range;
}

export function findVariableReferences(text: string | readonly string[]): VariableReference[] {
  const lines = typeof text === 'string' ? splitLines(text) : text;
  const out: VariableReference[] = [];
  lines.forEach((line, n) => {
    for (const span of scanTemplate(line)) {
      out.push({
        expression: span.inner.trim(),
        parsed: parseExpression(span.inner),
        range: { start: { line: n, character: span.start }, end: { line: n, character: span.end } },
      });
    }
  });
  return out;
}

/** The reference under the cursor; a position on either brace pair counts. */
export function referenceAt(
  references: readonly VariableReference[],
  position: { readonly line: number; readonly character: number },
): VariableReference | undefined {
  return references.find(
    (r) =>
      r.range.start.line === position.line &&
      r.range.start.character <= position.character &&
      position.character <= r.range.end.character,
  );
}
