// Session configuration: what a user or the CLI can set, and the defaults.
import type { HeaderList } from './types';

/** Like curl's `--resolve host:port:address`: connect there, but keep URL, Host, SNI and cookies. */
export interface ResolveRule {
  readonly host: string;
  /** Omit to match every port of the host. */
  readonly port?: number;
  readonly address: string;
}

export interface SessionConfig {
  readonly defaultHeaders?: HeaderList;
  readonly timeoutMs?: number;
  readonly connectTimeoutMs?: number;
  readonly maxRedirects?: number;
  readonly maxBodyBytes?: number;
  readonly resolve?: readonly ResolveRule[];
  /** Extra trusted CA certificates (PEM); the system's roots stay trusted. */
  readonly ca?: string | readonly string[];
  /** How long an idle connection is kept when the server gives no Keep-Alive hint. */
  readonly keepAliveMs?: number;
  /** Ask for compressed responses (`Accept-Encoding`) unless the request says otherwise. */
  readonly acceptEncoding?: boolean;
}

export interface ResolvedConfig {
  readonly defaultHeaders: HeaderList;
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly maxRedirects: number;
  readonly maxBodyBytes: number;
  readonly resolve: readonly ResolveRule[];
  readonly ca: readonly string[];
  readonly keepAliveMs: number;
  readonly acceptEncoding: boolean;
}

export const DEFAULTS: ResolvedConfig = {
  defaultHeaders: [],
  timeoutMs: 120_000,
  connectTimeoutMs: 10_000,
  maxRedirects: 20,
  maxBodyBytes: 50 * 1024 * 1024,
  resolve: [],
  ca: [],
  // Long enough that requests sent by hand a little apart still share a connection.
  keepAliveMs: 60_000,
  acceptEncoding: true,
};

export function resolveConfig(config: SessionConfig = {}): ResolvedConfig {
  return {
    defaultHeaders: config.defaultHeaders ?? DEFAULTS.defaultHeaders,
    timeoutMs: config.timeoutMs ?? DEFAULTS.timeoutMs,
    connectTimeoutMs: config.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
    maxRedirects: config.maxRedirects ?? DEFAULTS.maxRedirects,
    maxBodyBytes: config.maxBodyBytes ?? DEFAULTS.maxBodyBytes,
    resolve: config.resolve ?? DEFAULTS.resolve,
    ca: config.ca === undefined ? DEFAULTS.ca : typeof config.ca === 'string' ? [config.ca] : config.ca,
    keepAliveMs: config.keepAliveMs ?? DEFAULTS.keepAliveMs,
    acceptEncoding: config.acceptEncoding ?? DEFAULTS.acceptEncoding,
  };
}

/** The address a rule maps `host:port` to, or null to use DNS as usual. */
export function resolveAddress(rules: readonly ResolveRule[], host: string, port: number): string | null {
  const name = host.toLowerCase();
  const rule = rules.find((r) => r.host.toLowerCase() === name && (r.port === undefined || r.port === port));
  return rule ? rule.address : null;
}
