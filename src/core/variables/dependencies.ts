// Which named requests a request needs: `{{login.response...}}` in its URL,
// headers, body or body file paths, or in a file variable it uses (however
// deep). The CLI sends those first, once; the editor flags references to
// requests that do not exist. `<@ file` contents are not read here.
import type { HttpDocument, HttpRequest, ParseDiagnostic, VariableDefinition } from '../parser';
import { definitionAt, groupDefinitions } from './fileVariables';
import { parseExpression, type VariableExpression } from './expression';
import { requestFields, variableValueLocator } from './fields';
import type { Locate } from './locate';
import type { Environment } from './model';
import { requestNameSet } from './requestNames';
import { scanTemplate } from './template';

interface Walk {
  readonly document: HttpDocument;
  readonly environment: Environment | undefined;
  readonly names: ReadonlySet<string>;
  readonly definitions: ReadonlyMap<string, readonly VariableDefinition[]>;
  readonly seen: Set<string>;
  readonly found: string[];
}

/** Names of the document's requests that `request` references, in order of first use, itself excluded. */
export function referencedRequests(
  document: HttpDocument,
  request: HttpRequest,
  environment?: Environment,
): string[] {
  const walk: Walk = {
    document,
    environment,
    names: requestNameSet(document.requests),
    definitions: groupDefinitions(document.variables),
    seen: new Set(),
    found: [],
  };
  const line = request.ranges.requestLine.start.line;
  for (const f of requestFields(request)) visitText(walk, f.text, line);
  return walk.found.filter((n) => n !== request.name);
}

function visitText(walk: Walk, text: string, line: number): void {
  for (const span of scanTemplate(text)) {
    const e = parseExpression(span.inner);
    if (e) visit(walk, e, line);
  }
}

function visit(walk: Walk, e: VariableExpression, line: number): void {
  if (e.kind === 'encoded') {
    visit(walk, e.inner, line);
  } else if (e.kind === 'chain') {
    if (!walk.names.has(e.request)) visitName(walk, e.text, line);
    else if (!walk.found.includes(e.request)) walk.found.push(e.request);
  } else if (e.kind === 'name') {
    visitName(walk, e.name, line);
  } else if (e.name === '$shared') {
    const entry = walk.environment?.shared.get(e.args.trim());
    if (entry) visitOnce(walk, `shared:${e.args.trim()}`, entry.value, line);
  }
}

function visitName(walk: Walk, name: string, line: number): void {
  const def = definitionAt(walk.definitions.get(name), line);
  if (def) {
    visitOnce(walk, `file:${def.range.start.line}`, def.value, def.range.start.line - 1);
    return;
  }
  const entry = walk.environment?.variables.get(name);
  if (entry) visitOnce(walk, `env:${name}`, entry.value, line);
}

function visitOnce(walk: Walk, key: string, text: string, line: number): void {
  if (walk.seen.has(key)) return;
  walk.seen.add(key);
  visitText(walk, text, line);
}

/**
 * `{{name.response...}}` where no request in the document is named `name`
 * (and no environment variable has that dotted name), as editor diagnostics.
 */
export function unknownRequestReferences(
  document: HttpDocument,
  lines?: readonly string[],
  environment?: Environment,
): ParseDiagnostic[] {
  const names = requestNameSet(document.requests);
  const definitions = groupDefinitions(document.variables);
  const out: ParseDiagnostic[] = [];
  const check = (text: string, locate: Locate) => {
    for (const span of scanTemplate(text)) {
      let e = parseExpression(span.inner);
      if (e?.kind === 'encoded') e = e.inner;
      if (e?.kind !== 'chain' || names.has(e.request)) continue;
      if (environment?.variables.has(e.text) || definitions.has(e.text)) continue;
      out.push({
        range: locate(span.start, span.end),
        severity: 'warning',
        code: 'unknown-request',
        message: `No request in this file is named ${e.request}: name one with \`# @name ${e.request}\`.`,
      });
    }
  };
  for (const d of document.variables) check(d.value, variableValueLocator(d));
  for (const r of document.requests) for (const f of requestFields(r, lines)) check(f.text, f.locate);
  return out;
}
