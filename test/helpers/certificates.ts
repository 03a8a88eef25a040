// A self-signed certificate made by the test run itself (no keys committed).
// One per process: generating takes a few milliseconds with an EC key.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface TestCertificate {
  readonly key: string;
  readonly cert: string;
  /** What a client must trust: the certificate itself, since it is self-signed. */
  readonly ca: string;
}

/** Names the certificate is valid for. `*.example.org` lets resolve rules point test names at 127.0.0.1. */
export const CERTIFICATE_NAMES = ['localhost', '127.0.0.1', '*.example.org', 'home.example.org'] as const;

let cached: Promise<TestCertificate> | null = null;

export function testCertificate(): Promise<TestCertificate> {
  cached ??= generate();
  return cached;
}

async function generate(): Promise<TestCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'http-session-cert-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    const altNames = CERTIFICATE_NAMES.map((name) => (/^[\d.]+$/.test(name) ? `IP:${name}` : `DNS:${name}`));
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '2',
      '-subj',
      '/CN=http-session test',
      '-addext',
      `subjectAltName=${altNames.join(',')}`,
    ]);
    const [key, cert] = await Promise.all([readFile(keyPath, 'utf8'), readFile(certPath, 'utf8')]);
    return { key, cert, ca: cert };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
