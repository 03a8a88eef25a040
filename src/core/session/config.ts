// Session configuration: what a user or the CLI can set, and the defaults.
import { isAbsolute, resolve as resolvePath } from 'node:path';
import type { HeaderList } from './types';

/** Like curl's `--resolve host:port:address`: connect there, but keep URL, Host, SNI and cookies. */
export interface ResolveRule {
  readonly host: string;
  /** Omit to match every port of the host. */
  readonly port?: number;
  readonly address: string;
}

/**
 * A client certificate presented to one host (`api.example.org`, `*.example.org`,
 * optionally with `:port`): PEM `cert` + `key`, or a PKCS#12 `pfx`, with the
 * `passphrase` of an encrypted key or pfx. Contents, not paths: the front end reads the files.
 */
export interface ClientCertificate {
  readonly host: string;
  readonly cert?: string | Uint8Array;
  readonly key?: string | Uint8Array;
  readonly pfx?: Uint8Array;
  readonly passphrase?: string;
  /**
   * Why the front end could not read the files. Requests to the host then fail with it
   * rather than go out without the certificate the user configured.
   */
  readonly error?: string;
}

/** A client certificate as the user writes it: file paths, as in `httpSession.clientCertificates`. */
export interface ClientCertificateFiles {
  readonly cert?: string;
  readonly key?: string;
  readonly pfx?: string;
  readonly passphrase?: string;
}

export interface LoadedClientCertificates {
  readonly certificates: ClientCertificate[];
  /** One line per entry that could not be read, naming where it was written and the path. */
  readonly problems: string[];
}

/**
 * Reads `{ "host[:port]": { cert, key, pfx, passphrase } }` into certificates. Relative paths
 * start at `baseDir`; a PEM `cert` without `key` holds both. `where(host)` names the place
 * the entry was written (a setting or a flag) in messages.
 */
export function loadClientCertificates(
  entries: Readonly<Record<string, unknown>>,
  options: {
    readonly baseDir: string | null;
    readonly where: (host: string) => string;
    readonly readFile: (path: string) => Uint8Array;
  },
): LoadedClientCertificates {
  const certificates: ClientCertificate[] = [];
  const problems: string[] = [];
  for (const [host, value] of Object.entries(entries)) {
    const problem = (text: string) => {
      const line = `${options.where(host)}: ${text}`;
      problems.push(line);
      certificates.push({ host, error: line });
    };
    if (typeof value !== 'object' || value === null) {
      problem('must be an object with "cert" and "key", or "pfx"');
      continue;
    }
    const spec = value as Record<string, unknown>;
    const wrong = (['cert', 'key', 'pfx', 'passphrase'] as const).find(
      (field) => spec[field] !== undefined && typeof spec[field] !== 'string',
    );
    if (wrong) {
      problem(`"${wrong}" must be a string`);
      continue;
    }
    const files = spec as ClientCertificateFiles;
    if (!files.pfx && !files.cert) {
      problem(files.key ? '"key" needs a "cert" next to it' : 'needs "cert" (and "key") or "pfx"');
      continue;
    }
    const read = (path: string): Uint8Array | string => {
      const full = isAbsolute(path) ? path : options.baseDir ? resolvePath(options.baseDir, path) : null;
      if (full === null) return `the relative path ${path} needs a workspace folder`;
      try {
        return options.readFile(full);
      } catch (err) {
        const code = (err as { code?: string }).code;
        const why =
          code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (code ?? String(err));
        return `cannot read ${full} (${why})`;
      }
    };
    const pfx = files.pfx ? read(files.pfx) : undefined;
    const cert = files.cert ? read(files.cert) : undefined;
    const key = files.key ? read(files.key) : cert;
    const failed = [pfx, cert, key].find((r): r is string => typeof r === 'string');
    if (failed) {
      problem(failed);
      continue;
    }
    certificates.push({
      host,
      ...(pfx ? { pfx: pfx as Uint8Array } : {}),
      ...(cert ? { cert: cert as Uint8Array, key: key as Uint8Array } : {}),
      ...(files.passphrase !== undefined ? { passphrase: files.passphrase } : {}),
    });
  }
  return { certificates, problems };
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
  readonly clientCertificates?: readonly ClientCertificate[];
  /** Largest response head (status line and headers) accepted. */
  readonly maxHeaderBytes?: number;
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
  readonly clientCertificates: readonly ClientCertificate[];
  readonly maxHeaderBytes: number;
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
  clientCertificates: [],
  // Chrome's limit: room for RFC 6265bis' 50 cookies of 4096 bytes, unlike Node's 16 KiB.
  maxHeaderBytes: 256 * 1024,
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
    clientCertificates: config.clientCertificates ?? DEFAULTS.clientCertificates,
    maxHeaderBytes: config.maxHeaderBytes ?? DEFAULTS.maxHeaderBytes,
  };
}

/** The address a rule maps `host:port` to, or null to use DNS as usual. */
export function resolveAddress(rules: readonly ResolveRule[], host: string, port: number): string | null {
  const name = host.toLowerCase();
  const rule = rules.find((r) => r.host.toLowerCase() === name && (r.port === undefined || r.port === port));
  return rule ? rule.address : null;
}

/** The client certificate for `host:port`: an exact host beats a `*.` wildcard; the first match wins. */
export function clientCertificateFor(
  certificates: readonly ClientCertificate[],
  host: string,
  port: number,
): ClientCertificate | null {
  const name = host.toLowerCase();
  const matches = (pattern: string, exact: boolean) => {
    const m = /^(.*?)(?::(\d+))?$/.exec(pattern.trim().toLowerCase())!;
    if (m[2] !== undefined && Number(m[2]) !== port) return false;
    const h = m[1]!;
    return exact ? h === name : h.startsWith('*.') && name.endsWith(h.slice(1));
  };
  return (
    certificates.find((c) => matches(c.host, true)) ??
    certificates.find((c) => matches(c.host, false)) ??
    null
  );
}
