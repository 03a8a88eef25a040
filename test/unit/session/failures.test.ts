import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Timing } from '../../../src/core/session/types';
import { testCertificate } from '../../helpers/certificates';
import { closedPort, startHttpServer, startHttpsServer, startSilentServer } from '../../helpers/servers';
import { get, testSession } from '../../helpers/sessions';

function phaseSum(timing: Timing): number {
  const { total: _total, ...phases } = timing;
  return Object.values(phases).reduce<number>((sum, ms) => sum + (ms ?? 0), 0);
}

test('an unparsable URL is INVALID_URL and nothing is sent', async (t) => {
  const session = testSession(t);

  const relative = await session.send(get('/just/a/path'));
  const ftp = await session.send(get('ftp://example.org/file'));

  assert.equal(relative.error?.code, 'INVALID_URL');
  assert.equal(
    relative.error?.message,
    'Invalid URL "/just/a/path" — write an absolute URL starting with http:// or https://',
  );
  assert.equal(ftp.error?.code, 'INVALID_URL');
  assert.equal(relative.sent, null);
  assert.deepEqual(relative.hops, []);
});

test('a host that does not resolve is DNS and names the host', async (t) => {
  const session = testSession(t);

  const result = await session.send(get('http://no-such-host.invalid/'));

  assert.equal(result.error?.code, 'DNS');
  assert.match(result.error?.message ?? '', /^Could not resolve host no-such-host\.invalid/);
  assert.equal(result.timing.dns, result.timing.total);
});

test('a closed port is REFUSED with the host, port and what to check', async (t) => {
  const port = await closedPort();
  const session = testSession(t);

  const result = await session.send(get(`http://127.0.0.1:${port}/`));

  assert.equal(result.error?.code, 'REFUSED');
  assert.equal(
    result.error?.message,
    `Connection refused by 127.0.0.1:${port} — is the server running and listening on that port?`,
  );
  assert.equal(result.response, null);
  assert.equal(result.timing.dns, null);
  assert.equal(result.timing.connect, result.timing.total);
});

test('a resolve rule shows in the message of a refused connection', async (t) => {
  const port = await closedPort();
  const session = testSession(t, { resolve: [{ host: 'api.example.org', port, address: '127.0.0.1' }] });

  const result = await session.send(get(`http://api.example.org:${port}/`));

  assert.equal(result.error?.code, 'REFUSED');
  assert.match(
    result.error?.message ?? '',
    new RegExp(`^Connection refused by api\\.example\\.org:${port} \\(resolved to 127\\.0\\.0\\.1\\)`),
  );
});

test('a self-signed certificate fails verification unless its CA is given or the request is insecure', async (t) => {
  const { ca } = await testCertificate();
  const server = await startHttpsServer({ '/': (_req, res) => res.end('secret') });
  t.after(() => server.close());
  const strict = testSession(t);
  const trusting = testSession(t, { ca });

  const refused = await strict.send(get(server.url('/')));
  const insecure = await strict.send(get(server.url('/')), { insecure: true });
  const withCa = await trusting.send(get(server.url('/')));

  assert.equal(refused.error?.code, 'TLS');
  assert.match(
    refused.error?.message ?? '',
    new RegExp(
      `^TLS with 127\\.0\\.0\\.1:${server.port} failed: the certificate is self-signed — add the CA`,
    ),
  );
  assert.equal(refused.error?.detail?.startsWith('DEPTH_ZERO_SELF_SIGNED_CERT'), true);
  assert.equal(insecure.response?.text, 'secret');
  assert.equal(withCa.response?.text, 'secret');
});

test('a certificate for other names is a TLS error that says so', async (t) => {
  const { ca } = await testCertificate();
  const server = await startHttpsServer({ '/': (_req, res) => res.end('x') });
  t.after(() => server.close());
  const session = testSession(t, { ca, resolve: [{ host: 'wrong.test', address: '127.0.0.1' }] });

  const result = await session.send(get(server.url('/', 'wrong.test')));

  assert.equal(result.error?.code, 'TLS');
  assert.match(result.error?.message ?? '', /wrong\.test.* failed: the certificate does not name this host/);
});

test('plain http on a TLS request is a TLS error that suggests the port does not speak TLS', async (t) => {
  const server = await startHttpServer({ '/': (_req, res) => res.end('x') });
  t.after(() => server.close());
  const session = testSession(t);

  const result = await session.send(get(`https://127.0.0.1:${server.port}/`));

  assert.equal(result.error?.code, 'TLS');
  assert.match(result.error?.message ?? '', /did not answer with TLS/);
});

// A true TCP connect timeout cannot be provoked on loopback (the kernel answers at once), so the
// connect timeout is pinned with a TLS handshake that never completes: it covers DNS, TCP and TLS.
test('a TLS handshake that stalls is CONNECT_TIMEOUT naming the handshake', async (t) => {
  const silent = await startSilentServer();
  t.after(() => silent.close());
  const session = testSession(t);

  const result = await session.send(get(`https://127.0.0.1:${silent.port}/`), { connectTimeoutMs: 150 });

  assert.equal(result.error?.code, 'CONNECT_TIMEOUT');
  assert.equal(
    result.error?.message,
    `Could not connect to 127.0.0.1:${silent.port} within 150 ms (connect timeout, TLS handshake not finished) — check the host, port, firewall or proxy, or raise the connect timeout`,
  );
  assert.ok((result.timing.tls ?? 0) >= 100, `tls ${result.timing.tls}`);
  assert.ok(Math.abs(phaseSum(result.timing) - result.timing.total) <= 1);
});

test('a server that never answers is TIMEOUT after the total timeout', async (t) => {
  const silent = await startSilentServer();
  t.after(() => silent.close());
  const session = testSession(t);

  const started = performance.now();
  const result = await session.send(get(`http://127.0.0.1:${silent.port}/`), { timeoutMs: 200 });

  assert.equal(result.error?.code, 'TIMEOUT');
  assert.equal(
    result.error?.message,
    `No complete response from 127.0.0.1:${silent.port} within 200 ms (total timeout, waiting for the response) — is the server stuck or slow? Raise the timeout if this is expected`,
  );
  // Generous: only shows the send did not wait for some other, longer timer.
  assert.ok(performance.now() - started < 5000);
  assert.ok((result.timing.firstByte ?? 0) > 100);
});

test('a body that stalls half way is TIMEOUT that says how much arrived, with the partial response', async (t) => {
  const server = await startHttpServer({
    '/': (_req, res) => {
      res.writeHead(200, { 'Content-Length': '100' });
      res.write('x'.repeat(40));
    },
  });
  t.after(() => server.close());
  const session = testSession(t);

  const result = await session.send(get(server.url('/')), { timeoutMs: 200 });

  assert.equal(result.error?.code, 'TIMEOUT');
  assert.match(result.error?.message ?? '', /after 40 bytes of the body/);
  assert.equal(result.response?.status, 200);
  assert.equal(result.response?.text, 'x'.repeat(40));
});

test('a connection dropped mid-body is RESET with the partial body kept', async (t) => {
  const server = await startHttpServer({
    '/': (req, res) => {
      res.writeHead(200, { 'Content-Length': '1000', 'Set-Cookie': 'early=1' });
      res.write('y'.repeat(100), () => setTimeout(() => req.socket.destroy(), 20));
    },
  });
  t.after(() => server.close());
  const session = testSession(t);

  const result = await session.send(get(server.url('/')));

  assert.equal(result.error?.code, 'RESET');
  assert.equal(
    result.error?.message,
    `Connection to 127.0.0.1:${server.port} was closed after 100 bytes of the body — the server or a proxy dropped it; check the server log`,
  );
  assert.equal(result.response?.text, 'y'.repeat(100));
  assert.deepEqual(
    result.cookies.stored.map((c) => c.name),
    ['early'],
  );
  assert.ok(result.timing.download !== null);
});

test('an AbortSignal cancels a request in flight; an aborted one is not sent', async (t) => {
  const controller = new AbortController();
  const server = await startHttpServer({ '/hang': () => controller.abort() });
  t.after(() => server.close());
  const session = testSession(t);

  const result = await session.send(get(server.url('/hang')), { signal: controller.signal });
  const already = await session.send(get(server.url('/hang')), { signal: controller.signal });

  assert.equal(result.error?.code, 'CANCELLED');
  assert.equal(result.error?.message, `Request to 127.0.0.1:${server.port} was cancelled`);
  assert.equal(already.error?.code, 'CANCELLED');
  assert.equal(server.requests.length, 1);
});

test('closing the connections cancels requests in flight', async (t) => {
  const server = await startHttpServer({ '/hang': () => {} });
  t.after(() => server.close());
  const session = testSession(t);

  const pending = session.send(get(server.url('/hang')));
  await server.waitForOpenConnections(1);
  await session.closeConnections();
  const result = await pending;

  assert.equal(result.error?.code, 'CANCELLED');
  assert.match(result.error?.message ?? '', /because the session's connections were closed/);
  await server.waitForOpenConnections(0);
});

test('a header the protocol cannot carry is INVALID_REQUEST', async (t) => {
  const server = await startHttpServer({ '/': (_req, res) => res.end('x') });
  t.after(() => server.close());
  const session = testSession(t);

  const result = await session.send(get(server.url('/'), [['Bad Header', 'x']]));

  assert.equal(result.error?.code, 'INVALID_REQUEST');
  assert.match(
    result.error?.message ?? '',
    /^Request to 127\.0\.0\.1:\d+ could not be sent: invalid header key/,
  );
  assert.equal(server.requests.length, 0);
});

test('a disposed session answers CANCELLED without sending', async (t) => {
  const server = await startHttpServer({ '/': (_req, res) => res.end('x') });
  t.after(() => server.close());
  const session = testSession(t, {}, 'gone');
  await session.dispose();

  const result = await session.send(get(server.url('/')));

  assert.equal(result.error?.code, 'CANCELLED');
  assert.equal(server.requests.length, 0);
});
