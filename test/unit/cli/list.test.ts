// `http-session list` against files written for each dialect, through the
// built CLI, as CI would call it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';

const CLI = resolve('dist/cli.js');
const fixture = (name: string) => resolve('test/fixtures/dialects', name);

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function listJson(file: string) {
  const r = cli('list', fixture(file), '--json');
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('http-session list --json', () => {
  test('REST Client file', () => {
    const got = listJson('rest-client.http');
    assert.deepEqual(got[0], {
      name: 'login',
      method: 'POST',
      url: '{{baseUrl}}/auth/login',
      httpVersion: 'HTTP/1.1',
      line: 6,
      headers: [['Content-Type', '{{contentType}}']],
      body: '{\n  "user": "alice",\n  "password": "{{$dotenv PASSWORD}}"\n}',
      bodyFile: null,
      directives: { name: 'login' },
    });
    assert.equal(got[1].url, '{{baseUrl}}/users/me?fields=name,email&expand=roles');
    assert.deepEqual(got[1].directives, { name: 'profile', 'no-cookie-jar': true });
    assert.equal(got[2].directives.prompt, 'otp One-time code');
    assert.match(got[2].body, /< \.\/data\.csv\n------Boundary--$/);
    assert.deepEqual([got[3].url, got[3].headers], ['/health', [['Host', 'api.example.com']]]);
    assert.equal(got.length, 4);
  });

  test('JetBrains file', () => {
    const got = listJson('jetbrains.http');
    assert.deepEqual(
      got.map((r: { name: string; method: string; line: number }) => [r.name, r.method, r.line]),
      [
        ['Get a token', 'POST', 3],
        ['List items', 'GET', 13],
        ['Upload from file', 'PUT', 25],
      ],
    );
    assert.equal(got[0].body, 'grant_type=client_credentials&client_id={{id}}');
    assert.equal(got[1].url, 'https://{{host}}/api/items?page=1');
    assert.equal(got[1].body, null);
    assert.deepEqual([got[2].body, got[2].bodyFile], [null, './item.json']);
    assert.deepEqual(got[2].directives, { timeout: '30', 'connection-timeout': '2 m' });
  });

  test('httpYac file', () => {
    const got = listJson('httpyac.http');
    assert.deepEqual(
      got.map((r: { name: string; method: string; url: string }) => [r.name, r.method, r.url]),
      [
        ['cart', 'GET', '{{host}}/cart'],
        ['checkout', 'POST', '{{host}}/checkout'],
        [null, 'DELETE', '{{host}}/cart/1'],
      ],
    );
    assert.equal(got[0].httpVersion, 'HTTP/2');
    assert.equal(got[1].body, '{ "cart": "{{cart.response.body.$.id}}" }');
    assert.deepEqual(got[2].headers, [['X-Reason', 'cleanup']]);
  });
});

describe('http-session list errors and table', () => {
  test('missing file exits 2 with a clear message', () => {
    const r = cli('list', fixture('nope.http'));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Cannot read .*nope\.http: no such file/);
  });
  test('bad arguments exit 2', () => {
    assert.equal(cli('list').code, 2);
    assert.equal(cli('list', fixture('jetbrains.http'), '--bogus').code, 2);
    assert.equal(cli('frobnicate').code, 2);
  });
  test('table without --json', () => {
    const r = cli('list', fixture('jetbrains.http'));
    assert.equal(r.code, 0);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0], /^#\s+LINE\s+NAME\s+METHOD\s+URL$/);
    assert.match(lines[2], /^2\s+13\s+List items\s+GET\s+https:\/\/\{\{host\}\}\/api\/items\?page=1$/);
  });
});
