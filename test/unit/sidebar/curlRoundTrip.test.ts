import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { promisify } from 'node:util';
import { createJar } from '../../../src/core/session/cookies';
import { JarStore } from '../../../src/extension/jarStore';
import { exportCookiesTxt, importCookiesTxt } from '../../../src/extension/sidebar/jarEdits';

const run = promisify(execFile);
const noCurl = spawnSync('curl', ['--version']).status !== 0 && 'curl is not installed on this machine';

async function cookieServer(t: TestContext) {
  const received: (string | null)[] = [];
  const server = createServer((req, res) => {
    received.push(req.headers.cookie ?? null);
    if (req.url?.startsWith('/login')) {
      res.setHeader('set-cookie', [
        'sid=s3cr3t; Path=/; HttpOnly',
        'theme=dark; Path=/; Max-Age=86400',
        'wide=1; Domain=example.test; Path=/',
        'scoped=2; Path=/api',
        'empty=; Path=/',
        'json={"a":1}; Path=/',
      ]);
    }
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.address() as AddressInfo).port, received };
}

const sorted = (header: string | null | undefined) => (header ?? '').split('; ').sort();

test('cookies curl wrote survive import, a save and restore in another window, export, and curl -b', {
  skip: noCurl,
}, async (t) => {
  const { port, received } = await cookieServer(t);
  const dir = await mkdtemp(join(tmpdir(), 'http-session-curl-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  // example.test resolves to the local server, so Domain= cookies are legal.
  const resolve = ['--resolve', `example.test:${port}:127.0.0.1`];
  const origin = `http://example.test:${port}`;
  const curlJar = join(dir, 'curl.txt');
  await run('curl', ['-s', '-o', '/dev/null', ...resolve, '-c', curlJar, `${origin}/login`]);

  const jar = createJar();
  const imported = await importCookiesTxt(jar, await readFile(curlJar, 'utf8'));
  assert.deepEqual(imported, { imported: 6, skipped: [] });
  await new JarStore(join(dir, 'jars')).sync('default', jar);
  const restored = createJar();
  await new JarStore(join(dir, 'jars')).sync('default', restored);
  const exported = join(dir, 'exported.txt');
  const { text, count } = await exportCookiesTxt(restored, 'default');
  assert.equal(count, 6);
  await writeFile(exported, text);
  assert.match(text, /^#HttpOnly_example\.test\tFALSE\t\/\tFALSE\t0\tsid\ts3cr3t$/m);

  for (const path of ['/api/items', '/']) {
    await run('curl', ['-s', '-o', '/dev/null', ...resolve, '-b', exported, `${origin}${path}`]);
    const sent = received.at(-1);
    assert.deepEqual(sorted(sent), sorted(await restored.getCookieString(`${origin}${path}`)), path);
    assert.deepEqual(sorted(sent), sorted(await jar.getCookieString(`${origin}${path}`)), path);
  }
  assert.deepEqual(sorted(received.at(-2)), [
    'empty=',
    'json={"a":1}',
    'scoped=2',
    'sid=s3cr3t',
    'theme=dark',
    'wide=1',
  ]);
  await run('curl', [
    '-s',
    '-o',
    '/dev/null',
    '--resolve',
    `sub.example.test:${port}:127.0.0.1`,
    '-b',
    exported,
    `http://sub.example.test:${port}/`,
  ]);
  assert.equal(received.at(-1), 'wide=1', 'only the Domain= cookie reaches a subdomain');
});
