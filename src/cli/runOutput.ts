// How `run` reports each request: a JSON line (the contract in the README)
// or a readable summary line.
import { exchangeCredentials, maskText, secretMaskedJson, withEncodedForms } from '../core/mask';
import type { RunOutcome } from '../core/run';
import type { JsonRecord, SendResult } from '../core/session';

/** What to hide in this outcome's output: private values it used and the credentials it carried. */
function secretsOf(outcome: RunOutcome): string[] {
  const carried = outcome.result ? exchangeCredentials(outcome.result) : [];
  return withEncodedForms([...outcome.secrets, ...carried]);
}

/** `file:line:column: error: message` per problem of a request that was not sent, as parse errors print. */
export function problemLines(outcome: RunOutcome, file: string): string[] {
  return (outcome.problem?.problems ?? []).map((p) => `${file}:${p.line}:${p.column}: error: ${p.message}`);
}

/** The JSON line `run --json` prints for an outcome (the README's contract), masked unless told not to. */
export function outcomeJson(
  outcome: RunOutcome,
  toJsonRecord: (result: SendResult, name: string | null, masked: boolean) => JsonRecord,
  mask = true,
): string {
  const record = rawRecord(outcome, toJsonRecord, mask);
  return mask ? secretMaskedJson(record, secretsOf(outcome)) : JSON.stringify(record);
}

function rawRecord(
  outcome: RunOutcome,
  toJsonRecord: (result: SendResult, name: string | null, masked: boolean) => JsonRecord,
  masked: boolean,
): JsonRecord {
  if (outcome.result) return toJsonRecord(outcome.result, outcome.request.name, masked);
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
    error: {
      code: problem.kind === 'variables' ? 'VARIABLES' : 'DIRECTIVES',
      message: problem.message,
      problems: problem.problems,
    },
  } as unknown as JsonRecord;
}

export function formatOutcome(outcome: RunOutcome, file: string, mask = true): string {
  const line = summaryLine(outcome, file);
  return mask ? maskText(line, secretsOf(outcome)) : line;
}

function summaryLine(outcome: RunOutcome, file: string): string {
  const { request, result, problem } = outcome;
  const label = request.name ? `${request.name} (${request.method})` : request.method;
  const requestLine = request.ranges.requestLine.start.line + 1;
  const where = `${file}:${requestLine}`;
  if (problem) {
    // One line per request; every problem with its place goes to stderr (problemLines).
    const [first, ...rest] = problem.problems;
    const more = rest.length > 0 ? ` (and ${rest.length} more)` : '';
    const at = first && first.line !== requestLine ? `line ${first.line}: ` : '';
    const why = first ? `${at}${first.message}${more}` : problem.message;
    return `✗ ${label} ${request.url} — not sent (${where}): ${why}`;
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
