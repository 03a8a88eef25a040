// `httpSession.*` settings, read into the core's types. Reading is cheap
// and happens when a request is sent, so changed settings apply at once.
import * as vscode from 'vscode';
import type { OptionDefaults } from '../core/run/requestOptions';
import type { ResolveRule, SessionConfig } from '../core/session';

export interface ExtensionSettings {
  readonly session: SessionConfig;
  readonly defaults: OptionDefaults;
  readonly rememberCookies: boolean;
  readonly persistCookies: 'workspace' | 'none';
  readonly panelPerRequest: boolean;
  readonly maskSecrets: boolean;
  readonly environments: Record<string, Record<string, unknown>>;
}

export function parseResolveRule(text: string): ResolveRule | null {
  const m = /^\s*([^:\s]+):(\d+):(.+?)\s*$/.exec(text);
  if (!m) return null;
  const address = m[3].replace(/^\[(.*)\]$/, '$1');
  return { host: m[1], port: Number(m[2]), address };
}

export function readSettings(scope?: vscode.ConfigurationScope): ExtensionSettings {
  const c = vscode.workspace.getConfiguration('httpSession', scope);
  const headers = c.get<Record<string, string>>('defaultHeaders', {});
  const resolve = c
    .get<string[]>('resolve', [])
    .map(parseResolveRule)
    .filter((r): r is ResolveRule => r !== null);
  const timeoutMs = c.get<number>('timeout', 120_000);
  const connectTimeoutMs = c.get<number>('connectTimeout', 10_000);
  const maxBodyBytes = c.get<number>('maxBodySize', 50 * 1024 * 1024);
  const rememberCookies = c.get<boolean>('rememberCookies', true);
  return {
    session: {
      defaultHeaders: Object.entries(headers).map(([k, v]) => [k, String(v)] as const),
      timeoutMs,
      connectTimeoutMs,
      maxRedirects: c.get<number>('maxRedirects', 20),
      maxBodyBytes,
      resolve,
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
  };
}
