// `httpSession.*` settings, read into the core's types when the sessions
// are configured (at start and on every change, so changes apply at once).
// Client certificate files are read then too, not on every request.
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { OptionDefaults } from '../core/run/requestOptions';
import type { SessionConfig } from '../core/session';
import { type ClientCertificate, loadClientCertificates } from '../core/session/config';
import { CLIENT_CERTIFICATES, restrictedValue } from './restrictedSettings';
import { defaultHeaderProblems, readResolveRules } from './settingsChecks';

export interface ExtensionSettings {
  readonly session: SessionConfig;
  readonly defaults: OptionDefaults;
  readonly rememberCookies: boolean;
  readonly persistCookies: 'workspace' | 'none';
  readonly panelPerRequest: boolean;
  readonly maskSecrets: boolean;
  readonly environments: Record<string, Record<string, unknown>>;
  /** Settings that could not be used, one line each (already shown to the user). */
  readonly problems: readonly string[];
}

/**
 * `httpSession.clientCertificates`, files read now, relative paths from the first workspace
 * folder. In Restricted Mode only the user's own value counts (see restrictedSettings.ts): a
 * workspace must not choose which local key files are used, and for which hosts.
 */
function readClientCertificates(c: vscode.WorkspaceConfiguration): {
  certificates: ClientCertificate[];
  problems: string[];
} {
  const key = 'clientCertificates';
  const entries = restrictedValue(
    c.get<Record<string, unknown>>(key),
    c.inspect<Record<string, unknown>>(key),
    vscode.workspace.isTrusted,
  );
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  return loadClientCertificates(entries ?? {}, {
    baseDir: root?.scheme === 'file' ? root.fsPath : null,
    where: (host) => `${CLIENT_CERTIFICATES}[${JSON.stringify(host)}]`,
    readFile: (path) => readFileSync(path),
  });
}

export function readSettings(scope?: vscode.ConfigurationScope): ExtensionSettings {
  const c = vscode.workspace.getConfiguration('httpSession', scope);
  const headers = c.get<Record<string, string>>('defaultHeaders', {});
  const resolve = readResolveRules(c.get<unknown[]>('resolve', []));
  const timeoutMs = c.get<number>('timeout', 120_000);
  const connectTimeoutMs = c.get<number>('connectTimeout', 10_000);
  const maxBodyBytes = c.get<number>('maxBodySize', 50 * 1024 * 1024);
  const rememberCookies = c.get<boolean>('rememberCookies', true);
  const certificates = readClientCertificates(c);
  for (const problem of certificates.problems) {
    void vscode.window.showErrorMessage(
      `HTTP Session: ${problem}. Requests to that host fail until it is fixed.`,
    );
  }
  const headerProblems = defaultHeaderProblems(headers);
  for (const problem of headerProblems) {
    void vscode.window.showErrorMessage(`HTTP Session: ${problem}. Requests fail until it is fixed.`);
  }
  for (const problem of resolve.problems) void vscode.window.showWarningMessage(`HTTP Session: ${problem}.`);
  return {
    session: {
      defaultHeaders: Object.entries(headers).map(([k, v]) => [k, String(v)] as const),
      timeoutMs,
      connectTimeoutMs,
      maxRedirects: c.get<number>('maxRedirects', 20),
      maxBodyBytes,
      resolve: resolve.rules,
      clientCertificates: certificates.certificates,
    },
    defaults: {
      noRedirect: !c.get<boolean>('followRedirects', true),
      noCookieJar: !rememberCookies,
      insecure: c.get<boolean>('insecure', false),
      timeoutMs,
      connectTimeoutMs,
      maxBodyBytes,
    },
    rememberCookies,
    persistCookies: c.get<'workspace' | 'none'>('persistCookies', 'workspace'),
    panelPerRequest: c.get<string>('responsePanel', 'perSession') === 'perRequest',
    maskSecrets: c.get<boolean>('maskSecrets', true),
    environments: c.get<Record<string, Record<string, unknown>>>('environments', {}),
    problems: [...certificates.problems, ...headerProblems, ...resolve.problems],
  };
}
