// Resolving one string outside a request's model: a `# @default-header`
// value, a directive's argument. Same sources and rules as a request.
import type { HttpDocument, Range } from '../parser';
import { fixedLocator } from './locate';
import type { ResolveFailure, Result, VariableContext } from './model';
import { failure } from './problems';
import { VariableScope } from './scope';

export interface TemplateOptions {
  /** Where the string is written: problems point here, and it picks among repeated file variables. */
  readonly range: Range;
  /** Why a value may not go into this string (e.g. `checkHeaderValue`), or null. */
  readonly check?: (value: string) => string | null;
}

export function resolveTemplate(
  document: Pick<HttpDocument, 'variables' | 'requests'>,
  context: VariableContext,
  text: string,
  options: TemplateOptions,
): Result<{ readonly value: string; readonly secrets: string[] }, ResolveFailure> {
  const scope = new VariableScope(document, context);
  const sub = scope.substitute(text, fixedLocator(options.range), options.range.start.line, {
    check: options.check,
  });
  if (sub.problems.length > 0) {
    return { ok: false, error: failure(`Cannot resolve ${text}:`, sub.problems) };
  }
  return { ok: true, value: { value: sub.text, secrets: [...new Set(sub.secrets)] } };
}
