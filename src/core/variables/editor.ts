// Pure helpers for the editor's hovers and completion: what a variable at a
// position comes to and where it came from, and which names are known.
// Secrets (private env files, .env, the OS environment) show as •••• unless
// the user asks to reveal them.
import type { HttpDocument, HttpRequest, Position, Range } from '../parser';
import type { Environment, VariableContext, VariableOrigin } from './model';
import { formatProblem } from './problems';
import { promptsOf } from './prompts';
import { findVariableReferences, referenceAt } from './references';
import { VariableScope } from './scope';
import { SYSTEM_VARIABLES } from './systemVariables';

import { MASK, maskSecrets } from '../mask';

export { MASK, maskSecrets };

export interface VariableDescription {
  readonly expression: string;
  readonly range: Range;
  /** The value, secrets masked unless revealed; null when it does not resolve. */
  readonly value: string | null;
  readonly origin: VariableOrigin | null;
  /** The value is or contains a secret. */
  readonly secret: boolean;
  /** A new value each time it is used (`$guid`, `$timestamp`, ...). */
  readonly volatile: boolean;
  /** Why it does not resolve, null when it does. */
  readonly problem: string | null;
}

/** One line for a hover: "file variable, line 3", "private env file /w/http-client.private.env.json (dev)". */
export function describeOrigin(origin: VariableOrigin): string {
  switch (origin.kind) {
    case 'prompt':
      return `answer to # @prompt ${origin.name}`;
    case 'chain':
      return `response of request ${origin.request}`;
    case 'file':
      return `file variable, line ${origin.range.start.line + 1}`;
    case 'environment': {
      const where =
        origin.source === 'settings'
          ? 'settings'
          : `${origin.source === 'private-file' ? 'private env file' : 'env file'} ${origin.path}`;
      return `${where} (${origin.environment})`;
    }
    case 'system':
      return `system variable ${origin.name}`;
    case 'dotenv':
      return `${origin.path} (${origin.name})`;
    case 'process-env':
      return `OS environment variable ${origin.name}`;
  }
}

/** The request whose block holds `line`, if any. */
export function requestAtLine(document: HttpDocument, line: number): HttpRequest | undefined {
  return document.requests.find((r) => r.ranges.block.start.line <= line && line <= r.ranges.block.end.line);
}

/** The line a reference on `line` is resolved as used on: its request's, or above its own definition. */
function usageLine(document: HttpDocument, line: number): number {
  const def = document.variables.find((d) => d.range.start.line === line);
  if (def) return line - 1;
  return requestAtLine(document, line)?.ranges.requestLine.start.line ?? line;
}

export function describeVariableAt(
  document: HttpDocument,
  text: string | readonly string[],
  position: Position,
  context: VariableContext,
  options: { readonly reveal?: boolean } = {},
): VariableDescription | null {
  const ref = referenceAt(findVariableReferences(text), position);
  if (!ref) return null;
  const base = { expression: ref.expression, range: ref.range };
  if (!ref.parsed) {
    return {
      ...base,
      value: null,
      origin: null,
      secret: false,
      volatile: false,
      problem: 'not a variable reference',
    };
  }
  const evaluation = new VariableScope(document, context).evaluate(
    ref.parsed,
    usageLine(document, position.line),
  );
  if (!evaluation.ok) {
    const problem =
      evaluation.nested.length > 0 ? evaluation.nested.map(formatProblem).join('\n') : evaluation.reason;
    return { ...base, value: null, origin: null, secret: false, volatile: false, problem };
  }
  const secret = evaluation.secrets.length > 0;
  return {
    ...base,
    value: secret && !options.reveal ? maskSecrets(evaluation.value, evaluation.secrets) : evaluation.value,
    origin: evaluation.origin,
    secret,
    volatile: evaluation.origin.kind === 'system',
    problem: null,
  };
}

export type CompletionKind = 'prompt' | 'request' | 'file' | 'environment' | 'system';

export interface VariableCompletion {
  /** What goes between the braces. */
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail: string;
}

/** Every name a `{{` on `line` can complete to; env values from private files are masked. */
export function variableCompletions(
  document: HttpDocument,
  environment: Environment,
  line: number,
): VariableCompletion[] {
  const out: VariableCompletion[] = [];
  const seen = new Set<string>();
  const add = (c: VariableCompletion) => {
    if (seen.has(c.label)) return;
    seen.add(c.label);
    out.push(c);
  };
  const request = requestAtLine(document, line);
  if (request) {
    for (const p of promptsOf(request))
      add({ label: p.name, kind: 'prompt', detail: p.description ?? 'prompt' });
  }
  for (const d of document.variables) add({ label: d.name, kind: 'file', detail: d.value });
  for (const [name, entry] of environment.variables) {
    const value = entry.origin.source === 'private-file' ? MASK : entry.value;
    add({ label: name, kind: 'environment', detail: `${value} — ${describeOrigin(entry.origin)}` });
  }
  for (const r of document.requests) {
    if (r.name === null || r === request) continue;
    add({
      label: `${r.name}.response.body.`,
      kind: 'request',
      detail: `JSONPath, XPath or * on ${r.name}'s response`,
    });
    add({
      label: `${r.name}.response.headers.`,
      kind: 'request',
      detail: `a header of ${r.name}'s response`,
    });
  }
  for (const s of SYSTEM_VARIABLES)
    add({ label: s.name, kind: 'system', detail: `${s.usage} — ${s.description}` });
  return out;
}
