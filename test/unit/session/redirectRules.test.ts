import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type HopPlan, nextHop, redirectMethod, sameOrigin } from '../../../src/core/session/redirects';

const methodCases: readonly [number, string, string][] = [
  [301, 'GET', 'GET'],
  [301, 'POST', 'GET'],
  [302, 'POST', 'GET'],
  [302, 'DELETE', 'DELETE'],
  [303, 'POST', 'GET'],
  [303, 'PATCH', 'GET'],
  [303, 'HEAD', 'HEAD'],
  [307, 'POST', 'POST'],
  [308, 'PUT', 'PUT'],
];

for (const [status, method, expected] of methodCases) {
  test(`redirect method: ${status} after ${method} is ${expected}`, () => {
    assert.equal(redirectMethod(status, method), expected);
  });
}

const originCases: readonly [string, string, boolean][] = [
  ['http://a.test/x', 'http://a.test/y', true],
  ['http://a.test/x', 'http://a.test:80/y', true],
  ['https://a.test/x', 'https://a.test:443/', true],
  ['http://a.test/x', 'https://a.test/x', false],
  ['http://a.test/x', 'http://b.test/x', false],
  ['http://a.test:8080/x', 'http://a.test:8081/x', false],
];

for (const [from, to, same] of originCases) {
  test(`origin: ${from} → ${to} is ${same ? 'the same' : 'another'} origin`, () => {
    assert.equal(sameOrigin(new URL(from), new URL(to)), same);
  });
}

const post: HopPlan = {
  method: 'POST',
  url: new URL('http://a.test/login'),
  headers: [
    ['Authorization', 'Bearer t'],
    ['Content-Type', 'application/json'],
    ['Cookie', 'a=1'],
    ['X-Trace', '1'],
  ],
  body: '{}',
};

test('a 303 to another origin drops the body headers and the credentials, keeps the rest', () => {
  const next = nextHop(post, 303, 'https://b.test/home');

  assert.ok(next.ok);
  assert.equal(next.hop.method, 'GET');
  assert.equal(next.hop.body, null);
  assert.equal(next.hop.url.href, 'https://b.test/home');
  assert.deepEqual(next.hop.headers, [['X-Trace', '1']]);
});

test('a relative Location resolves against the current URL', () => {
  const next = nextHop(post, 307, '../next?x=1');

  assert.ok(next.ok);
  assert.equal(next.hop.url.href, 'http://a.test/next?x=1');
  assert.equal(next.hop.body, '{}');
  assert.equal(next.hop.headers.length, 4);
});

test('a Location that is not http(s) is not followed', () => {
  assert.deepEqual(nextHop(post, 302, 'mailto:me@a.test'), {
    ok: false,
    reason: 'redirect to mailto: URL not followed',
  });
  assert.deepEqual(nextHop(post, 302, 'http://[bad'), {
    ok: false,
    reason: 'redirect Location "http://[bad" is not a valid URL',
  });
});
