import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createJar,
  mergeCookieHeader,
  rejectionReason,
  SAME_SITE_NONE_WITHOUT_SECURE,
  storeResponseCookies,
} from '../../../src/core/session/cookies';
import type { Header } from '../../../src/core/session/headers';

const mergeCases: readonly { rule: string; headers: Header[]; jar: string; expect: Header[] }[] = [
  {
    rule: 'the jar alone makes a Cookie header at the end',
    headers: [['Accept', '*/*']],
    jar: 'a=1; b=2',
    expect: [
      ['Accept', '*/*'],
      ['Cookie', 'a=1; b=2'],
    ],
  },
  {
    rule: 'a written cookie beats the jar cookie of the same name',
    headers: [['Cookie', 'a=mine']],
    jar: 'a=jar; b=2',
    expect: [['Cookie', 'a=mine; b=2']],
  },
  {
    rule: 'the merged header stays where it was written, with the written name spelling',
    headers: [
      ['cookie', 'x=1'],
      ['Accept', '*/*'],
    ],
    jar: 'y=2',
    expect: [
      ['cookie', 'x=1; y=2'],
      ['Accept', '*/*'],
    ],
  },
  {
    rule: 'several written Cookie headers become one',
    headers: [
      ['Cookie', 'a=1'],
      ['Cookie', 'b=2'],
    ],
    jar: '',
    expect: [['Cookie', 'a=1; b=2']],
  },
  { rule: 'no cookies at all means no Cookie header', headers: [], jar: '', expect: [] },
  {
    rule: 'a written nameless cookie is kept as written',
    headers: [['Cookie', 'flag']],
    jar: 'a=1',
    expect: [['Cookie', 'flag; a=1']],
  },
];

for (const { rule, headers, jar, expect } of mergeCases) {
  test(`cookie merge: ${rule}`, () => {
    assert.deepEqual(mergeCookieHeader(headers, jar), expect);
  });
}

const reasonCases: readonly { message: string; domain: string | null; expect: string }[] = [
  { message: 'Cookie failed to parse', domain: null, expect: 'could not be parsed as a cookie' },
  {
    message: 'Cookie has domain set to a public suffix',
    domain: 'co.uk',
    expect: 'Domain=co.uk is a public suffix — no site may set cookies for all of it',
  },
  {
    message: "Cookie not in this host's domain. Cookie:other.org Request:api.example.org",
    domain: 'other.org',
    expect: 'Domain=other.org does not match the request host api.example.org',
  },
  {
    message: 'Cookie is Secure but this is not a secure connection',
    domain: null,
    expect: 'Secure cookie set over plain http by api.example.org — only https may set it',
  },
  {
    message: 'Cookie has __Secure prefix but Secure attribute is not set',
    domain: null,
    expect: '__Secure- cookie without the Secure attribute',
  },
  { message: 'Something\nnew', domain: null, expect: 'Something new' },
];

for (const { message, domain, expect } of reasonCases) {
  test(`cookie rejection reason for "${message.split('.')[0]}"`, () => {
    assert.equal(rejectionReason(message, domain, 'api.example.org'), expect);
  });
}

test('cookies from one response are stored in order, so the last one of a name wins', async () => {
  const jar = createJar();

  const outcome = await storeResponseCookies(jar, new URL('http://api.example.org/'), [
    'a=1',
    'a=2',
    '=loose',
  ]);

  assert.deepEqual(
    outcome.stored.map((c) => `${c.name}=${c.value}`),
    ['a=1', 'a=2', '=loose'],
  );
  assert.equal(await jar.getCookieString('http://api.example.org/'), 'a=2; loose');
});

test('a cookie that cannot be parsed even loosely is rejected with a reason', async () => {
  const jar = createJar();

  const outcome = await storeResponseCookies(jar, new URL('http://api.example.org/'), ['']);

  assert.deepEqual(outcome.rejected, [{ cookie: '', reason: 'could not be parsed as a cookie' }]);
});

test('Max-Age is fixed as a date when the cookie arrives, so using the cookie does not extend it', async () => {
  const jar = createJar();
  const receivedAt = new Date('2030-01-01T00:00:00Z');

  const outcome = await storeResponseCookies(
    jar,
    new URL('http://api.example.org/'),
    ['a=1; Max-Age=60', 'gone=1; Max-Age=0'],
    () => receivedAt,
  );

  assert.deepEqual(
    outcome.stored.map((c) => [c.name, c.expires]),
    [
      ['a', '2030-01-01T00:01:00.000Z'],
      ['gone', '1970-01-01T00:00:00.000Z'],
    ],
  );
});

test('a SameSite=None cookie without Secure is refused with a reason saying to add Secure', async () => {
  const jar = createJar();

  const outcome = await storeResponseCookies(jar, new URL('https://api.example.org/'), [
    'cross=1; SameSite=None',
    'ok=1; SameSite=None; Secure',
  ]);

  assert.deepEqual(
    outcome.stored.map((c) => [c.name, c.sameSite, c.secure]),
    [['ok', 'none', true]],
  );
  assert.deepEqual(outcome.rejected, [
    { cookie: 'cross=1; SameSite=None', reason: SAME_SITE_NONE_WITHOUT_SECURE },
  ]);
  assert.match(SAME_SITE_NONE_WITHOUT_SECURE, /SameSite=None.*without the Secure attribute.*add Secure/);
  assert.equal(await jar.getCookieString('https://api.example.org/'), 'ok=1');
});
