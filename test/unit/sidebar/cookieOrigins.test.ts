import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StoredCookie } from '../../../src/core/session';
import { type CookieSetter, CookieOrigins } from '../../../src/extension/sidebar/cookieOrigins';

function stored(name: string, over: Partial<StoredCookie> = {}): StoredCookie {
  return {
    name,
    value: 'v',
    domain: 'example.com',
    path: '/',
    expires: null,
    secure: false,
    httpOnly: false,
    sameSite: null,
    hostOnly: true,
    ...over,
  };
}

function setter(n: number): CookieSetter {
  return { method: 'GET', url: `https://example.com/${n}`, status: 200, time: n, requestName: null };
}

const ref = (name: string, over: { domain?: string; path?: string } = {}) => ({
  domain: 'example.com',
  path: '/',
  name,
  ...over,
});

test('the responses that set a cookie are listed newest first', () => {
  const origins = new CookieOrigins();
  origins.record('default', [stored('sid')], setter(1));
  origins.record('default', [stored('sid'), stored('other')], setter(2));
  assert.deepEqual(
    origins.lookup('default', ref('sid')).map((s) => s.time),
    [2, 1],
  );
  assert.deepEqual(
    origins.lookup('default', ref('other')).map((s) => s.time),
    [2],
  );
});

test('a cookie is told apart by session, domain and path as well as name', () => {
  const origins = new CookieOrigins();
  origins.record('default', [stored('sid')], setter(1));
  origins.record('admin', [stored('sid')], setter(2));
  origins.record('default', [stored('sid', { path: '/api' })], setter(3));
  origins.record('default', [stored('sid', { domain: 'api.example.com' })], setter(4));
  assert.deepEqual(
    [
      origins.lookup('default', ref('sid')),
      origins.lookup('admin', ref('sid')),
      origins.lookup('default', ref('sid', { path: '/api' })),
      origins.lookup('default', ref('sid', { domain: 'api.example.com' })),
      origins.lookup('default', ref('nope')),
    ].map((list) => list.map((s) => s.time)),
    [[1], [2], [3], [4], []],
  );
});

test('a cookie without domain or path is found under "" and "/"', () => {
  const origins = new CookieOrigins();
  origins.record('default', [stored('sid', { domain: null, path: null })], setter(1));
  assert.equal(origins.lookup('default', { domain: '', path: '/', name: 'sid' }).length, 1);
});

test('one response that set a cookie twice is listed once', () => {
  const origins = new CookieOrigins();
  // A response may clear a cookie and set it again: `sid=; Max-Age=0` then `sid=new`.
  origins.record('default', [stored('sid', { value: '' }), stored('sid', { value: 'new' })], setter(1));
  assert.equal(origins.lookup('default', ref('sid')).length, 1);
});

test('at most 20 responses are kept per cookie, the newest', () => {
  const origins = new CookieOrigins();
  for (let n = 1; n <= 25; n++) origins.record('default', [stored('sid')], setter(n));
  const times = origins.lookup('default', ref('sid')).map((s) => s.time);
  assert.equal(times.length, 20);
  assert.deepEqual(times.slice(0, 2), [25, 24]);
  assert.equal(times.at(-1), 6);
});

test('past 2000 cookies, the one set longest ago is forgotten first', () => {
  const origins = new CookieOrigins();
  for (let n = 0; n < 2000; n++) origins.record('default', [stored(`c${n}`)], setter(n));
  // c0 set again: now the most recent, so c1 goes when c2000 arrives.
  origins.record('default', [stored('c0')], setter(2000));
  origins.record('default', [stored('c2000')], setter(2001));
  assert.equal(origins.lookup('default', ref('c0')).length, 2);
  assert.equal(origins.lookup('default', ref('c1')).length, 0);
  assert.equal(origins.lookup('default', ref('c2')).length, 1);
  assert.equal(origins.lookup('default', ref('c2000')).length, 1);
});
