// How `run` reports each request: a JSON line (the contract in the README)
// or a readable summary line.
import type { RunOutcome } from '../core/run';
import type { JsonRecord, SendResult } from '../core/session';

export function outcomeRecord(
  outcome: RunOutcome,
  toJsonRecord: (result: SendResult, name: string) => JsonRecord,
): JsonRecord {
  const name = outcome.request.name ?? '';
  if (outcome.result)
    return { ...toJsonRecord(outcome.result, name), name: outcome.request.name } as JsonRecord;
  const problem = outcome.problem!;
  return {
    name: outcome.request.name,
    method: outcome.request.method,
    url: outcome.request.url,
    status: null,
    statusText: null,
    httpVersion: null,
    headers: [],
    body: null,
    bodyBytes: 0,
    truncated: false,
    timing: null,
    connection: null,
    cookies: { stored: [], rejected: [] },
    redirects: [],
    error: { code: problem.kind === 'variables' ? 'VARIABLES' : 'DIRECTIVES', message: problem.message },
  } as unknown as JsonRecord;
}

export function formatOutcome(outcome: RunOutcome, file: string): string {
  const { request, result, problem } = outcome;
  const label = request.name ? `${request.name} (${request.method})` : request.method;
  const where = `${file}:${request.ranges.requestLine.start.line + 1}`;
  if (problem) {
    const indented = problem.message
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n');
    return `✗ ${label} ${request.url} — not sent (${where}):\n${indented}`;
  }
  if (!result) return `✗ ${label} ${request.url}`;
  const url = result.sent?.url ?? result.url;
  if (result.error) return `✗ ${label} ${url} — ${result.error.message} (${where})`;
  const r = result.response!;
  const connection = result.connection
    ? `${result.connection.reused ? 'reused' : 'new'} connection #${result.connection.id}`
    : 'no connection';
  const redirects = result.redirects.length > 0 ? `, ${result.redirects.length} redirect(s)` : '';
  const truncated = r.truncated ? ', body truncated' : '';
  return `✓ ${label} ${url} → ${r.status} ${r.statusText} in ${result.timing.total.toFixed(1)} ms (${connection}${redirects}${truncated})`;
}
