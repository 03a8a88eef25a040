// `run`'s TLS flags, close to curl's: `--cacert FILE`, `--cert HOST=CERT[,KEY]`,
// `--pfx HOST=FILE` and `--pass PHRASE`. Unlike curl, a client certificate
// belongs to a host (as in the `httpSession.clientCertificates` setting), so a
// redirect to another host never carries it. Files are read before anything is
// sent: one that cannot be read is a usage error.
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import {
  type ClientCertificate,
  type ClientCertificateFiles,
  loadClientCertificates,
} from '../core/session/config';
import { UsageError } from './usage';

export const TLS_OPTIONS = {
  cacert: { type: 'string', multiple: true },
  cert: { type: 'string', multiple: true },
  pfx: { type: 'string', multiple: true },
  pass: { type: 'string' },
} as const;

export interface TlsValues {
  readonly cacert?: readonly string[];
  readonly cert?: readonly string[];
  readonly pfx?: readonly string[];
  readonly pass?: string;
}

/** The CA certificates of `--cacert`, as PEM text. */
export function caCertificates(values: TlsValues): string[] {
  return (values.cacert ?? []).map((path) => {
    const full = resolvePath(path);
    try {
      return readFileSync(full, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(`--cacert: cannot read ${full} (${code === 'ENOENT' ? 'no such file' : code}).`);
    }
  });
}

/** The client certificates of `--cert` and `--pfx`, one per host, with `--pass` for their keys. */
export function clientCertificates(values: TlsValues): ClientCertificate[] {
  const entries: Record<string, ClientCertificateFiles> = {};
  const flags = new Map<string, string>();
  const add = (flag: '--cert' | '--pfx', text: string) => {
    const eq = text.indexOf('=');
    const host = text.slice(0, eq).trim();
    const files = text.slice(eq + 1);
    if (eq <= 0 || host === '' || files === '') {
      const form = flag === '--cert' ? 'HOST=CERT.pem[,KEY.pem]' : 'HOST=FILE.p12';
      throw new UsageError(`${flag} needs ${form}, got "${text}".`);
    }
    if (flags.has(host)) throw new UsageError(`${flag} ${host}: that host already has a client certificate.`);
    const [cert, key] = files.split(',');
    entries[host] = {
      ...(flag === '--cert' ? { cert, ...(key ? { key } : {}) } : { pfx: files }),
      ...(values.pass !== undefined ? { passphrase: values.pass } : {}),
    };
    flags.set(host, flag);
  };
  for (const text of values.cert ?? []) add('--cert', text);
  for (const text of values.pfx ?? []) add('--pfx', text);
  const loaded = loadClientCertificates(entries, {
    baseDir: process.cwd(),
    where: (host) => `${flags.get(host)} ${host}`,
    readFile: (path) => readFileSync(path),
  });
  if (loaded.problems.length > 0) throw new UsageError(`${loaded.problems.join('; ')}.`);
  return loaded.certificates;
}
