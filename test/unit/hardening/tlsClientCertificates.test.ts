// Client certificates per host (SessionConfig.clientCertificates): PEM and
// PKCS#12 with a passphrase, presented only to the host they are configured
// for, and clear errors when the server wants one or the file cannot be used.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ClientCertificate, SessionConfig } from '../../../src/core/session/config';
import { classifyError } from '../../../src/core/session/errors';
import { get, testSession } from '../../helpers/sessions';
import { type HostileServer, type Route, startHostileServer } from './hostileServer';
import { type ClientIssued, createPki, type Pki } from './pki';

const API = 'api.example.org';
const OTHER = 'other.example.org';

let pki: Pki;
let client: ClientIssued;
let wildcardClient: ClientIssued;
/** Refuses the handshake without a client certificate from the CA. */
let strict: HostileServer;
/** Asks for a certificate, takes the request either way, answers with the CN it saw. */
let lenient: HostileServer;

const whoAmI: Route = ({ request, reply }) => reply(200, [], request.clientCN ?? '(no certificate)');

function config(clientCertificates: readonly ClientCertificate[]): SessionConfig {
  return {
    ca: pki.ca.cert,
    resolve: [
      { host: API, address: '127.0.0.1' },
      { host: OTHER, address: '127.0.0.1' },
    ],
    clientCertificates,
  };
}

before(async () => {
  pki = await createPki();
  const [server, issued, wildcard] = await Promise.all([
    pki.server([API, OTHER]),
    pki.client('alice-client'),
    pki.client('wildcard-client'),
  ]);
  client = issued;
  wildcardClient = wildcard;
  strict = await startHostileServer(
    { '/': whoAmI },
    { ...server, ca: pki.ca.cert, requireClientCertificate: true },
  );
  lenient = await startHostileServer(
    {
      '/': whoAmI,
      '/bounce': ({ reply }) => reply(302, [['Location', lenient.url('/', OTHER)]]),
    },
    { ...server, ca: pki.ca.cert },
  );
});
after(() => Promise.all([strict?.close(), lenient?.close(), pki?.dispose()]));

test('a server that requires a client certificate, sent none: TLS error saying one is required', async (t) => {
  const session = testSession(t, config([]));

  const result = await session.send(get(strict.url('/', API)));

  assert.equal(result.error?.code, 'TLS');
  assert.equal(
    result.error?.message,
    `TLS with ${API}:${strict.port} (resolved to 127.0.0.1) failed: the server requires a client certificate — add one for this host (httpSession.clientCertificates, or --cert/--pfx on the command line)`,
  );
  assert.equal(result.response, null);
});

test('a PEM certificate and key for the host: 200, and the server saw its CN', async (t) => {
  const session = testSession(t, config([{ host: API, cert: client.cert, key: client.key }]));

  const result = await session.send(get(strict.url('/', API)));

  assert.equal(result.error, null, result.error?.message);
  assert.equal(result.response?.text, 'alice-client');
});

test('a PKCS#12 file with its passphrase: 200, and the server saw its CN', async (t) => {
  const session = testSession(
    t,
    config([{ host: `${API}:${strict.port}`, pfx: client.pfx, passphrase: client.passphrase }]),
  );

  const result = await session.send(get(strict.url('/', API)));

  assert.equal(result.error, null, result.error?.message);
  assert.equal(result.response?.text, 'alice-client');
});

// Node's own TLS server drops a client certificate from an unknown CA without an alert (a bare
// close), so the alerts real servers send are pinned on the classifier directly.
test('the server alerts about client certificates each name the problem and the advice', () => {
  const ctx = { host: API, port: 8443, mappedTo: null, stage: 'waiting', bodyBytes: 0 } as const;
  const alert = (code: string) => classifyError(Object.assign(new Error(code), { code }), ctx).message;

  assert.equal(
    alert('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA'),
    `TLS with ${API}:8443 failed: the server does not trust the CA of the client certificate — check that the certificate configured for this host is the one it expects`,
  );
  assert.match(
    alert('ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE'),
    /the server did not accept the client certificate — check that the certificate configured/,
  );
  assert.match(alert('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'), /requires a client certificate — add one/);
});

test('a wrong passphrase is a client certificate error naming the host; nothing is sent', async (t) => {
  const session = testSession(t, config([{ host: API, pfx: client.pfx, passphrase: 'not the passphrase' }]));
  const accepted = strict.acceptedCount;

  const result = await session.send(get(strict.url('/', API)));

  assert.equal(result.error?.code, 'TLS');
  assert.match(
    result.error?.message ?? '',
    /^The client certificate for api\.example\.org could not be loaded \(.+\) — check the cert, key or pfx and the passphrase$/,
  );
  assert.equal(strict.acceptedCount, accepted, 'no connection was even opened');
});

test('a certificate is presented only to the host (and port) it is configured for', async (t) => {
  const cases: readonly [string, readonly ClientCertificate[], string][] = [
    ['another host', [{ host: OTHER, cert: client.cert, key: client.key }], '(no certificate)'],
    ['another port', [{ host: `${API}:1`, cert: client.cert, key: client.key }], '(no certificate)'],
    ['this port', [{ host: `${API}:${lenient.port}`, cert: client.cert, key: client.key }], 'alice-client'],
    ['a wildcard', [{ host: '*.example.org', cert: client.cert, key: client.key }], 'alice-client'],
    [
      'the exact host before a wildcard listed first',
      [
        { host: '*.example.org', cert: wildcardClient.cert, key: wildcardClient.key },
        { host: API, cert: client.cert, key: client.key },
      ],
      'alice-client',
    ],
  ];
  for (const [label, certificates, expected] of cases) {
    const session = testSession(t, config(certificates));
    const result = await session.send(get(lenient.url('/', API)));
    assert.equal(result.error, null, `${label}: ${result.error?.message}`);
    assert.equal(result.response?.text, expected, label);
  }
});

test('after a redirect to a host without a certificate, none is presented there', async (t) => {
  const session = testSession(t, config([{ host: API, cert: client.cert, key: client.key }]));

  const result = await session.send(get(lenient.url('/bounce', API)));

  assert.equal(result.error, null, result.error?.message);
  assert.equal(result.response?.text, '(no certificate)');
  assert.deepEqual(
    lenient.requests.slice(-2).map((r) => r.clientCN),
    ['alice-client', null],
  );
});
