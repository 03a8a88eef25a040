import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CookiesChange } from '../../../src/core/session/session';
import { testCertificate } from '../../helpers/certificates';
import { type Handler, startHttpServer, startHttpsServer } from '../../helpers/servers';
import { get, testSession } from '../../helpers/sessions';

const echoCookie: Handler = (req, res) => res.end(req.headers.cookie ?? '(none)');

const toExampleHosts = [
  { host: 'a.example.org', address: '127.0.0.1' },
  { host: 'b.example.org', address: '127.0.0.1' },
  { host: 'home.example.org', address: '127.0.0.1' },
];

test('302 that sets a cookie keeps it and the redirect target receives it', async (t) => {
  const server = await startHttpServer({
    'POST /login': (_req, res) => {
      res.writeHead(302, { Location: '/home', 'Set-Cookie': 'sid=abc; Path=/; HttpOnly' });
      res.end();
    },
    '/home': echoCookie,
  });
  t.after(() => server.close());
  const session = testSession(t);

  const result = await session.send({ method: 'POST', url: server.url('/login'), headers: [], body: 'u=me' });

  assert.equal(result.error, null);
  assert.equal(result.response?.text, 'sid=abc');
  assert.deepEqual(result.redirects, [{ status: 302, url: server.url('/home') }]);
  assert.deepEqual(
    result.cookies.stored.map((c) => [c.name, c.value, c.httpOnly, c.hostOnly, c.expires]),
    [['sid', 'abc', true, true, null]],
  );
});

test('cookies stored by one request go out with the next', async (t) => {
  const server = await startHttpServer({
    '/set': (_req, res) => {
      res.setHeader('Set-Cookie', ['a=1', 'b=2; Max-Age=3600']);
      res.end();
    },
    '/echo': echoCookie,
  });
  t.after(() => server.close());
  const session = testSession(t);

  await session.send(get(server.url('/set')));
  const result = await session.send(get(server.url('/echo')));

  assert.equal(result.response?.text, 'a=1; b=2');
  assert.deepEqual(
    result.sent?.headers.filter(([n]) => n === 'Cookie'),
    [['Cookie', 'a=1; b=2']],
  );
  const cookies = await session.cookies();
  assert.deepEqual(cookies.map((c) => c.name).sort(), ['a', 'b']);
  assert.equal(cookies.find((c) => c.name === 'a')?.expires, null);
  assert.match(cookies.find((c) => c.name === 'b')?.expires ?? '', /^\d{4}-\d\d-\d\dT/);
});

test('a host-only cookie is not sent to another host; a Domain cookie reaches its sibling', async (t) => {
  const server = await startHttpServer({
    '/set': (_req, res) => {
      res.setHeader('Set-Cookie', ['only=a', 'shared=1; Domain=example.org']);
      res.end();
    },
    '/echo': echoCookie,
  });
  t.after(() => server.close());
  const session = testSession(t, { resolve: toExampleHosts });

  await session.send(get(server.url('/set', 'a.example.org')));
  const sameHost = await session.send(get(server.url('/echo', 'a.example.org')));
  const otherHost = await session.send(get(server.url('/echo', 'b.example.org')));

  assert.equal(sameHost.response?.text, 'only=a; shared=1');
  assert.equal(otherHost.response?.text, 'shared=1');
});

test('a Secure cookie set over https is not sent over plain http', async (t) => {
  const { ca } = await testCertificate();
  const secure = await startHttpsServer({
    '/set': (_req, res) => {
      res.setHeader('Set-Cookie', ['token=s; Secure', 'plain=p']);
      res.end();
    },
    '/echo': echoCookie,
  });
  const plain = await startHttpServer({ '/echo': echoCookie });
  t.after(() => Promise.all([secure.close(), plain.close()]));
  const session = testSession(t, { resolve: toExampleHosts, ca });

  const set = await session.send(get(secure.url('/set', 'home.example.org')));
  const overHttps = await session.send(get(secure.url('/echo', 'home.example.org')));
  const overHttp = await session.send(get(plain.url('/echo', 'home.example.org')));

  assert.equal(set.error, null);
  assert.equal(overHttps.response?.text, 'token=s; plain=p');
  assert.equal(overHttp.response?.text, 'plain=p');
});

test('refused cookies are reported with the reason', async (t) => {
  const server = await startHttpServer({
    '/set': (_req, res) => {
      res.setHeader('Set-Cookie', [
        'suffix=1; Domain=com',
        'elsewhere=1; Domain=other.org',
        'secure=1; Secure',
        '__Host-prefixed=1; Path=/',
        'fine=1',
      ]);
      res.end();
    },
  });
  t.after(() => server.close());
  const session = testSession(t, { resolve: toExampleHosts });

  const result = await session.send(get(server.url('/set', 'a.example.org')));

  assert.deepEqual(
    result.cookies.stored.map((c) => c.name),
    ['fine'],
  );
  assert.deepEqual(result.cookies.rejected, [
    {
      cookie: 'suffix=1; Domain=com',
      reason: 'Domain=com is a public suffix — no site may set cookies for all of it',
    },
    {
      cookie: 'elsewhere=1; Domain=other.org',
      reason: 'Domain=other.org does not match the request host a.example.org',
    },
    {
      cookie: 'secure=1; Secure',
      reason: 'Secure cookie set over plain http by a.example.org — only https may set it',
    },
    {
      cookie: '__Host-prefixed=1; Path=/',
      reason: '__Host- cookie must be Secure, have Path=/ and no Domain',
    },
  ]);
});

test('a written Cookie header is merged with the jar and wins for the same name', async (t) => {
  const server = await startHttpServer({
    '/set': (_req, res) => {
      res.setHeader('Set-Cookie', ['a=jar', 'b=jar']);
      res.end();
    },
    '/echo': echoCookie,
  });
  t.after(() => server.close());
  const session = testSession(t);

  await session.send(get(server.url('/set')));
  const result = await session.send(get(server.url('/echo'), [['Cookie', 'a=written; c=written']]));

  assert.equal(result.response?.text, 'a=written; c=written; b=jar');
});

test('noCookieJar sends no jar cookies and stores none', async (t) => {
  const server = await startHttpServer({
    '/set': (req, res) => {
      res.setHeader('Set-Cookie', `from=${req.url?.includes('second') ? 'second' : 'first'}`);
      res.end(req.headers.cookie ?? '(none)');
    },
  });
  t.after(() => server.close());
  const session = testSession(t);

  await session.send(get(server.url('/set')));
  const isolated = await session.send(get(server.url('/set?second'), [['Cookie', 'mine=1']]), {
    noCookieJar: true,
  });

  assert.equal(isolated.response?.text, 'mine=1');
  assert.deepEqual(isolated.cookies, { stored: [], rejected: [] });
  assert.deepEqual(
    (await session.cookies()).map((c) => `${c.name}=${c.value}`),
    ['from=first'],
  );
});

test('cookiesChanged fires for stored cookies and for clearCookies', async (t) => {
  const server = await startHttpServer({
    '/set': (_req, res) => {
      res.setHeader('Set-Cookie', 'a=1');
      res.end();
    },
  });
  t.after(() => server.close());
  const session = testSession(t, {}, 'main');
  const changes: CookiesChange[] = [];
  session.events.on('cookiesChanged', (change) => changes.push(change));

  await session.send(get(server.url('/set')));
  await session.clearCookies();

  assert.deepEqual(
    changes.map((c) => [c.session, c.cause, c.url, c.stored.map((s) => s.name)]),
    [
      ['main', 'response', server.url('/set'), ['a']],
      ['main', 'cleared', null, []],
    ],
  );
  assert.deepEqual(await session.cookies(), []);
});
