// Request chaining: `{{login.response.body.$.token}}` and friends, on
// exchanges recorded from a real local HTTP server, and the list of named
// requests a request needs sent first.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { parseHttp, splitLines } from '../../../src/core/parser';
import {
  type ChainedExchange,
  type ChainStore,
  referencedRequests,
  type ResolvedRequest,
  resolveRequest,
  unknownRequestReferences,
} from '../../../src/core/variables';
import { expectOk, memoryFs, testContext, resolveValue } from './context';

const LOGIN_JSON = { token: 'abc', user: { id: 7, roles: ['a', 'b'] }, n: 42, empty: '' };
const PROFILE_XML =
  '<?xml version="1.0"?><profile id="p1"><name>Ann &amp; co</name><roles><role>admin</role><role>dev</role></roles></profile>';

let server: Server;
let origin: string;
const received: { url: string; headers: Record<string, string | string[] | undefined>; body: string }[] = [];

before(async () => {
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    received.push({ url: req.url ?? '', headers: req.headers, body });
    if (req.url === '/login') {
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('X-Token', 't1');
      res.setHeader('X-Multi', ['a', 'b']);
      res.end(JSON.stringify(LOGIN_JSON));
    } else if (req.url === '/profile.xml') {
      res.setHeader('Content-Type', 'application/xml');
      res.end(PROFILE_XML);
    } else {
      res.setHeader('Content-Type', 'text/plain');
      res.end(`echo ${req.headers.authorization ?? ''} ${body}`);
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

/** Sends a resolved request with fetch and records the exchange as the session engine would. */
async function send(r: ResolvedRequest): Promise<ChainedExchange> {
  const requestBody =
    typeof r.body === 'string' ? r.body : r.body === null ? null : new TextDecoder().decode(r.body);
  const res = await fetch(r.url, { method: r.method, headers: r.headers, body: requestBody ?? undefined });
  return {
    request: { headers: r.headers, body: requestBody },
    response: {
      status: res.status,
      headers: headerPairs(res.headers),
      body: await res.text(),
      contentType: res.headers.get('content-type'),
    },
  };
}

function headerPairs(headers: Headers): [string, string][] {
  const pairs: [string, string][] = [];
  headers.forEach((value, name) => {
    pairs.push([name, value]);
  });
  return pairs;
}

function storeOf(entries: Record<string, ChainedExchange>): ChainStore {
  return { get: (name) => entries[name] };
}

async function exchangeFor(
  path: string,
  init: { method?: string; headers?: [string, string][]; body?: string } = {},
) {
  const headers = init.headers ?? [];
  return send({
    name: null,
    method: init.method ?? 'GET',
    url: origin + path,
    httpVersion: null,
    headers,
    body: init.body ?? null,
    secrets: [],
    directives: [],
  });
}

const NAMED = '# @name login\nPOST http://x.test/login\n\n###\n# @name profile\nGET http://x.test/p\n\n###';

describe('JSON bodies through JSONPath, headers case-insensitively', () => {
  let ctx: ReturnType<typeof testContext>;
  before(async () => {
    const login = await exchangeFor('/login', {
      method: 'POST',
      headers: [['Content-Type', 'application/json']],
      body: '{"user":"ann","tags":["x"]}',
    });
    ctx = testContext({ chain: storeOf({ login }) });
  });
  const cases: [string, string, string | RegExp][] = [
    ['a string: its text', 'login.response.body.$.token', 'abc'],
    ['a number: its JSON text', 'login.response.body.$.n', '42'],
    ['an object: JSON text', 'login.response.body.$.user', '{"id":7,"roles":["a","b"]}'],
    ['an array element', 'login.response.body.$.user.roles[1]', 'b'],
    ['first of several matches', 'login.response.body.$..roles[*]', 'a'],
    ['an empty string is a value', 'login.response.body.$.empty', ''],
    ['whole body with *', 'login.response.body.*', JSON.stringify(LOGIN_JSON)],
    [
      'no match is reported',
      'login.response.body.$.missing',
      /JSONPath \$\.missing matched nothing in login's response body/,
    ],
    ['response header, any case', 'login.response.headers.x-token', 't1'],
    ['repeated header joined with ", "', 'login.response.headers.X-Multi', 'a, b'],
    ['missing header', 'login.response.headers.X-None', /login's response has no X-None header/],
    ['request header', 'login.request.headers.content-type', 'application/json'],
    ['request body through JSONPath', 'login.request.body.$.user', 'ann'],
    ['request body whole', 'login.request.body.*', '{"user":"ann","tags":["x"]}'],
  ];
  for (const [name, expr, want] of cases) {
    test(name, async () => {
      const got = await resolveValue(expr, ctx, NAMED);
      if (typeof want === 'string') assert.equal(got, want);
      else assert.match(got, want);
    });
  }
});

describe('XML bodies through XPath: text of the first node', () => {
  let ctx: ReturnType<typeof testContext>;
  before(async () => {
    ctx = testContext({ chain: storeOf({ profile: await exchangeFor('/profile.xml') }) });
  });
  const cases: [string, string, string | RegExp][] = [
    ['element text, entities decoded', 'profile.response.body.//name', 'Ann & co'],
    ['attribute', 'profile.response.body./profile/@id', 'p1'],
    ['first of several elements', 'profile.response.body.//role', 'admin'],
    ['a number result', 'profile.response.body.count(//role)', '2'],
    ['no match', 'profile.response.body.//nope', /XPath \/\/nope matched nothing/],
  ];
  for (const [name, expr, want] of cases) {
    test(name, async () => {
      const got = await resolveValue(expr, ctx, NAMED);
      if (typeof want === 'string') assert.equal(got, want);
      else assert.match(got, want);
    });
  }
});

describe('references that cannot be read', () => {
  test('a named request not sent yet in this session', async () => {
    assert.match(
      await resolveValue('login.response.body.$.token', testContext(), NAMED),
      /request login has not been sent in this session yet/,
    );
  });
  test('no request of that name in the file', async () => {
    assert.match(
      await resolveValue('nobody.response.body.$.x', testContext(), NAMED),
      /no request in this file is named nobody/,
    );
  });
  test('a text body cannot be queried, only taken whole', async () => {
    const echo = await exchangeFor('/echo');
    const ctx = testContext({ chain: storeOf({ login: echo }) });
    assert.match(
      await resolveValue('login.response.body.$.x', ctx, NAMED),
      /neither JSON nor XML: use login\.response\.body\.\*/,
    );
    assert.equal(await resolveValue('login.response.body.*', ctx, NAMED), 'echo  ');
  });
});

describe('a chained run against the server', () => {
  test('the token from the login response goes into the next request', async () => {
    const text = [
      `@base = ${origin}`,
      '@auth = Bearer {{login.response.body.$.token}}',
      '',
      '# @name login',
      'POST {{base}}/login',
      'Content-Type: application/json',
      '',
      '{"user": "ann"}',
      '',
      '###',
      '# @name orders',
      'POST {{base}}/orders',
      'Authorization: {{auth}}',
      '',
      'user={{login.response.body.$.user.id}}',
    ].join('\n');
    const document = parseHttp(text);
    const exchanges: Record<string, ChainedExchange> = {};
    const ctx = testContext({ chain: storeOf(exchanges) });
    const orders = document.requests[1];
    assert.deepEqual(referencedRequests(document, orders), ['login']);
    for (const name of referencedRequests(document, orders)) {
      const request = document.requests.find((r) => r.name === name)!;
      const resolved = expectOk({
        document,
        request,
        result: await resolveRequest({ document, request, httpFile: null }, ctx, memoryFs({})),
      });
      exchanges[name] = await send(resolved);
    }
    const resolved = await resolveRequest({ document, request: orders, httpFile: null }, ctx, memoryFs({}));
    const sent = await send(expectOk({ document, request: orders, result: resolved }));
    assert.equal(sent.response.body, 'echo Bearer abc user=7');
  });
});

describe('referencedRequests and unknownRequestReferences', () => {
  const text = [
    '@auth = Bearer {{login.response.body.$.token}}',
    '@deep = {{auth}}',
    '',
    '# @name login',
    'POST http://x.test/login',
    '',
    '###',
    '# @name other',
    'GET http://x.test/other',
    '',
    '###',
    '# @name me',
    'POST http://x.test/me?etag={{%other.response.headers.ETag}}',
    'Authorization: {{deep}}',
    '',
    '{"prev": "{{me.response.body.*}}", "x": "{{ghost.response.body.$.x}}"}',
  ].join('\n');
  const document = parseHttp(text);

  test('through headers, URL, body and file variables (transitively), without itself', () => {
    assert.deepEqual(referencedRequests(document, document.requests[2]), ['other', 'login']);
    assert.deepEqual(referencedRequests(document, document.requests[0]), []);
  });

  test('references to requests that do not exist, with ranges for the editor', () => {
    const diagnostics = unknownRequestReferences(document, splitLines(text));
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range]),
      [['unknown-request', { start: { line: 15, character: 41 }, end: { line: 15, character: 68 } }]],
    );
    assert.match(diagnostics[0].message, /No request in this file is named ghost/);
  });
});
