import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Handler, startHttpServer } from '../../helpers/servers';
import { get, testSession } from '../../helpers/sessions';

const redirectTo =
  (status: number, location: string): Handler =>
  (_req, res) => {
    res.writeHead(status, { Location: location });
    res.end('moved');
  };

const describeRequest: Handler = (req, res, body) => {
  res.setHeader('Content-Type', 'application/json');
  res.end(
    JSON.stringify({
      method: req.method,
      body: body.toString(),
      contentType: req.headers['content-type'] ?? null,
      authorization: req.headers.authorization ?? null,
      proxyAuthorization: req.headers['proxy-authorization'] ?? null,
      cookie: req.headers.cookie ?? null,
    }),
  );
};

const rewriteCases: readonly { status: number; method: string; expect: [string, string, string | null] }[] = [
  { status: 303, method: 'POST', expect: ['GET', '', null] },
  { status: 303, method: 'PUT', expect: ['GET', '', null] },
  { status: 302, method: 'POST', expect: ['GET', '', null] },
  { status: 301, method: 'POST', expect: ['GET', '', null] },
  { status: 302, method: 'PUT', expect: ['PUT', 'payload', 'text/plain'] },
  { status: 307, method: 'POST', expect: ['POST', 'payload', 'text/plain'] },
  { status: 308, method: 'PUT', expect: ['PUT', 'payload', 'text/plain'] },
];

for (const { status, method, expect } of rewriteCases) {
  test(`${status} after ${method} arrives as ${expect[0]}${expect[1] ? ' with the body' : ' without a body'}`, async (t) => {
    const server = await startHttpServer({ '/from': redirectTo(status, '/to'), '/to': describeRequest });
    t.after(() => server.close());
    const session = testSession(t);

    const result = await session.send({
      method,
      url: server.url('/from'),
      headers: [['Content-Type', 'text/plain']],
      body: 'payload',
    });

    const seen = JSON.parse(result.response?.text ?? '{}');
    assert.deepEqual([seen.method, seen.body, seen.contentType], expect);
    assert.equal(result.sent?.method, expect[0]);
    assert.equal(result.sent?.body, expect[1] ? 'payload' : null);
  });
}

test('a redirect to another origin drops written credentials but the jar still adds that host cookies', async (t) => {
  const server = await startHttpServer({
    '/set': (_req, res) => {
      res.setHeader('Set-Cookie', ['shared=jar; Domain=example.org', 'aOnly=1']);
      res.end();
    },
    '/go': (req, res) => {
      res.writeHead(302, { Location: `http://b.example.org:${req.socket.localPort}/land` });
      res.end();
    },
    '/land': describeRequest,
  });
  t.after(() => server.close());
  const session = testSession(t, {
    resolve: [
      { host: 'a.example.org', address: '127.0.0.1' },
      { host: 'b.example.org', address: '127.0.0.1' },
    ],
  });
  await session.send(get(server.url('/set', 'a.example.org')));

  const result = await session.send(
    get(server.url('/go', 'a.example.org'), [
      ['Authorization', 'Bearer secret'],
      ['Proxy-Authorization', 'Basic cHJveHk6cHc='],
      ['Cookie', 'written=1'],
    ]),
  );

  const seen = JSON.parse(result.response?.text ?? '{}');
  assert.equal(seen.authorization, null);
  assert.equal(seen.proxyAuthorization, null);
  assert.equal(seen.cookie, 'shared=jar');
});

test('a redirect within the origin keeps written credentials', async (t) => {
  const server = await startHttpServer({ '/go': redirectTo(302, '/land'), '/land': describeRequest });
  t.after(() => server.close());
  const session = testSession(t);

  const result = await session.send(
    get(server.url('/go'), [
      ['Authorization', 'Bearer secret'],
      ['Cookie', 'written=1'],
    ]),
  );

  const seen = JSON.parse(result.response?.text ?? '{}');
  assert.equal(seen.authorization, 'Bearer secret');
  assert.equal(seen.cookie, 'written=1');
});

test('a port change is another origin too', async (t) => {
  const target = await startHttpServer({ '/land': describeRequest });
  const origin = await startHttpServer({ '/go': redirectTo(307, target.url('/land')) });
  t.after(() => Promise.all([target.close(), origin.close()]));
  const session = testSession(t);

  const result = await session.send(get(origin.url('/go'), [['Authorization', 'Bearer secret']]));

  assert.equal(JSON.parse(result.response?.text ?? '{}').authorization, null);
});

test('20 redirects are followed; the 21st is TOO_MANY_REDIRECTS', async (t) => {
  const server = await startHttpServer({
    '/r': (req, res) => {
      const n = Number(new URL(req.url ?? '', 'http://x').searchParams.get('n'));
      const limit = Number(new URL(req.url ?? '', 'http://x').searchParams.get('limit'));
      if (n >= limit) {
        res.end(`done after ${n}`);
      } else {
        res.writeHead(302, { Location: `/r?n=${n + 1}&limit=${limit}` });
        res.end();
      }
    },
  });
  t.after(() => server.close());
  const session = testSession(t);

  const twenty = await session.send(get(server.url('/r?n=0&limit=20')));
  const twentyOne = await session.send(get(server.url('/r?n=0&limit=21')));

  assert.equal(twenty.error, null);
  assert.equal(twenty.response?.text, 'done after 20');
  assert.equal(twenty.redirects.length, 20);
  assert.equal(twentyOne.error?.code, 'TOO_MANY_REDIRECTS');
  assert.match(twentyOne.error?.message ?? '', /^Stopped after 20 redirects .*\/r\?n=20&limit=21/);
  assert.equal(twentyOne.response?.status, 302);
  assert.equal(twentyOne.hops.length, 21);
  assert.equal(server.connectionCount, 1);
});

test('the same request reached again with the same cookies is a REDIRECT_LOOP', async (t) => {
  const server = await startHttpServer({ '/a': redirectTo(302, '/b'), '/b': redirectTo(302, '/a') });
  t.after(() => server.close());
  const session = testSession(t);

  const result = await session.send(get(server.url('/a')));

  assert.equal(result.error?.code, 'REDIRECT_LOOP');
  assert.equal(
    result.error?.message,
    `Redirect loop: GET ${server.url('/a')} was reached again with the same cookies after 2 redirects — check the Location chain and the login cookies`,
  );
  assert.deepEqual(
    result.redirects.map((r) => r.url),
    [server.url('/b'), server.url('/a')],
  );
});

test('a login bounce back to the first URL with a new cookie is not a loop', async (t) => {
  const server = await startHttpServer({
    '/page': (req, res) => {
      if (req.headers.cookie === 'auth=yes') {
        res.end('welcome');
      } else {
        res.writeHead(302, { Location: '/login' });
        res.end();
      }
    },
    '/login': (_req, res) => {
      res.writeHead(302, { Location: '/page', 'Set-Cookie': 'auth=yes' });
      res.end();
    },
  });
  t.after(() => server.close());
  const session = testSession(t);

  const result = await session.send(get(server.url('/page')));

  assert.equal(result.error, null);
  assert.equal(result.response?.text, 'welcome');
});

test('noRedirect returns the redirect itself, with its body', async (t) => {
  const server = await startHttpServer({ '/go': redirectTo(302, '/land'), '/land': describeRequest });
  t.after(() => server.close());
  const session = testSession(t);

  const result = await session.send(get(server.url('/go')), { noRedirect: true });

  assert.equal(result.response?.status, 302);
  assert.equal(result.response?.text, 'moved');
  assert.deepEqual(result.redirects, []);
  assert.equal(server.requests.length, 1);
});

test('every hop keeps its own request, status, timing and connection', async (t) => {
  const server = await startHttpServer({ '/go': redirectTo(301, '/land'), '/land': describeRequest });
  t.after(() => server.close());
  const session = testSession(t);

  const result = await session.send(get(server.url('/go')));

  assert.deepEqual(
    result.hops.map((h) => [h.sent.url, h.status, h.connection?.requestsOnConnection]),
    [
      [server.url('/go'), 301, 1],
      [server.url('/land'), 200, 2],
    ],
  );
  assert.deepEqual(result.timing, result.hops[1]?.timing);
  assert.equal(result.url, server.url('/go'));
  assert.equal(result.sent?.url, server.url('/land'));
});
