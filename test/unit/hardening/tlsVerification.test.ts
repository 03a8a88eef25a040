// TLS verification is on unless a request opts out, and an opted-out
// request never shares a connection with a verified one. Self-signed and
// wrong-host certificates are pinned in test/unit/session/failures.test.ts,
// insecure-then-verified pooling in connections.test.ts; here: a CA nobody
// trusts, an expired certificate, and pooling asserted from both sides.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { get, testSession } from '../../helpers/sessions';
import { type HostileServer, startHostileServer } from './hostileServer';
import { createPki, type Pki } from './pki';

const HOST = 'api.example.org';
const resolve = [{ host: HOST, address: '127.0.0.1' }];

let pki: Pki;
let valid: HostileServer;
let expired: HostileServer;

before(async () => {
  pki = await createPki();
  const ok: Parameters<typeof startHostileServer>[0] = {
    '/': ({ request, reply }) => reply(200, [], `served on connection ${request.connection}`),
  };
  valid = await startHostileServer(ok, await pki.server([HOST]));
  expired = await startHostileServer(ok, await pki.server([HOST], { days: -1 }));
});
after(() => Promise.all([valid?.close(), expired?.close(), pki?.dispose()]));

test('a certificate from a CA the session does not trust is a TLS error; trusting the CA fixes it', async (t) => {
  const strict = testSession(t, { resolve });
  const trusting = testSession(t, { resolve, ca: pki.ca.cert });

  const refused = await strict.send(get(valid.url('/', HOST)));
  const accepted = await trusting.send(get(valid.url('/', HOST)));

  assert.equal(refused.error?.code, 'TLS');
  assert.equal(
    refused.error?.message,
    `TLS with ${HOST}:${valid.port} (resolved to 127.0.0.1) failed: the certificate chain is incomplete or its CA is unknown — add the CA to the session's ca setting, or mark the request @insecure if you trust this server`,
  );
  assert.equal(refused.response, null);
  assert.equal(accepted.error, null);
  assert.equal(accepted.response?.status, 200);
});

test('an expired certificate is a TLS error that says it expired, even with its CA trusted', async (t) => {
  const session = testSession(t, { resolve, ca: pki.ca.cert });

  const result = await session.send(get(expired.url('/', HOST)));
  const insecure = await session.send(get(expired.url('/', HOST)), { insecure: true });

  assert.equal(result.error?.code, 'TLS');
  assert.match(
    result.error?.message ?? '',
    new RegExp(
      `^TLS with ${HOST.replace(/\./g, '\\.')}:${expired.port} .*failed: the certificate has expired — `,
    ),
  );
  assert.match(result.error?.detail ?? '', /^CERT_HAS_EXPIRED/);
  assert.equal(insecure.error, null);
});

test('an idle insecure connection is never lent to a verified request', async (t) => {
  // No CA: only the insecure request can talk to this server at all.
  const session = testSession(t, { resolve });
  const accepted = valid.acceptedCount;

  const insecure = await session.send(get(valid.url('/', HOST)), { insecure: true });
  const verified = await session.send(get(valid.url('/', HOST)));
  const insecureAgain = await session.send(get(valid.url('/', HOST)), { insecure: true });

  assert.equal(insecure.error, null);
  // Reusing the idle insecure socket would have answered 200.
  assert.equal(verified.error?.code, 'TLS');
  assert.equal(insecureAgain.connection?.id, insecure.connection?.id);
  assert.equal(insecureAgain.connection?.reused, true);
  assert.equal(valid.acceptedCount - accepted, 2, 'one insecure socket, one refused verified handshake');
  assert.deepEqual(
    session.connections().map((c) => [c.id, c.insecure]),
    [[insecure.connection?.id, true]],
  );
});

test('verified and insecure requests interleaved keep one connection each, seen from both sides', async (t) => {
  const session = testSession(t, { resolve, ca: pki.ca.cert });
  const served = valid.connectionCount;

  const results = [];
  for (const insecure of [false, true, false, true, false]) {
    results.push(await session.send(get(valid.url('/', HOST)), { insecure }));
  }

  assert.deepEqual(
    results.map((r) => [r.error, r.connection?.id, r.connection?.reused]),
    [
      [null, 1, false],
      [null, 2, false],
      [null, 1, true],
      [null, 2, true],
      [null, 1, true],
    ],
  );
  // The server numbers its connections too: verified requests all on one socket, insecure on the other.
  const serverSide = results.map((r) => Number(/connection (\d+)/.exec(r.response?.text ?? '')?.[1]));
  assert.equal(new Set([serverSide[0], serverSide[2], serverSide[4]]).size, 1);
  assert.equal(new Set([serverSide[1], serverSide[3]]).size, 1);
  assert.notEqual(serverSide[0], serverSide[1]);
  assert.equal(valid.connectionCount - served, 2);
});
