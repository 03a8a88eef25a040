// Client certificates as the front ends write them (file paths per host, the
// `httpSession.clientCertificates` shape), read by loadClientCertificates: what
// is read, what a broken entry says, and that a broken entry fails its host's
// requests instead of sending them without the certificate.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadClientCertificates } from '../../../src/core/session/config';
import { get, testSession } from '../../helpers/sessions';
import { type HostileServer, startHostileServer } from './hostileServer';
import { type ClientIssued, createPki, type Pki } from './pki';

const API = 'api.example.org';
const SETTING = 'httpSession.clientCertificates';

let pki: Pki;
let client: ClientIssued;
let server: HostileServer;
let workspace: string;

const load = (entries: Record<string, unknown>, baseDir: string | null = workspace) =>
  loadClientCertificates(entries, {
    baseDir,
    where: (host) => `${SETTING}[${JSON.stringify(host)}]`,
    readFile: (path) => readFileSync(path),
  });

before(async () => {
  pki = await createPki();
  const [issued, serverCert] = await Promise.all([pki.client('file-client'), pki.server([API])]);
  client = issued;
  server = await startHostileServer(
    { '/': ({ request, reply }) => reply(200, [], request.clientCN ?? '(no certificate)') },
    { ...serverCert, ca: pki.ca.cert },
  );
  workspace = mkdtempSync(join(tmpdir(), 'http-session-certs-'));
  mkdirSync(join(workspace, 'certs'));
  writeFileSync(join(workspace, 'certs', 'client.pem'), client.cert);
  writeFileSync(join(workspace, 'certs', 'client.key'), client.key);
  writeFileSync(join(workspace, 'certs', 'both.pem'), client.cert + client.key);
  writeFileSync(join(workspace, 'certs', 'client.p12'), client.pfx);
});
after(() => Promise.all([server?.close(), pki?.dispose()]));

const sessionConfig = (entries: Record<string, unknown>) => ({
  ca: pki.ca.cert,
  resolve: [{ host: API, address: '127.0.0.1' }],
  clientCertificates: load(entries).certificates,
});

test('PEM, combined PEM and PKCS#12 entries are read relative to the workspace and presented', async (t) => {
  const entries: Record<string, unknown>[] = [
    { [API]: { cert: 'certs/client.pem', key: 'certs/client.key' } },
    { [API]: { cert: join(workspace, 'certs', 'both.pem') } },
    { [`${API}:${server.port}`]: { pfx: 'certs/client.p12', passphrase: client.passphrase } },
  ];
  for (const entry of entries) {
    assert.deepEqual(load(entry).problems, []);
    const session = testSession(t, sessionConfig(entry));
    const result = await session.send(get(server.url('/', API)));
    assert.equal(result.error, null, result.error?.message);
    assert.equal(result.response?.text, 'file-client', JSON.stringify(entry));
  }
});

test('a missing file is a problem naming the setting and the path, and fails that host without sending', async (t) => {
  const entries = {
    [API]: { cert: 'certs/missing.pem', key: 'certs/client.key' },
    'other.example.org': { pfx: 'certs/client.p12' },
  };
  const missing = join(workspace, 'certs', 'missing.pem');

  const loaded = load(entries);
  const session = testSession(t, sessionConfig(entries));
  const accepted = server.acceptedCount;
  const result = await session.send(get(server.url('/', API)));

  assert.deepEqual(loaded.problems, [`${SETTING}["${API}"]: cannot read ${missing} (no such file)`]);
  assert.equal(loaded.certificates.length, 2);
  assert.equal(result.error?.code, 'TLS');
  assert.equal(
    result.error?.message,
    `The client certificate for ${API} could not be loaded (${SETTING}["${API}"]: cannot read ${missing} (no such file)) — check the cert, key or pfx and the passphrase`,
  );
  assert.equal(server.acceptedCount, accepted, 'no connection without the configured certificate');
});

test('entries that cannot work are reported one line each', () => {
  const cases: readonly [unknown, string][] = [
    ['certs/client.pem', 'must be an object with "cert" and "key", or "pfx"'],
    [{}, 'needs "cert" (and "key") or "pfx"'],
    [{ key: 'certs/client.key' }, '"key" needs a "cert" next to it'],
    [{ pfx: 'certs/client.p12', passphrase: 1234 }, '"passphrase" must be a string'],
    [{ pfx: 'certs' }, `cannot read ${join(workspace, 'certs')} (it is a folder)`],
  ];
  for (const [value, problem] of cases) {
    assert.deepEqual(load({ [API]: value }).problems, [`${SETTING}["${API}"]: ${problem}`]);
  }
  assert.deepEqual(load({ [API]: { pfx: 'certs/client.p12' } }, null).problems, [
    `${SETTING}["${API}"]: the relative path certs/client.p12 needs a workspace folder`,
  ]);
});
