import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConnectionView } from '../../../src/core/session/connections';
import { testCertificate } from '../../helpers/certificates';
import { closedPort, startHttpServer, startHttpsServer } from '../../helpers/servers';
import { get, testSession } from '../../helpers/sessions';

test('sequential requests to one origin share one keep-alive connection', async (t) => {
  const server = await startHttpServer({ '/n': (_req, res) => res.end('ok') });
  t.after(() => server.close());
  const session = testSession(t);

  const uses = [];
  for (let i = 0; i < 5; i++) {
    const result = await session.send(get(server.url('/n')));
    assert.equal(result.error, null);
    uses.push(result.connection);
  }

  assert.equal(server.connectionCount, 1);
  assert.deepEqual(
    uses.map((u) => [u?.reused, u?.requestsOnConnection]),
    [
      [false, 1],
      [true, 2],
      [true, 3],
      [true, 4],
      [true, 5],
    ],
  );
  assert.equal(new Set(uses.map((u) => u?.id)).size, 1);
  assert.equal(uses[0]?.remoteAddress, `127.0.0.1:${server.port}`);
});

test('a hundred sequential sends, half of them redirected, keep to one connection', async (t) => {
  // The send resolves after undici has handed the connection back to its pool: the next one
  // dispatched at once must find it free, on every hop.
  const server = await startHttpServer({
    '/n': (_req, res) => res.end('ok'),
    '/hop': (_req, res) => {
      res.writeHead(302, { Location: '/n' });
      res.end();
    },
  });
  t.after(() => server.close());
  const session = testSession(t);
  for (let i = 0; i < 100; i++) {
    const result = await session.send(get(server.url(i % 2 === 0 ? '/n' : '/hop')));
    assert.equal(result.response?.status, 200);
  }
  assert.equal(server.connectionCount, 1);
  assert.equal(server.requests.length, 150);
});

test('onSent comes once, after the request is written and before its answer', {
  timeout: 10_000,
}, async (t) => {
  // The server answers only once the client said the request went out: an onSent that came
  // with (or after) the answer would leave this send waiting for ever.
  let sent: () => void = () => {};
  const wasSent = new Promise<void>((resolve) => {
    sent = resolve;
  });
  const events: string[] = [];
  const server = await startHttpServer({
    '/held': async (_req, res) => {
      await wasSent;
      events.push('answering');
      res.end('late');
    },
    '/hop': (_req, res) => {
      res.writeHead(302, { Location: '/n' });
      res.end();
    },
    '/n': (_req, res) => res.end('ok'),
  });
  t.after(() => server.close());
  const session = testSession(t);

  const held = await session.send(get(server.url('/held')), {
    onSent: () => {
      events.push('sent');
      sent();
    },
  });
  events.push(`answered ${held.response?.status}`);
  assert.deepEqual(events, ['sent', 'answering', 'answered 200']);

  let redirected = 0;
  const result = await session.send(get(server.url('/hop')), { onSent: () => redirected++ });
  assert.equal(result.redirects.length, 1);
  assert.equal(redirected, 1, 'once per send, not per hop');

  let refused = 0;
  const failed = await session.send(get(`http://127.0.0.1:${await closedPort()}/`), {
    onSent: () => refused++,
  });
  assert.equal(failed.error?.code, 'REFUSED');
  assert.equal(refused, 0, 'nothing was written');
});

test('connection ids are small per-session numbers and concurrent requests get their own', async (t) => {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const server = await startHttpServer({
    '/slow': async (_req, res) => {
      await gate;
      res.end('slow');
    },
  });
  t.after(() => server.close());
  const session = testSession(t);

  const pending = [session.send(get(server.url('/slow'))), session.send(get(server.url('/slow')))];
  await server.waitForOpenConnections(2);
  release();
  const results = await Promise.all(pending);

  assert.deepEqual(results.map((r) => r.connection?.id).sort(), [1, 2]);
  assert.ok(results.every((r) => r.connection?.reused === false));
});

test('another session numbers its connections from 1 too and never shares them', async (t) => {
  const server = await startHttpServer({ '/': (_req, res) => res.end('ok') });
  t.after(() => server.close());
  const first = testSession(t, {}, 'first');
  const second = testSession(t, {}, 'second');

  const a = await first.send(get(server.url('/')));
  const b = await second.send(get(server.url('/')));

  assert.equal(a.connection?.id, 1);
  assert.equal(b.connection?.id, 1);
  assert.equal(b.connection?.reused, false);
  assert.equal(server.connectionCount, 2);
});

test('an insecure request uses its own pool: a verified request after it opens a new connection', async (t) => {
  const { ca } = await testCertificate();
  const server = await startHttpsServer({ '/': (_req, res) => res.end('tls') });
  t.after(() => server.close());
  const session = testSession(t, { ca });

  const insecure = await session.send(get(server.url('/')), { insecure: true });
  const verified = await session.send(get(server.url('/')));
  const verifiedAgain = await session.send(get(server.url('/')));

  assert.equal(insecure.error, null);
  assert.equal(verified.error, null);
  assert.equal(verified.connection?.reused, false);
  assert.notEqual(verified.connection?.id, insecure.connection?.id);
  assert.equal(verifiedAgain.connection?.reused, true);
  assert.equal(server.connectionCount, 2);
  assert.deepEqual(
    session
      .connections()
      .map((c) => c.insecure)
      .sort(),
    [false, true],
  );
});

test('the connection view lists open connections with their request count and state', async (t) => {
  const server = await startHttpServer({ '/': (_req, res) => res.end('ok') });
  t.after(() => server.close());
  const session = testSession(t);

  await session.send(get(server.url('/')));
  await session.send(get(server.url('/')));

  assert.deepEqual(session.connections(), [
    {
      id: 1,
      origin: server.origin,
      remoteAddress: `127.0.0.1:${server.port}`,
      requests: 2,
      state: 'idle',
      insecure: false,
    },
  ]);
});

test('closeConnections releases every socket and the server sees them close', async (t) => {
  const server = await startHttpServer({ '/': (_req, res) => res.end('ok') });
  t.after(() => server.close());
  const session = testSession(t);
  const closed: ConnectionView[] = [];
  session.events.on('connectionClosed', (view) => closed.push(view));

  await session.send(get(server.url('/')));
  assert.equal(server.openConnections, 1);
  await session.closeConnections();

  assert.deepEqual(session.connections(), []);
  assert.deepEqual(
    closed.map((c) => c.id),
    [1],
  );
  await server.waitForOpenConnections(0);
  const again = await session.send(get(server.url('/')));
  assert.equal(again.connection?.reused, false);
  assert.equal(server.connectionCount, 2);
});

test('connection events report opened, busy/idle and closed', async (t) => {
  const server = await startHttpServer({ '/': (_req, res) => res.end('ok') });
  t.after(() => server.close());
  const session = testSession(t);
  const seen: string[] = [];
  session.events.on('connectionOpened', (v) => seen.push(`opened ${v.id}`));
  session.events.on('connectionChanged', (v) => seen.push(`${v.state} ${v.id} ${v.requests}`));
  session.events.on('connectionClosed', (v) => seen.push(`closed ${v.id}`));

  await session.send(get(server.url('/')));
  await session.closeConnections();

  assert.deepEqual(seen, ['opened 1', 'busy 1 1', 'idle 1 1', 'closed 1']);
});
