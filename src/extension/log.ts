// The `HTTP Session` output channel: one info line per request, details at
// debug level; credentials and private-env secrets masked unless the user
// turned masking off.
import * as vscode from 'vscode';
import { maskHeaderValue, maskSecrets } from '../core/mask';
import type { SendResult } from '../core/session';

export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('HTTP Session', { log: true });
}

export function logResult(
  log: vscode.LogOutputChannel,
  result: SendResult,
  secrets: readonly string[],
  mask: boolean,
): void {
  const hide = (text: string) => (mask ? maskSecrets(text, secrets) : text);
  const url = hide(result.sent?.url ?? result.url);
  const connection = result.connection
    ? `${result.connection.reused ? 'reused' : 'new'} connection #${result.connection.id}`
    : 'no connection';
  if (result.error) {
    log.error(
      `${result.method} ${url} → ${result.error.code}: ${hide(result.error.message)} (${Math.round(result.elapsedMs)} ms)`,
    );
  } else if (result.response) {
    const r = result.response;
    log.info(
      `${result.method} ${url} → ${r.status} ${r.statusText} in ${Math.round(result.timing.total)} ms, ${connection}`,
    );
  }
  if (log.logLevel > vscode.LogLevel.Debug || log.logLevel === vscode.LogLevel.Off) return;
  for (const [name, value] of result.sent?.headers ?? []) {
    log.debug(`  > ${name}: ${hide(mask ? maskHeaderValue(name, value) : value)}`);
  }
  for (const [name, value] of result.response?.headers ?? []) {
    log.debug(`  < ${name}: ${hide(mask ? maskHeaderValue(name, value) : value)}`);
  }
  for (const r of result.redirects) log.debug(`  redirect ${r.status} → ${hide(r.url)}`);
  for (const c of result.cookies.rejected) log.debug(`  cookie rejected: ${c.reason}`);
  for (const w of result.warnings) log.warn(`  ${hide(w)}`);
}
