// A small PKI made by the test run with openssl (no keys committed): a CA,
// server certificates it signs for chosen names, and client certificates as
// PEM and as a passphrase-protected PKCS#12 file.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export interface Issued {
  readonly key: string;
  readonly cert: string;
}

export interface ClientIssued extends Issued {
  /** PKCS#12 bundle of key and certificate, encrypted with `passphrase`. */
  readonly pfx: Buffer;
  readonly passphrase: string;
}

export interface Pki {
  readonly ca: Issued;
  /** A server certificate for `names`; `days: -1` makes one that has already expired. */
  server(names: readonly string[], options?: { readonly days?: number }): Promise<Issued>;
  client(commonName: string): Promise<ClientIssued>;
  dispose(): Promise<void>;
}

function altNames(names: readonly string[]): string {
  return names.map((n) => (/^[\d.]+$/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
}

export async function createPki(name = 'http-session test CA'): Promise<Pki> {
  const dir = await mkdtemp(join(tmpdir(), 'http-session-pki-'));
  const path = (file: string) => join(dir, file);
  await run('openssl', [
    'req',
    '-x509',
    ...EC,
    '-keyout',
    path('ca.key'),
    '-out',
    path('ca.pem'),
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  const ca = { key: await readFile(path('ca.key'), 'utf8'), cert: await readFile(path('ca.pem'), 'utf8') };
  let serial = 0;

  const issue = async (subject: string, extensions: string, days = 2): Promise<{ base: string } & Issued> => {
    const base = path(`leaf${++serial}`);
    await run('openssl', ['req', ...EC, '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', subject]);
    await writeFile(`${base}.ext`, extensions);
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      `${base}.csr`,
      '-CA',
      path('ca.pem'),
      '-CAkey',
      path('ca.key'),
      // A random serial per certificate: -CAcreateserial shares one serial file, which
      // certificates issued concurrently (Promise.all) would corrupt.
      '-set_serial',
      `0x${randomBytes(16).toString('hex')}`,
      '-out',
      `${base}.pem`,
      // Negative: valid from now until a day ago, i.e. expired (OpenSSL 3.0 has no -not_after).
      '-days',
      String(days),
      '-extfile',
      `${base}.ext`,
    ]);
    return { base, key: await readFile(`${base}.key`, 'utf8'), cert: await readFile(`${base}.pem`, 'utf8') };
  };

  return {
    ca,
    async server(names, options = {}) {
      const { key, cert } = await issue(
        `/CN=${names[0]}`,
        `subjectAltName=${altNames(names)}\nextendedKeyUsage=serverAuth\n`,
        options.days,
      );
      return { key, cert };
    },
    async client(commonName) {
      const { base, key, cert } = await issue(`/CN=${commonName}`, 'extendedKeyUsage=clientAuth\n');
      const passphrase = `pass-${serial}-${commonName}`;
      await run('openssl', [
        'pkcs12',
        '-export',
        '-inkey',
        `${base}.key`,
        '-in',
        `${base}.pem`,
        '-out',
        `${base}.p12`,
        '-passout',
        `pass:${passphrase}`,
      ]);
      return { key, cert, pfx: await readFile(`${base}.p12`), passphrase };
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
