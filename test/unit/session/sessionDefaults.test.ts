import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Handler, startHttpServer } from '../../helpers/servers';
import { get, testSession } from '../../helpers/sessions';

const echoHeaders: Handler = (req, res) => {
  const pairs: [string, string][] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) pairs.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
  res.end(JSON.stringify(pairs));
};

test('session default headers apply unless the request sets that header (any case)', async (t) => {
  const server = await startHttpServer({ '/': echoHeaders });
  t.after(() => server.close());
  const session = testSession(t, {
    defaultHeaders: [
      ['User-Agent', 'my-tool/1'],
      ['Authorization', 'Bearer session'],
    ],
  });

  const result = await session.send(get(server.url('/'), [['authorization', 'Bearer mine']]));

  const seen: [string, string][] = JSON.parse(result.response?.text ?? '[]');
  assert.deepEqual(
    seen.filter(([n]) => /^(user-agent|authorization)$/i.test(n)),
    [
      ['authorization', 'Bearer mine'],
      ['User-Agent', 'my-tool/1'],
    ],
  );
});

test('per-send defaults beat the session defaults and lose to written headers', async (t) => {
  const server = await startHttpServer({ '/': echoHeaders });
  t.after(() => server.close());
  const session = testSession(t, {
    defaultHeaders: [
      ['X-Env', 'session'],
      ['X-Team', 'session'],
    ],
  });

  const result = await session.send(get(server.url('/'), [['X-Team', 'written']]), {
    defaultHeaders: [
      ['x-env', 'file'],
      ['X-Team', 'file'],
    ],
  });

  const seen: [string, string][] = JSON.parse(result.response?.text ?? '[]');
  assert.deepEqual(
    seen.filter(([n]) => /^x-(env|team)$/i.test(n)),
    [
      ['X-Team', 'written'],
      ['x-env', 'file'],
    ],
  );
});

test('the request as sent shows Host first, then written headers, defaults and the jar cookie', async (t) => {
  const server = await startHttpServer({ '/': (_req, res) => res.end() });
  t.after(() => server.close());
  const session = testSession(t, { defaultHeaders: [['Accept', 'application/json']] });

  const result = await session.send(get(server.url('/'), [['X-Mine', '1']]));

  assert.deepEqual(result.sent?.headers, [
    ['Host', `127.0.0.1:${server.port}`],
    ['X-Mine', '1'],
    ['Accept', 'application/json'],
    ['User-Agent', 'http-session'],
    ['Accept-Encoding', 'gzip, deflate, br'],
  ]);
  assert.deepEqual(
    server.requests[0]?.headers.map(([n]) => n.toLowerCase()).filter((n) => n !== 'connection'),
    ['host', 'x-mine', 'accept', 'user-agent', 'accept-encoding'],
  );
});

test('a resolve rule connects to its address but keeps the Host header and URL', async (t) => {
  const server = await startHttpServer({ '/': (req, res) => res.end(req.headers.host) });
  t.after(() => server.close());
  const session = testSession(t, {
    resolve: [{ host: 'HOME.example.org', port: server.port, address: '127.0.0.1' }],
  });

  const result = await session.send(get(`http://home.example.org:${server.port}/`));

  assert.equal(result.response?.text, `home.example.org:${server.port}`);
  assert.equal(result.connection?.remoteAddress, `127.0.0.1:${server.port}`);
  assert.deepEqual(
    session.connections().map((c) => c.origin),
    [`http://home.example.org:${server.port}`],
  );
});

test('headers the connection manages are not sent as written, with a warning', async (t) => {
  const server = await startHttpServer({ '/': echoHeaders });
  t.after(() => server.close());
  const session = testSession(t);

  const result = await session.send(
    get(server.url('/'), [
      ['Transfer-Encoding', 'chunked'],
      ['Keep-Alive', '5'],
    ]),
  );

  assert.equal(result.error, null);
  assert.deepEqual(result.warnings, [
    'the transfer-encoding header is managed by the connection and was not sent as written',
    'the keep-alive header is managed by the connection and was not sent as written',
  ]);
});

test('a session timeout applies unless the request overrides it', async (t) => {
  const server = await startHttpServer({
    '/slow': (_req, res) => {
      setTimeout(() => res.end('late'), 150);
    },
  });
  t.after(() => server.close());
  const session = testSession(t, { timeoutMs: 50 });

  const timedOut = await session.send(get(server.url('/slow')));
  const patient = await session.send(get(server.url('/slow')), { timeoutMs: 10_000 });

  assert.equal(timedOut.error?.code, 'TIMEOUT');
  assert.match(timedOut.error?.message ?? '', /within 50 ms/);
  assert.equal(patient.response?.text, 'late');
});
