// Checks of `httpSession.defaultHeaders` and `httpSession.resolve` when the
// settings are read, so that a bad value is told once, naming the setting,
// instead of as each request fails (a header) or never (a resolve rule that
// did not parse was dropped without a word). Nothing here imports `vscode`.
import type { ResolveRule } from '../core/session';
import { TOKEN, wireHeaderValueProblem } from '../core/variables/checks';

export function parseResolveRule(text: string): ResolveRule | null {
  const m = /^\s*([^:\s]+):(\d+):(.+?)\s*$/.exec(text);
  if (!m) return null;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return null;
  const address = m[3].replace(/^\[(.*)\]$/, '$1');
  return { host: m[1], port, address };
}

/**
 * One line per default header that no request could send. The header stays in the settings:
 * requests fail with the same reason until it is fixed, as a request-level header would.
 */
export function defaultHeaderProblems(headers: Readonly<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const where = `httpSession.defaultHeaders[${JSON.stringify(name)}]`;
    if (!TOKEN.test(name)) {
      problems.push(`${where}: ${JSON.stringify(name)} is not a header name`);
      continue;
    }
    // A number or boolean is sent as its text, as readSettings does.
    const why = wireHeaderValueProblem(String(value));
    if (why !== null) problems.push(`${where}: the value ${why}`);
  }
  return problems;
}

/** The rules that parse, and one line per entry that does not (it is left out). */
export function readResolveRules(entries: readonly unknown[]): { rules: ResolveRule[]; problems: string[] } {
  const rules: ResolveRule[] = [];
  const problems: string[] = [];
  entries.forEach((entry, i) => {
    const rule = typeof entry === 'string' ? parseResolveRule(entry) : null;
    if (rule) rules.push(rule);
    else
      problems.push(
        `httpSession.resolve[${i}]: ${JSON.stringify(entry)} is not HOST:PORT:ADDRESS (as curl's --resolve); it is left out`,
      );
  });
  return { rules, problems };
}
