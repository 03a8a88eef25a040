// `@name = value` lines: which definition is in effect where, and REST
// Client's escapes in the written value.
import type { VariableDefinition } from '../parser';

export function groupDefinitions(
  variables: readonly VariableDefinition[],
): Map<string, VariableDefinition[]> {
  const map = new Map<string, VariableDefinition[]>();
  for (const d of variables) {
    const list = map.get(d.name);
    if (list) list.push(d);
    else map.set(d.name, [d]);
  }
  return map;
}

const grouped = new WeakMap<
  readonly VariableDefinition[],
  ReadonlyMap<string, readonly VariableDefinition[]>
>();

/** `groupDefinitions` once per parsed variable list: a run resolves every request of a file against the same one. */
export function definitionsOf(
  variables: readonly VariableDefinition[],
): ReadonlyMap<string, readonly VariableDefinition[]> {
  let map = grouped.get(variables);
  if (!map) {
    map = groupDefinitions(variables);
    grouped.set(variables, map);
  }
  return map;
}

/**
 * The definition in effect on `line` (0-based): the nearest one above it, so a
 * later block may redefine a name (httpYac); else the first in the file, so a
 * value may use a variable defined further down (REST Client).
 */
export function definitionAt(
  definitions: readonly VariableDefinition[] | undefined,
  line: number,
): VariableDefinition | undefined {
  if (!definitions) return undefined;
  let pick: VariableDefinition | undefined;
  for (const d of definitions) if (d.range.start.line <= line) pick = d;
  return pick ?? definitions[0];
}

/** REST Client's escapes `\n` `\r` `\t` `\\`; other backslashes stay (Windows paths, regexes). */
export function unescapeFileValue(text: string): string {
  return text.replace(/\\([nrt\\])/g, (_, c: string) =>
    c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : '\\',
  );
}
