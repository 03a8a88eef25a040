// Problems as people read them: one line each, with the 1-based line and the
// file variables the problem was reached through.
import type { ResolveFailure, VariableProblem } from './model';

/** The message and the file variables it was reached through, without the line. */
export function describeProblem(p: VariableProblem): string {
  const via = p.via.length > 0 ? ` (used through ${p.via.map((v) => `{{${v}}}`).join(' → ')})` : '';
  return `${p.message}${via}`;
}

export function formatProblem(p: VariableProblem): string {
  return `line ${p.line}: ${describeProblem(p)}`;
}

/** Same place and message once, in document order. */
export function uniqueProblems(problems: readonly VariableProblem[]): VariableProblem[] {
  const seen = new Set<string>();
  const out: VariableProblem[] = [];
  for (const p of problems) {
    const key = `${p.range.start.line}:${p.range.start.character}:${p.code}:${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
}

export function failure(title: string, problems: readonly VariableProblem[]): ResolveFailure {
  const list = uniqueProblems(problems);
  return { message: [title, ...list.map((p) => `  ${formatProblem(p)}`)].join('\n'), problems: list };
}
