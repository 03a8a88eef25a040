import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { parseCookiesTxt } from '../../../src/core/session';
import { createJar } from '../../../src/core/session/cookies';
import { importCookiesTxt, listCookieEntries } from '../../../src/extension/sidebar/jarEdits';

const run = promisify(execFile);
const noPython =
  spawnSync('python3', ['--version']).status !== 0 && 'python3 is not installed on this machine';

test('an empty expiry (how Python http.cookiejar saves a session cookie) is a session cookie', async () => {
  const parsed = parseCookiesTxt('example.com\tFALSE\t/\tFALSE\t\tsid\tv\n');
  assert.deepEqual(parsed.problems, []);
  assert.equal(parsed.entries[0]?.expires, 0);
  const jar = createJar();
  assert.deepEqual(await importCookiesTxt(jar, 'example.com\tFALSE\t/\tFALSE\t\tsid\tv\n'), {
    imported: 1,
    skipped: [],
  });
  assert.equal((await listCookieEntries(jar))[0]?.expires, null);
});

test('an expiry with a fraction of a second (Firefox 142+ add-ons) keeps its whole seconds', () => {
  const parsed = parseCookiesTxt('.example.com\tTRUE\t/\tTRUE\t1791464381.742\tPREF\tv\n');
  assert.deepEqual(parsed.problems, []);
  assert.equal(parsed.entries[0]?.expires, 1791464381);
  assert.match(
    parseCookiesTxt('example.com\tFALSE\t/\tFALSE\t1e9\tx\tv').problems[0]?.message ?? '',
    /not a number/,
  );
  assert.match(
    parseCookiesTxt('example.com\tFALSE\t/\tFALSE\t-1\tx\tv').problems[0]?.message ?? '',
    /not a number/,
  );
});

test('a cookies.txt saved by Python http.cookiejar imports and sends what Python sent', {
  skip: noPython,
}, async (t) => {
  const received: (string | null)[] = [];
  const server = createServer((req, res) => {
    received.push(req.headers.cookie ?? null);
    if (req.url === '/login')
      res.setHeader('set-cookie', [
        'sid=s1; Path=/',
        'theme=dark; Path=/; Max-Age=3600',
        'scoped=2; Path=/api',
      ]);
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = await mkdtemp(join(tmpdir(), 'http-session-python-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'cookies.txt');
  const script = [
    'import sys, urllib.request, http.cookiejar as cj',
    'jar = cj.MozillaCookieJar(sys.argv[2])',
    'opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))',
    "opener.open(sys.argv[1] + '/login').read()",
    "opener.open(sys.argv[1] + '/api/check').read()",
    'jar.save(ignore_discard=True)',
  ].join('\n');
  await run('python3', ['-c', script, origin, file]);

  const text = await readFile(file, 'utf8');
  assert.match(
    text,
    /^127\.0\.0\.1\tFALSE\t\/\tFALSE\t\tsid\ts1$/m,
    'Python no longer writes an empty expiry',
  );
  const jar = createJar();
  assert.deepEqual(await importCookiesTxt(jar, text), { imported: 3, skipped: [] });
  const pythonSent = received.at(-1);
  assert.ok(pythonSent);
  assert.deepEqual(
    (await jar.getCookieString(`${origin}/api/check`)).split('; ').sort(),
    pythonSent.split('; ').sort(),
  );
});
