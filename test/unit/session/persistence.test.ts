import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { Cookie } from 'tough-cookie';
import { createJar } from '../../../src/core/session/cookies';
import { loadJar, saveJar } from '../../../src/core/session/persistence';

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'http-session-jar-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const url = 'https://api.example.org/';

test('a saved jar loads back with its session cookies; expired ones are dropped', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'sessions', 'default.json');
  const jar = createJar();
  await jar.setCookie('session=s; Path=/; HttpOnly', url);
  await jar.setCookie('persistent=p; Max-Age=3600; Secure', url);
  await jar.setCookie('shortLived=x; Max-Age=60', url);

  await saveJar(path, jar);
  const later = new Date(Date.now() + 120_000);
  const { jar: loaded, warning } = await loadJar(path, later);

  assert.equal(warning, null);
  const cookies = await loaded.store.getAllCookies();
  assert.deepEqual(cookies.map((c) => c.key).sort(), ['persistent', 'session']);
  const session = cookies.find((c) => c.key === 'session');
  assert.equal(session?.httpOnly, true);
  assert.equal(session?.expires, 'Infinity');
  assert.equal(((await stat(path)).mode & 0o777).toString(8), '600');
  assert.deepEqual(await readdir(join(dir, 'sessions')), ['default.json']);
});

test('saving drops cookies that have already expired', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'jar.json');
  const jar = createJar();
  await jar.store.putCookie(
    new Cookie({ key: 'old', value: '1', domain: 'api.example.org', path: '/', expires: new Date(1000) }),
  );
  await jar.setCookie('fresh=1', url);

  await saveJar(path, jar);

  const saved = JSON.parse(await readFile(path, 'utf8'));
  assert.deepEqual(
    saved.cookies.map((c: { key: string }) => c.key),
    ['fresh'],
  );
});

test('a missing jar file is an empty jar without a warning', async (t) => {
  const dir = await tempDir(t);

  const { jar, warning } = await loadJar(join(dir, 'none.json'));

  assert.equal(warning, null);
  assert.deepEqual(await jar.store.getAllCookies(), []);
});

const corruptCases: readonly [string, string, RegExp][] = [
  ['not JSON', '{"cookies": [', /not JSON/],
  ['JSON without a cookies list', '{"version": 1}', /no "cookies" list/],
  ['JSON null', 'null', /no "cookies" list/],
];

for (const [rule, content, problem] of corruptCases) {
  test(`a corrupt jar file (${rule}) is moved aside and an empty jar starts`, async (t) => {
    const dir = await tempDir(t);
    const path = join(dir, 'jar.json');
    await writeFile(path, content);
    const now = new Date('2025-01-02T03:04:05.678Z');

    const { jar, warning } = await loadJar(path, now);

    const aside = `${path}.corrupt-2025-01-02T03-04-05-678Z`;
    assert.match(warning ?? '', problem);
    assert.match(
      warning ?? '',
      new RegExp(
        `moved to ${aside.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} and the session starts with an empty jar`,
      ),
    );
    assert.equal(await readFile(aside, 'utf8'), content);
    assert.deepEqual(await readdir(dir), ['jar.json.corrupt-2025-01-02T03-04-05-678Z']);
    assert.deepEqual(await jar.store.getAllCookies(), []);
  });
}

test('an unreadable entry is skipped, the others load', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'jar.json');
  const jar = createJar();
  await jar.setCookie('good=1', url);
  await saveJar(path, jar);
  const saved = JSON.parse(await readFile(path, 'utf8'));
  saved.cookies.push('garbage');
  await writeFile(path, JSON.stringify(saved));

  const { jar: loaded, warning } = await loadJar(path);

  assert.equal(warning, null);
  assert.equal(await loaded.getCookieString(url), 'good=1');
});
