import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toJsonRecord } from '../../../src/core/session/jsonRecord';
import type { SendResult } from '../../../src/core/session/types';
import { startHttpServer } from '../../helpers/servers';
import { testSession } from '../../helpers/sessions';

const timing = { dns: null, connect: 1, tls: null, sent: 0.5, firstByte: 2, download: 0.5, total: 4 };

const result: SendResult = {
  method: 'POST',
  url: 'http://api.test/login',
  sent: {
    method: 'GET',
    url: 'http://api.test/home',
    headers: [['Host', 'api.test']],
    body: new TextEncoder().encode('bytes'),
  },
  response: {
    status: 200,
    statusText: 'OK',
    httpVersion: '1.1',
    headers: [['Content-Type', 'text/plain']],
    body: new TextEncoder().encode('hé'),
    text: 'hé',
    contentType: 'text/plain',
    charset: 'utf-8',
    encodedBytes: 3,
    truncated: false,
  },
  timing,
  connection: { id: 2, reused: true, requestsOnConnection: 3, remoteAddress: '127.0.0.1:80' },
  cookies: { stored: [], rejected: [{ cookie: 'x=1; Domain=com', reason: 'public suffix' }] },
  redirects: [{ status: 302, url: 'http://api.test/home' }],
  hops: [],
  elapsedMs: 9,
  error: null,
  warnings: [],
};

test('the JSON record has exactly the contract keys, in order', () => {
  assert.deepEqual(Object.keys(toJsonRecord(result, 'login')), [
    'name',
    'method',
    'url',
    'status',
    'statusText',
    'httpVersion',
    'headers',
    'body',
    'bodyBytes',
    'truncated',
    'timing',
    'connection',
    'cookies',
    'redirects',
    'error',
    'request',
  ]);
});

test('the JSON record flattens the final response and keeps the asked-for method and URL', () => {
  const record = toJsonRecord(result, 'login');

  assert.equal(record.method, 'POST');
  assert.equal(record.url, 'http://api.test/login');
  assert.equal(record.body, 'hé');
  assert.equal(record.bodyBytes, 3);
  assert.deepEqual(record.connection, { id: 2, reused: true, requestsOnConnection: 3 });
  assert.deepEqual(record.request, {
    method: 'GET',
    url: 'http://api.test/home',
    headers: [['Host', 'api.test']],
    body: 'bytes',
  });
  assert.deepEqual(JSON.parse(JSON.stringify(record)), record);
});

test('a failed send still makes a complete record with nulls', () => {
  const failed: SendResult = {
    ...result,
    sent: null,
    response: null,
    connection: null,
    error: { code: 'REFUSED', message: 'Connection refused by api.test:80 — …', detail: 'ECONNREFUSED' },
  };

  const record = toJsonRecord(failed, 'x');

  assert.equal(record.status, null);
  assert.equal(record.body, null);
  assert.equal(record.bodyBytes, 0);
  assert.deepEqual(record.headers, []);
  assert.deepEqual(record.error, { code: 'REFUSED', message: 'Connection refused by api.test:80 — …' });
  assert.equal(record.request, null);
});

test('a real send turns into one JSON line', async (t) => {
  const server = await startHttpServer({ '/': (_req, res) => res.end('{"ok":true}') });
  t.after(() => server.close());
  const session = testSession(t);

  const line = JSON.stringify(
    toJsonRecord(
      await session.send({ method: 'GET', url: server.url('/'), headers: [], body: null }),
      'ping',
    ),
  );

  assert.doesNotMatch(line, /\n/);
  const record = JSON.parse(line);
  assert.equal(record.status, 200);
  assert.equal(record.body, '{"ok":true}');
  assert.equal(record.connection.id, 1);
});
