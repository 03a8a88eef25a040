import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Cookie, type CookieJar } from 'tough-cookie';
import { parseCookiesTxt } from '../../../src/core/session';
import { createJar, MAX_COOKIE_AGE_MS } from '../../../src/core/session/cookies';
import {
  addCookie,
  addCookieProblem,
  CookieRejected,
  clearDomain,
  deleteCookie,
  exportCookiesTxt,
  findCookie,
  importCookiesTxt,
  listCookieEntries,
  setCookieValue,
  targetUrl,
  valueProblem,
} from '../../../src/extension/sidebar/jarEdits';

const SITE = 'https://example.com/';
const sid = { domain: 'example.com', path: '/', name: 'sid' };

async function jarWith(...setCookies: string[]): Promise<CookieJar> {
  const jar = createJar();
  for (const c of setCookies) await jar.setCookie(c, SITE);
  return jar;
}

async function names(jar: CookieJar): Promise<string[]> {
  return (await listCookieEntries(jar)).map((c) => `${c.domain}${c.path}:${c.name}`).sort();
}

/** An expired cookie the store still holds (tough-cookie drops them only when it next looks the domain up). */
async function putExpired(jar: CookieJar, key: string, domain = 'example.com'): Promise<void> {
  await jar.store.putCookie(new Cookie({ key, value: 'old', domain, path: '/', expires: new Date(1000) }));
}

describe('editing a value', () => {
  test('a new value keeps every attribute and the host-only flag', async () => {
    const jar = createJar();
    await addCookie(jar, new URL(SITE), 'sid=old; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=3600');
    const before = (await findCookie(jar, sid))!;
    const now = new Date(Date.now() + 1000);

    const entry = await setCookieValue(jar, sid, 'new', now);

    const after = (await findCookie(jar, sid))!;
    assert.equal(after.value, 'new');
    assert.equal(entry.value, 'new');
    for (const attr of ['domain', 'path', 'secure', 'httpOnly', 'sameSite', 'hostOnly'] as const) {
      assert.equal(after[attr], before[attr], attr);
    }
    assert.equal(after.expiryTime(), before.expiryTime());
    assert.equal((after.creation as Date).getTime(), (before.creation as Date).getTime());
    assert.equal(entry.lastAccessed, now.toISOString());
    assert.equal((await jar.store.getAllCookies()).length, 1);
    assert.equal(await jar.getCookieString(SITE), 'sid=new');
  });

  test('a value with ";", a control character or outer spaces is refused', async () => {
    const jar = await jarWith('sid=old');
    for (const bad of ['a;b', 'a\nb', 'a\u0000', ' padded', 'padded\t']) {
      assert.ok(valueProblem(bad), JSON.stringify(bad));
      await assert.rejects(setCookieValue(jar, sid, bad), /cannot/);
    }
    assert.equal((await findCookie(jar, sid))?.value, 'old');
    assert.equal(valueProblem(''), null);
    assert.equal(valueProblem('{"json": [1, 2]}'), null);
  });

  test('editing a cookie that is gone (deleted or expired) says so', async () => {
    const jar = await jarWith();
    await putExpired(jar, 'sid');
    await assert.rejects(setCookieValue(jar, sid, 'x'), /sid \(example\.com\/\) is no longer in the jar/);
  });
});

describe('adding a cookie', () => {
  test('a host name, a path or a full URL is where the cookie comes from', () => {
    assert.equal(targetUrl('example.com')?.href, 'https://example.com/');
    assert.equal(targetUrl('.example.com')?.href, 'https://example.com/');
    assert.equal(targetUrl(' example.com/api ')?.href, 'https://example.com/api');
    assert.equal(targetUrl('http://localhost:8080/x')?.href, 'http://localhost:8080/x');
    assert.equal(targetUrl('localhost:8080')?.href, 'https://localhost:8080/');
    assert.equal(targetUrl('ftp://example.com/'), null);
    assert.equal(targetUrl(''), null);
    assert.equal(targetUrl('exa mple.com'), null);
  });

  test('a cookie is stored as if the URL had sent it: default path, host-only, dates', async () => {
    const jar = createJar();
    const now = new Date();
    const entry = await addCookie(jar, new URL('https://example.com/app/page'), 'sid=1; Max-Age=60', now);
    assert.equal(entry.path, '/app');
    assert.equal(entry.hostOnly, true);
    assert.equal(entry.expires, new Date(now.getTime() + 60_000).toISOString());
    assert.equal(await jar.getCookieString('https://example.com/app/x'), 'sid=1');
    assert.equal(await jar.getCookieString('https://sub.example.com/app/x'), '');
  });

  test('Domain= makes it a domain cookie, sent to subdomains', async () => {
    const jar = createJar();
    const entry = await addCookie(
      jar,
      new URL('https://api.example.com/'),
      'wide=1; Domain=example.com; Path=/',
    );
    assert.equal(entry.domain, 'example.com');
    assert.equal(entry.hostOnly, false);
    assert.equal(await jar.getCookieString('https://www.example.com/'), 'wide=1');
  });

  const refusals: readonly [string, string, string, RegExp][] = [
    ['no name', 'https://example.com/', 'justavalue', /could not be parsed as name=value/],
    ['an empty line', 'https://example.com/', '   ', /could not be parsed as name=value/],
    ['a public suffix as Domain', 'https://example.com/', 'a=1; Domain=com', /Domain=com is a public suffix/],
    [
      'a Domain the URL is not in',
      'https://example.com/',
      'a=1; Domain=other.org',
      /Domain=other\.org does not match the request host example\.com/,
    ],
    ['Secure over plain http', 'http://example.com/', 'a=1; Secure', /Secure cookie set over plain http/],
    [
      'a __Host- cookie with a Domain',
      'https://example.com/',
      '__Host-a=1; Secure; Path=/; Domain=example.com',
      /__Host-/,
    ],
    [
      'a __Secure- cookie without Secure',
      'https://example.com/',
      '__Secure-a=1',
      /__Secure- cookie without the Secure/,
    ],
    ['a line break', 'https://example.com/', 'a=1\nb=2', /control character U\+000A/],
    ['Max-Age=0', 'https://example.com/', 'a=1; Max-Age=0', /already expired/],
  ];
  for (const [rule, url, line, reason] of refusals) {
    test(`a cookie with ${rule} is refused with the reason`, async () => {
      const jar = createJar();
      const err = await addCookie(jar, new URL(url), line).then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(err instanceof CookieRejected, `not refused: ${String(err)}`);
      assert.match(err.message, reason);
      assert.deepEqual(await names(jar), []);
      assert.match((await addCookieProblem(new URL(url), line)) ?? '', reason);
    });
  }

  test('a valid cookie has no problem, and checking it stores nothing anywhere', async () => {
    assert.equal(await addCookieProblem(new URL(SITE), 'a=1; Path=/; Secure; HttpOnly; SameSite=Lax'), null);
  });
});

describe('deleting and clearing', () => {
  test('deleting removes exactly that cookie (domain, path and name)', async () => {
    const jar = await jarWith('sid=1; Path=/', 'sid=2; Path=/api', 'other=3');
    await deleteCookie(jar, sid);
    assert.deepEqual(await names(jar), ['example.com/:other', 'example.com/api:sid']);
  });

  test('clearing a domain removes its cookies, not its subdomains’ or parents’', async () => {
    const jar = createJar();
    await jar.setCookie('a=1', SITE);
    await jar.setCookie('b=1; Domain=example.com', 'https://example.com/');
    await jar.setCookie('c=1', 'https://api.example.com/');
    await jar.setCookie('d=1', 'https://other.org/');

    const removed = await clearDomain(jar, 'example.com');

    assert.equal(removed, 2);
    assert.deepEqual(await names(jar), ['api.example.com/:c', 'other.org/:d']);
  });

  test('clearing a domain counts only the cookies the view showed, not expired leftovers', async () => {
    const jar = await jarWith('a=1');
    await putExpired(jar, 'gone');
    assert.equal(await clearDomain(jar, 'example.com'), 1);
    assert.deepEqual(await jar.store.getAllCookies(), []);
  });
});

describe('cookies.txt export and import', () => {
  test('export writes one line per live cookie with its flags', async () => {
    const jar = createJar();
    const now = new Date('2030-01-01T00:00:00.000Z');
    await jar.setCookie('host=1; Path=/; HttpOnly', SITE, { now });
    await jar.setCookie('wide=2; Domain=example.com; Path=/api; Secure', SITE, { now });
    await jar.store.putCookie(
      new Cookie({
        key: 'dated',
        value: '3',
        domain: 'example.com',
        path: '/',
        expires: new Date('2030-02-01T00:00:00.000Z'),
        hostOnly: true,
      }),
    );
    await putExpired(jar, 'gone');

    const { text, count } = await exportCookiesTxt(jar, 'default', now);

    assert.equal(count, 3);
    const lines = text.split('\n');
    assert.equal(lines[0], '# Netscape HTTP Cookie File');
    assert.ok(lines.includes('# Session "default", exported by HTTP Session on 2030-01-01T00:00:00.000Z.'));
    assert.deepEqual(
      lines.filter((l) => l !== '' && !/^# /.test(l)).sort(),
      [
        '#HttpOnly_example.com\tFALSE\t/\tFALSE\t0\thost\t1',
        '.example.com\tTRUE\t/api\tTRUE\t0\twide\t2',
        'example.com\tFALSE\t/\tFALSE\t1896134400\tdated\t3',
      ].sort(),
    );
  });

  test('export then import gives a jar that sends the same Cookie headers', async () => {
    const jar = createJar();
    await jar.setCookie('sid=abc; Path=/; HttpOnly', SITE);
    await jar.setCookie('wide=1; Domain=example.com; Max-Age=3600', SITE);
    await jar.setCookie('api=2; Path=/api; Secure', SITE);
    await jar.setCookie('empty=; Path=/', SITE);
    await jar.setCookie('sub=3', 'https://api.example.com/');
    const { text } = await exportCookiesTxt(jar, 'default');

    const copy = createJar();
    const result = await importCookiesTxt(copy, text);

    assert.deepEqual(result, { imported: 5, skipped: [] });
    for (const url of [
      'https://example.com/api/x',
      'http://example.com/',
      'https://api.example.com/',
      SITE,
    ]) {
      assert.equal(await copy.getCookieString(url), await jar.getCookieString(url), url);
    }
    const exportedAgain = await exportCookiesTxt(copy, 'default');
    assert.deepEqual(parseCookiesTxt(exportedAgain.text).entries.length, 5);
  });

  test('import reports expired, refused and malformed lines by line number and keeps the rest', async () => {
    const jar = createJar();
    const now = new Date('2030-01-01T00:00:00.000Z');
    const text = [
      '# Netscape HTTP Cookie File',
      'example.com\tFALSE\t/\tFALSE\t0\tgood\t1',
      'example.com\tFALSE\t/\tFALSE\t1000\texpired\t1',
      '.com\tTRUE\t/\tFALSE\t0\tsuffix\t1',
      'exa mple.com\tFALSE\t/\tFALSE\t0\tspace\t1',
      'not a cookie line',
      'example.com\tFALSE\t/\tFALSE\t0\t__Host-x\t1',
    ].join('\n');

    const result = await importCookiesTxt(jar, text, now);

    assert.equal(result.imported, 1);
    assert.deepEqual(
      result.skipped.map((p) => p.line),
      [3, 4, 5, 6, 7],
    );
    const messages = result.skipped.map((p) => p.message);
    assert.match(messages[0]!, /expired \(example\.com\) has expired/);
    assert.match(messages[1]!, /suffix: Domain=com is a public suffix/);
    assert.match(messages[2]!, /space: "exa mple\.com" is not a host name/);
    assert.match(messages[3]!, /7 tab-separated fields/);
    assert.match(messages[4]!, /__Host-x: __Host- cookie must be Secure/);
    assert.deepEqual(await names(jar), ['example.com/:good']);
  });

  test('an imported cookie lives at most 400 days, like one a response sets', async () => {
    const jar = createJar();
    const now = new Date('2030-01-01T00:00:00.000Z');
    const lines = [
      'example.com\tFALSE\t/\tFALSE\t4102444800\tfar\t1', // 2100
      'example.com\tFALSE\t/\tFALSE\t253402300799\tyear9999\t1', // what curl writes for "never"
      'example.com\tFALSE\t/\tFALSE\t99999999999999999999\thuge\t1',
    ];
    const result = await importCookiesTxt(jar, lines.join('\n'), now);
    assert.deepEqual(result, { imported: 3, skipped: [] });
    const entries = await listCookieEntries(jar, now);
    assert.deepEqual(entries.map((e) => e.name).sort(), ['far', 'huge', 'year9999']);
    for (const e of entries)
      assert.equal(e.expires, new Date(now.getTime() + MAX_COOKIE_AGE_MS).toISOString(), e.name);
  });

  test('a session cookie in the file stays a session cookie, HttpOnly and Secure carry over', async () => {
    const jar = createJar();
    await importCookiesTxt(jar, '#HttpOnly_.example.com\tTRUE\t/p\tTRUE\t0\tsid\tv\n');
    const [entry] = await listCookieEntries(jar);
    assert.deepEqual(
      { ...entry, created: null, lastAccessed: null },
      {
        name: 'sid',
        value: 'v',
        domain: 'example.com',
        path: '/p',
        expires: null,
        secure: true,
        httpOnly: true,
        sameSite: null,
        hostOnly: false,
        created: null,
        lastAccessed: null,
      },
    );
  });
});
