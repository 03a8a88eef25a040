// The shortcuts past tough-cookie (jarLookup.ts) must give what tough-cookie
// gives: the same Cookie header, the same side effects, and a remembered
// Set-Cookie must stop counting as soon as anything changes the jar.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Cookie, CookieJar, MemoryCookieStore } from 'tough-cookie';
import {
  cookieHeaderFor,
  cookieHeaderNow,
  cookieUrl,
  createJar,
  MAX_COOKIE_AGE_MS,
  MAX_COOKIES_PER_DOMAIN,
  mergeCookieHeader,
  storeRepeatedCookies,
  storeResponseCookies,
} from '../../../src/core/session/cookies';
import { cachedHosts, ENTRIES_KEPT, isLoopback, jarCookieCount } from '../../../src/core/session/jarLookup';
import { deleteCookie, setCookieValue } from '../../../src/extension/sidebar/jarEdits';

const SET_COOKIES: readonly (readonly [string, string])[] = [
  ['https://example.com/', 'a=1; Path=/'],
  ['https://example.com/', 'b=2; Path=/app; Secure'],
  ['https://example.com/app/x', 'c=3'],
  ['https://example.com/', 'd=4; Domain=example.com; Path=/'],
  ['https://www.example.com/', 'e=5; Domain=example.com'],
  ['https://example.com/', 'gone=1; Expires=Thu, 01 Jan 2015 00:00:00 GMT'],
  ['http://localhost:3000/', 'l=1; Secure; Path=/'],
  ['http://127.0.0.1/', 'ip=1; Path=/'],
  ['http://[::1]/', 'v6=1; Path=/'],
  ['http://sub.localhost/', 's=1; Domain=localhost; Path=/'],
  ['https://api.github.io/', 'gh=1; Path=/'],
  ['https://example.com/%7Euser/', 'enc=1; Path=/%7Euser'],
  ['https://example.com/', 'n=1; Max-Age=3600; Path=/'],
];

const REQUESTS = [
  'https://example.com/',
  'http://example.com/',
  'https://example.com/app/x/y',
  'http://example.com/app',
  'https://www.example.com/app',
  'https://deep.www.example.com/',
  'http://localhost:3000/a',
  'http://LOCALHOST./',
  'http://127.0.0.1/x',
  'http://[::1]/',
  'http://sub.localhost/',
  'https://api.github.io/',
  'https://other.github.io/',
  'https://example.com/%7Euser/page',
  'https://example.com/~user/page',
  'https://example.com/%E0%A4%A',
  'https://example.org/',
];

async function filledJar(): Promise<CookieJar> {
  const jar = createJar();
  for (const [url, text] of SET_COOKIES) await storeResponseCookies(jar, new URL(url), [text]);
  return jar;
}

function accessTimes(jar: CookieJar): string[] {
  return jar
    .serializeSync()!
    .cookies.map((c) => `${c.domain}${c.path} ${c.key} ${c.lastAccessed}`)
    .sort();
}

test('the Cookie header and its side effects are those of tough-cookie, request by request', async () => {
  const ours = await filledJar();
  const theirs = await filledJar();
  for (const href of REQUESTS) {
    const url = new URL(href);
    const want = await theirs.getCookieString(cookieUrl(url));
    assert.equal(cookieHeaderNow(ours, url), want, href);
    assert.equal(await cookieHeaderFor(ours, url), want, href);
  }
  // Expired cookies left the store in both; lastAccessed moved on the same cookies.
  const names = (jar: CookieJar) => accessTimes(jar).map((line) => line.split(' ')[1]);
  assert.deepEqual(names(ours), names(theirs));
  assert.ok(!names(ours).includes('gone'));
  const touched = (jar: CookieJar) =>
    jar
      .serializeSync()!
      .cookies.filter((c) => c.lastAccessed !== c.creation)
      .map((c) => c.key);
  assert.deepEqual(touched(ours).sort(), touched(theirs).sort());
});

test('sending updates lastAccessed (the sidebar and saved jars rely on it)', async () => {
  const jar = createJar();
  await storeResponseCookies(jar, new URL('http://127.0.0.1/'), ['seen=1; Path=/']);
  const [cookie] = await jar.store.getAllCookies();
  cookie!.lastAccessed = new Date(0);
  assert.equal(cookieHeaderNow(jar, new URL('http://127.0.0.1/x')), 'seen=1');
  assert.ok((cookie!.lastAccessed as Date).getTime() > 0);
});

test('a jar that is not a plain in-memory one like createJar makes is left to tough-cookie', async () => {
  // A store whose lookups are its own (a subclass, a wrapper).
  const ownStore = new MemoryCookieStore();
  Object.defineProperty(ownStore, 'findCookies', { value: ownStore.findCookies.bind(ownStore) });
  const jars = [
    new CookieJar(ownStore, { looseMode: true }),
    new CookieJar(undefined, { allowSpecialUseDomain: false }),
    new CookieJar(undefined, { allowSecureOnLocal: false }),
  ];
  for (const jar of jars) {
    const url = new URL('https://example.com/');
    await storeResponseCookies(jar, url, ['a=1']);
    assert.equal(cookieHeaderNow(jar, url), null);
    assert.equal(await cookieHeaderFor(jar, url), 'a=1');
    assert.equal(storeRepeatedCookies(jar, url, ['a=1']), null);
    assert.equal(jarCookieCount(jar), null);
  }
});

test('host facts are kept for at most ENTRIES_KEPT hosts', () => {
  const jar = createJar();
  for (let i = 0; i < ENTRIES_KEPT + 50; i++) cookieHeaderNow(jar, new URL(`http://h${i}.example/`));
  assert.equal(cachedHosts(), ENTRIES_KEPT);
});

test('loopback hosts are trustworthy, others are not', () => {
  for (const host of ['localhost', 'LOCALHOST.', 'a.localhost', '127.0.0.1', '127.9.8.7', '[::1]'])
    assert.equal(isLoopback(host), true, host);
  for (const host of ['example.com', 'localhost.example', '128.0.0.1', '[::2]', '10.0.0.1'])
    assert.equal(isLoopback(host), false, host);
});

test('the same Set-Cookie again is stored without waiting and moves lastAccessed', async () => {
  const jar = createJar();
  const url = new URL('http://127.0.0.1/items/1');
  assert.equal(storeRepeatedCookies(jar, url, ['seen=1; Path=/']), null);
  const first = await storeResponseCookies(jar, url, ['seen=1; Path=/']);
  const [before] = await jar.store.getAllCookies();
  before!.lastAccessed = new Date(0);
  const again = storeRepeatedCookies(jar, new URL('http://127.0.0.1/items/2'), ['seen=1; Path=/']);
  assert.deepEqual(again, first);
  const [after] = await jar.store.getAllCookies();
  assert.equal(after, before);
  assert.ok((after!.lastAccessed as Date).getTime() > 0);
  assert.equal(after!.creationIndex, before!.creationIndex);
});

test('a repeated Set-Cookie is stored in full again after the jar changed', async (t) => {
  const url = new URL('https://example.com/');
  const text = 'sid=1; Path=/';
  const ready = async () => {
    const jar = createJar();
    await storeResponseCookies(jar, url, [text]);
    assert.ok(storeRepeatedCookies(jar, url, [text]), 'remembered');
    return jar;
  };
  await t.test('another value for the same cookie', async () => {
    const jar = await ready();
    await storeResponseCookies(jar, url, ['sid=2; Path=/']);
    assert.equal(storeRepeatedCookies(jar, url, [text]), null);
    await storeResponseCookies(jar, url, [text]);
    assert.equal(cookieHeaderNow(jar, url), 'sid=1');
  });
  await t.test('edited in the sidebar', async () => {
    const jar = await ready();
    await setCookieValue(jar, { domain: 'example.com', path: '/', name: 'sid' }, 'edited');
    assert.equal(storeRepeatedCookies(jar, url, [text]), null);
  });
  await t.test('deleted in the sidebar', async () => {
    const jar = await ready();
    await deleteCookie(jar, { domain: 'example.com', path: '/', name: 'sid' });
    assert.equal(storeRepeatedCookies(jar, url, [text]), null);
    const outcome = await storeResponseCookies(jar, url, [text]);
    assert.equal(outcome.stored.length, 1);
    assert.equal(cookieHeaderNow(jar, url), 'sid=1');
  });
  await t.test('cleared', async () => {
    const jar = await ready();
    await jar.removeAllCookies();
    assert.equal(storeRepeatedCookies(jar, url, [text]), null);
  });
  await t.test('changed in place', async () => {
    const jar = await ready();
    const [cookie] = await jar.store.getAllCookies();
    cookie!.value = 'changed';
    assert.equal(storeRepeatedCookies(jar, url, [text]), null);
  });
  await t.test('put back as a copy (import, merge of a saved jar)', async () => {
    const jar = await ready();
    const [cookie] = await jar.store.getAllCookies();
    await jar.store.putCookie(Cookie.fromJSON(cookie!.toJSON())!);
    assert.equal(storeRepeatedCookies(jar, url, [text]), null);
  });
  await t.test('another jar (replaceJar)', async () => {
    await ready();
    assert.equal(storeRepeatedCookies(createJar(), url, [text]), null);
  });
  await t.test('expired and dropped when looked up', async () => {
    const jar = createJar();
    const old = 'old=1; Path=/; Expires=Thu, 01 Jan 2015 00:00:00 GMT';
    await storeResponseCookies(jar, url, [old]);
    assert.equal(
      storeRepeatedCookies(jar, url, [old]),
      null,
      'an Expires that has passed takes the full path',
    );
    assert.equal(cookieHeaderNow(jar, url), '');
    assert.equal(storeRepeatedCookies(jar, url, [old]), null);
  });
});

test('Set-Cookie texts whose outcome can differ next time are not remembered', async () => {
  const https = new URL('https://example.com/');
  const http = new URL('http://example.com/');
  const cases: readonly (readonly [URL, string])[] = [
    [https, 'm=1; Max-Age=60'],
    [https, 'far=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT'],
    // Over plain http a later Secure cookie of the same name may make it shadow one.
    [http, 'p=1; Path=/'],
    [https, '__Host-x=1; Path=/'],
    [https, 'bad=1; Domain=other.org'],
  ];
  for (const [url, text] of cases) {
    const jar = createJar();
    await storeResponseCookies(jar, url, [text]);
    assert.equal(storeRepeatedCookies(jar, url, [text]), null, text);
  }
});

test('a remembered cookie counts only for the same trustworthiness, host and directory', async () => {
  const jar = createJar();
  await storeResponseCookies(jar, new URL('http://localhost/a/b'), ['k=1']);
  assert.ok(storeRepeatedCookies(jar, new URL('http://localhost/a/c'), ['k=1']));
  assert.equal(storeRepeatedCookies(jar, new URL('http://localhost/x/c'), ['k=1']), null);
  // https and loopback http are alike to cookies: both may use Secure ones.
  assert.ok(storeRepeatedCookies(jar, new URL('https://localhost/a/c'), ['k=1']));
  assert.equal(storeRepeatedCookies(jar, new URL('http://127.0.0.1/a/c'), ['k=1']), null);
  assert.equal(storeRepeatedCookies(jar, new URL('http://localhost/a/c'), ['k=1', 'k=2']), null);
});

test('a full jar goes through eviction, not the shortcut', async () => {
  const jar = createJar();
  const url = new URL('https://example.com/');
  for (let i = 0; i < MAX_COOKIES_PER_DOMAIN; i++) await jar.setCookie(`c${i}=1`, 'https://other.example/');
  await storeResponseCookies(jar, url, ['sid=1']);
  assert.equal(jarCookieCount(jar), MAX_COOKIES_PER_DOMAIN + 1);
  assert.equal(storeRepeatedCookies(jar, url, ['sid=1']), null);
});

test('the jar cookie count is the number of cookies in the store', async () => {
  const jar = await filledJar();
  assert.equal(jarCookieCount(jar), (await jar.store.getAllCookies()).length);
  await jar.store.removeCookie('example.com', '/', 'a');
  assert.equal(jarCookieCount(jar), (await jar.store.getAllCookies()).length);
});

test('merging with no written Cookie header gives the jar cookies last, tidied', () => {
  assert.deepEqual(mergeCookieHeader([['Accept', '*/*']], 'a=1; b=2'), [
    ['Accept', '*/*'],
    ['Cookie', 'a=1; b=2'],
  ]);
  assert.deepEqual(mergeCookieHeader([['Accept', '*/*']], ' ; a=1 ;;  b=2 ; '), [
    ['Accept', '*/*'],
    ['Cookie', 'a=1; b=2'],
  ]);
  assert.deepEqual(mergeCookieHeader([['Accept', '*/*']], ''), [['Accept', '*/*']]);
});

test('a remembered cookie whose fixed Expires has passed, or is past the 400-day cap now, takes the full path', async () => {
  const url = new URL('https://example.com/');
  const soon = new Date(Date.now() + 60_000).toUTCString();
  const text = `sid=1; Path=/; Expires=${soon}`;
  const jar = createJar();
  await storeResponseCookies(jar, url, [text]);
  assert.ok(storeRepeatedCookies(jar, url, [text]), 'remembered while Expires is ahead');
  const [cookie] = await jar.store.getAllCookies();
  // As if the clock had moved past it …
  cookie!.expires = new Date(Date.now() - 1000);
  assert.equal(storeRepeatedCookies(jar, url, [text]), null);
  // … or back by more than the cap allows.
  cookie!.expires = new Date(Date.now() + MAX_COOKIE_AGE_MS + 60_000);
  assert.equal(storeRepeatedCookies(jar, url, [text]), null);
});
