import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { promisify } from 'node:util';
import {
  type CookiesTxtEntry,
  formatCookiesTxt,
  parseCookiesTxt,
  toCookiesTxtEntry,
} from '../../../src/core/session/cookiesTxt';
import { createJar } from '../../../src/core/session/cookies';
import { exportCookiesTxt, importCookiesTxt } from '../../../src/extension/sidebar/jarEdits';

const CURL = '/usr/bin/curl';
const run = promisify(execFile);

const entry = (over: Partial<CookiesTxtEntry> = {}): CookiesTxtEntry => ({
  domain: 'example.com',
  includeSubdomains: false,
  path: '/',
  secure: false,
  expires: 0,
  name: 'sid',
  value: 'abc',
  httpOnly: false,
  ...over,
});

test('a host-only session cookie is one line: FALSE flags and expiry 0', () => {
  assert.equal(
    formatCookiesTxt([entry()]),
    '# Netscape HTTP Cookie File\n\nexample.com\tFALSE\t/\tFALSE\t0\tsid\tabc\n',
  );
});

test('a domain cookie gets a leading dot and TRUE; HttpOnly gets the #HttpOnly_ prefix', () => {
  const text = formatCookiesTxt([
    entry({ includeSubdomains: true, secure: true, expires: 1_900_000_000, httpOnly: true, path: '/api' }),
  ]);
  assert.match(text, /^#HttpOnly_\.example\.com\tTRUE\t\/api\tTRUE\t1900000000\tsid\tabc$/m);
});

test('comments go under the header, each behind "# "', () => {
  const text = formatCookiesTxt([], ['Session "default"', 'keep it private']);
  assert.equal(text, '# Netscape HTTP Cookie File\n# Session "default"\n# keep it private\n\n');
});

test('format then parse gives the same entries back', () => {
  const entries = [
    entry(),
    entry({ name: 'wide', includeSubdomains: true, expires: 2_000_000_000 }),
    entry({ name: 'locked', httpOnly: true, secure: true, path: '/admin' }),
    entry({ name: 'empty', value: '' }),
    entry({ name: 'json', value: '{"a":1,"b":[2]}' }),
  ];
  const parsed = parseCookiesTxt(formatCookiesTxt(entries, ['a comment']));
  assert.deepEqual(parsed.problems, []);
  assert.deepEqual(
    parsed.entries.map(({ line: _line, ...rest }) => rest),
    entries,
  );
});

test('comment lines and blank lines are skipped; CRLF files read the same', () => {
  const text = '# Netscape HTTP Cookie File\r\n# comment\r\n\r\nexample.com\tFALSE\t/\tFALSE\t0\ta\t1\r\n';
  const parsed = parseCookiesTxt(text);
  assert.equal(parsed.entries.length, 1);
  assert.equal(parsed.entries[0]?.value, '1');
  assert.equal(parsed.entries[0]?.line, 4);
});

test('a missing tab before an empty value still reads as an empty value', () => {
  const parsed = parseCookiesTxt('example.com\tFALSE\t/\tFALSE\t0\tflag\n');
  assert.deepEqual(parsed.problems, []);
  assert.equal(parsed.entries[0]?.value, '');
});

test('malformed lines are reported with their line number, the rest still read', () => {
  const parsed = parseCookiesTxt(
    [
      'example.com\tFALSE\t/\tFALSE\t0\tgood\t1',
      'just some text',
      'example.com\tMAYBE\t/\tFALSE\t0\tbad\t1',
      'example.com\tFALSE\t/\tFALSE\tsoon\tbad\t1',
      'example.com\tFALSE\t/\tFALSE\t0\t\t1',
    ].join('\n'),
  );
  assert.deepEqual(
    parsed.entries.map((e) => e.name),
    ['good'],
  );
  assert.deepEqual(
    parsed.problems.map((p) => p.line),
    [2, 3, 4, 5],
  );
  assert.match(parsed.problems[0]!.message, /7 tab-separated fields/);
  assert.match(parsed.problems[1]!.message, /TRUE or FALSE/);
  assert.match(parsed.problems[2]!.message, /not a number/);
  assert.match(parsed.problems[3]!.message, /without a name/);
});

test('a session cookie exports with expiry 0, a dated one with its Unix seconds', () => {
  const base = {
    name: 'a',
    value: '1',
    domain: 'example.com',
    path: '/',
    secure: false,
    httpOnly: false,
    sameSite: null,
    hostOnly: true,
  } as const;
  assert.equal(toCookiesTxtEntry({ ...base, expires: null }).expires, 0);
  assert.equal(toCookiesTxtEntry({ ...base, expires: '2030-01-01T00:00:00.500Z' }).expires, 1893456000);
  assert.equal(toCookiesTxtEntry({ ...base, hostOnly: false, expires: null }).includeSubdomains, true);
});

// --- real curl ---------------------------------------------------------------------------------

interface LocalServer {
  port: number;
  cookieHeaders: (string | null)[];
  server: Server;
}

async function cookieServer(t: TestContext): Promise<LocalServer> {
  const cookieHeaders: (string | null)[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    cookieHeaders.push(req.headers.cookie ?? null);
    res.setHeader('set-cookie', [
      'plain=1; Path=/',
      'hidden=2; HttpOnly; Path=/api',
      'wide=3; Domain=example.test; Path=/; Max-Age=3600',
      'secret=4; Secure; Path=/',
      'blank=; Path=/',
    ]);
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.address() as AddressInfo).port, cookieHeaders, server };
}

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'http-session-cookiestxt-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('a file written by curl -c parses, imports, and exports back into one curl -b accepts', async (t) => {
  if (!existsSync(CURL)) return t.skip('no curl at /usr/bin/curl');
  const { port, cookieHeaders } = await cookieServer(t);
  const dir = await tempDir(t);
  const curlJar = join(dir, 'curl.txt');
  // example.test resolves to the local server, so Domain= cookies are legal; localhost for the Secure one.
  const resolve = ['--resolve', `example.test:${port}:127.0.0.1`];
  await run(CURL, ['-s', '-o', '/dev/null', ...resolve, '-c', curlJar, `http://example.test:${port}/api/x`]);

  const text = await readFile(curlJar, 'utf8');
  assert.match(text, /^# Netscape HTTP Cookie File/);
  const parsed = parseCookiesTxt(text);
  assert.deepEqual(parsed.problems, []);
  const byName = new Map(parsed.entries.map((e) => [e.name, e]));
  assert.deepEqual([...byName.keys()].sort(), ['blank', 'hidden', 'plain', 'wide']);
  assert.equal(byName.get('hidden')?.httpOnly, true);
  assert.equal(byName.get('hidden')?.path, '/api');
  assert.equal(byName.get('wide')?.includeSubdomains, true);
  assert.equal(byName.get('wide')?.domain, 'example.test');
  assert.ok((byName.get('wide')?.expires ?? 0) > Date.now() / 1000);
  assert.equal(byName.get('plain')?.includeSubdomains, false);
  assert.equal(byName.get('plain')?.expires, 0);
  assert.equal(byName.get('blank')?.value, '');

  const jar = createJar();
  const result = await importCookiesTxt(jar, text);
  assert.deepEqual(result.skipped, []);
  assert.equal(result.imported, 4);
  assert.equal(
    await jar.getCookieString(`http://sub.example.test:${port}/`),
    'wide=3',
    'the domain cookie reaches subdomains',
  );
  const forApi = await jar.getCookieString(`http://example.test:${port}/api/x`);
  assert.deepEqual(forApi.split('; ').sort(), ['blank=', 'hidden=2', 'plain=1', 'wide=3']);

  const exported = join(dir, 'exported.txt');
  await writeFile(exported, (await exportCookiesTxt(jar, 'default')).text);
  await run(CURL, ['-s', '-o', '/dev/null', ...resolve, '-b', exported, `http://example.test:${port}/api/y`]);
  const sent = cookieHeaders.at(-1);
  assert.ok(sent, 'curl sent no Cookie header from the exported file');
  assert.deepEqual(sent.split('; ').sort(), ['blank=', 'hidden=2', 'plain=1', 'wide=3']);
});

test('a Secure cookie curl keeps for localhost round-trips with its flag', async (t) => {
  if (!existsSync(CURL)) return t.skip('no curl at /usr/bin/curl');
  const { port } = await cookieServer(t);
  const dir = await tempDir(t);
  const curlJar = join(dir, 'curl.txt');
  await run(CURL, ['-s', '-o', '/dev/null', '-c', curlJar, `http://localhost:${port}/`]);
  const secret = parseCookiesTxt(await readFile(curlJar, 'utf8')).entries.find((e) => e.name === 'secret');
  assert.ok(secret, 'curl did not keep the Secure cookie for localhost');
  assert.equal(secret.secure, true);
  const jar = createJar();
  await importCookiesTxt(jar, await readFile(curlJar, 'utf8'));
  const { text } = await exportCookiesTxt(jar, 'default');
  assert.match(text, /^localhost\tFALSE\t\/\tTRUE\t0\tsecret\t4$/m);
});
