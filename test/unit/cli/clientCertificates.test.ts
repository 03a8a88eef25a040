// `http-session run` with TLS flags (--cacert, --cert, --pfx, --pass), the
// built CLI against a local server that requires a client certificate.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type HostileServer, startHostileServer } from '../hardening/hostileServer';
import { type ClientIssued, createPki, type Pki } from '../hardening/pki';
import { runCli } from '../../helpers/cli';

const HOST = 'api.example.org';

const cli = runCli;

describe('http-session run with client certificates', () => {
  let pki: Pki;
  let client: ClientIssued;
  let server: HostileServer;
  let dir: string;
  /** `run request.http` in `dir`, resolving HOST to the server and trusting the test CA. */
  let run: (...extra: string[]) => ReturnType<typeof cli>;

  before(async () => {
    pki = await createPki();
    const [issued, serverCert] = await Promise.all([pki.client('cli-client'), pki.server([HOST])]);
    client = issued;
    server = await startHostileServer(
      { '/': ({ request, reply }) => reply(200, [], request.clientCN ?? '(no certificate)') },
      { ...serverCert, ca: pki.ca.cert, requireClientCertificate: true },
    );
    dir = mkdtempSync(join(tmpdir(), 'http-session-cli-cert-'));
    writeFileSync(join(dir, 'ca.pem'), pki.ca.cert);
    writeFileSync(join(dir, 'client.pem'), client.cert);
    writeFileSync(join(dir, 'client.key'), client.key);
    writeFileSync(join(dir, 'client.p12'), client.pfx);
    writeFileSync(join(dir, 'request.http'), `GET https://${HOST}:${server.port}/\n`);
    run = (...extra) =>
      cli(
        [
          'run',
          'request.http',
          '--json',
          '--resolve',
          `${HOST}:${server.port}:127.0.0.1`,
          '--cacert',
          'ca.pem',
          ...extra,
        ],
        dir,
      );
  });
  after(() => Promise.all([server?.close(), pki?.dispose()]));

  const record = (stdout: string) => JSON.parse(stdout.trim().split('\n')[0]!);

  test('--cert HOST=CERT,KEY with relative paths: the server sees the certificate', async () => {
    const r = await run('--cert', `${HOST}=client.pem,client.key`);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(record(r.stdout).status, 200);
    assert.equal(record(r.stdout).body, 'cli-client');
  });

  test('--pfx HOST=FILE with --pass', async () => {
    const r = await run('--pfx', `${HOST}=client.p12`, '--pass', client.passphrase);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(record(r.stdout).body, 'cli-client');
  });

  test('without a certificate the request fails with a TLS error that says one is required', async () => {
    const r = await run();
    assert.equal(r.code, 1);
    const { error } = record(r.stdout);
    assert.equal(error.code, 'TLS');
    assert.match(error.message, /failed: the server requires a client certificate — add one for this host/);
  });

  test('a wrong --pass fails the request with a message naming the host; the passphrase is not printed', async () => {
    const r = await run('--pfx', `${HOST}=client.p12`, '--pass', 'wrong-phrase');
    assert.equal(r.code, 1);
    const { error } = record(r.stdout);
    assert.equal(error.code, 'TLS');
    assert.match(error.message, /^The client certificate for api\.example\.org could not be loaded \(/);
    assert.doesNotMatch(r.stdout + r.stderr, /wrong-phrase/);
  });

  test('a file that cannot be read is a usage error naming the flag and the path; nothing is sent', async () => {
    const accepted = server.acceptedCount;
    const r = await run('--cert', `${HOST}=missing.pem,client.key`);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      new RegExp(
        `--cert api\\.example\\.org: cannot read ${join(dir, 'missing.pem').replace(/[.\\]/g, '\\$&')} \\(no such file\\)`,
      ),
    );
    assert.equal(server.acceptedCount, accepted);
  });

  test('malformed flags are usage errors', async () => {
    const noHost = await run('--cert', 'client.pem');
    const twice = await run('--cert', `${HOST}=client.pem,client.key`, '--pfx', `${HOST}=client.p12`);
    assert.equal(noHost.code, 2);
    assert.match(noHost.stderr, /--cert needs HOST=CERT\.pem\[,KEY\.pem\], got "client\.pem"/);
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /--pfx api\.example\.org: that host already has a client certificate/);
  });
});
