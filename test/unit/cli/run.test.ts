// `http-session run` end to end: the built CLI against real local servers.
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startHttpServer, type TestServer } from '../../helpers/servers';
import { spawn } from 'node:child_process';
import { CLI, runCli } from '../../helpers/cli';

const cli = runCli;

const records = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

describe('http-session run', () => {
  let server: TestServer;
  let answerHeld: () => void = () => {};
  let heldAnswer = Promise.resolve();
  let dir: string;
  before(async () => {
    server = await startHttpServer({
      '/login': (_req, res) => {
        res.writeHead(302, { Location: '/home', 'Set-Cookie': 'sid=s3cr3t; Path=/; HttpOnly' });
        res.end();
      },
      '/home': (req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ cookie: req.headers.cookie ?? null, token: 'tok-1' }));
      },
      '/big': (_req, res) => {
        // Past the size whose line waits for the next request: printed before it leaves.
        res.end('x'.repeat(100_000));
      },
      '/held': async (_req, res) => {
        await heldAnswer;
        res.end('late');
      },
      '/echo': (req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            url: req.url,
            auth: req.headers.authorization ?? null,
            cookie: req.headers.cookie ?? null,
          }),
        );
      },
    });
    dir = mkdtempSync(join(tmpdir(), 'http-session-run-'));
  });
  after(() => server.close());

  test('--all sends in file order through one session and one connection', async () => {
    const file = join(dir, 'all.http');
    writeFileSync(
      file,
      `@base = ${server.origin}\n\n# @name login\nPOST {{base}}/login\n\n###\nGET {{base}}/echo?n=2\n\n###\nGET {{base}}/echo?n=3\n`,
    );
    const before = server.connectionCount;
    const r = await cli(['run', file, '--all', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const got = records(r.stdout);
    assert.deepEqual(
      got.map((x) => [x.status, x.redirects.length]),
      [
        [200, 1],
        [200, 0],
        [200, 0],
      ],
    );
    assert.equal(JSON.parse(got[1].body).cookie, 'sid=s3cr3t', 'the 302 cookie is sent on later requests');
    assert.deepEqual(
      got.map((x) => x.connection.reused),
      [true, true, true],
      'the redirect hop already reused the first connection',
    );
    assert.equal(server.connectionCount - before, 1);
    for (const key of [
      'name',
      'method',
      'url',
      'status',
      'statusText',
      'httpVersion',
      'headers',
      'body',
      'bodyBytes',
      'truncated',
      'timing',
      'connection',
      'cookies',
      'redirects',
      'error',
    ]) {
      assert.ok(key in got[0], `record has ${key}`);
    }
    assert.equal(got[0].cookies.stored[0].name, 'sid');
  });

  test('a referenced request is sent first, once', async () => {
    const file = join(dir, 'chain.http');
    writeFileSync(
      file,
      `# @name login\nGET ${server.origin}/home\n\n###\n# @name a\nGET ${server.origin}/echo?t={{login.response.body.$.token}}\n\n###\n# @name b\nGET ${server.origin}/echo?again={{login.response.body.$.token}}\n`,
    );
    const r = await cli(['run', file, '--name', 'b', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      records(r.stdout).map((x) => [x.name, JSON.parse(x.body).url ?? null]),
      [
        ['login', null],
        ['b', '/echo?again=tok-1'],
      ],
    );
  });

  test('two runs with --cookie-jar continue one session', async () => {
    const file = join(dir, 'jar.http');
    const jar = join(dir, 'cookies.json');
    writeFileSync(
      file,
      `# @name login\nGET ${server.origin}/login\n\n###\n# @name me\nGET ${server.origin}/echo\n`,
    );
    assert.equal((await cli(['run', file, '--name', 'login', '--cookie-jar', jar])).code, 0);
    assert.match(readFileSync(jar, 'utf8'), /"key": "sid"/);
    const second = await cli(['run', file, '--name', 'me', '--cookie-jar', jar, '--json']);
    assert.equal(JSON.parse(records(second.stdout)[0].body).cookie, 'sid=s3cr3t');
    const without = await cli(['run', file, '--name', 'me', '--json']);
    assert.equal(JSON.parse(records(without.stdout)[0].body).cookie, null);
  });

  test('--env selects the environment, --var and --header apply', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'http-session-env-'));
    writeFileSync(
      join(ws, 'http-client.env.json'),
      JSON.stringify({
        $shared: { path: '/echo' },
        dev: { base: server.origin, who: 'dev' },
        prod: { base: 'http://prod.invalid', who: 'prod' },
      }),
    );
    writeFileSync(
      join(ws, 'http-client.private.env.json'),
      JSON.stringify({ dev: { token: 'private-token' } }),
    );
    writeFileSync(
      join(ws, 'env.http'),
      'GET {{base}}{{path}}?who={{who}}&x={{x}}\nAuthorization: Bearer {{token}}\n',
    );
    const r = await cli(
      ['run', 'env.http', '--env', 'dev', '--var', 'x=42', '--header', 'X-Extra: 1', '--json'],
      ws,
    );
    assert.equal(r.code, 0, r.stderr);
    const [record] = records(r.stdout);
    assert.deepEqual(JSON.parse(record.body), {
      url: '/echo?who=dev&x=42',
      auth: 'Bearer ••••',
      cookie: null,
    });
    const sent = server.requests.at(-1)!;
    assert.ok(
      sent.headers.some(([k, v]) => k === 'Authorization' && v === 'Bearer private-token'),
      'the private value is sent; only the output masks it',
    );
    assert.ok(sent.headers.some(([k, v]) => k.toLowerCase() === 'x-extra' && v === '1'));
  });

  test('output keeps file order in a merged stream: each line is printed before the next request is', async () => {
    // A line is printed once the next request has gone out; a problem of the next request (on
    // stderr) and the end of the run must not overtake it.
    const file = join(dir, 'order.http');
    const jar = join(dir, 'order-cookies.json');
    writeFileSync(
      file,
      [
        `GET ${server.origin}/echo?n=1`,
        '###',
        `GET ${server.origin}/big`,
        '###',
        `GET ${server.origin}/echo?n={{nope}}`,
        '###',
        'GET http://127.0.0.1:1/refused',
        '###',
        '# @session other',
        `GET ${server.origin}/echo?n=4`,
        '###',
        `GET ${server.origin}/echo?n=5`,
        '',
      ].join('\n'),
    );
    // Both jars are unreadable: each session's message comes when that session is first used.
    writeFileSync(jar, '{ not json');
    writeFileSync(`${jar}.other`, '{ not json');
    const log = join(dir, 'order.log');
    const fd = openSync(log, 'w');
    await new Promise<void>((done) => {
      // One file for stdout and stderr: the order the CLI wrote in, as `2>&1` keeps it.
      const child = spawn(process.execPath, [CLI, 'run', file, '--all', '--cookie-jar', jar], {
        stdio: ['ignore', fd, fd],
      });
      child.on('close', () => done());
    });
    closeSync(fd);
    const merged = readFileSync(log, 'utf8');
    const lines = merged.trim().split('\n');
    const at = (pattern: RegExp) => {
      const i = lines.findIndex((l) => pattern.test(l));
      assert.ok(i >= 0, `${pattern} in:\n${merged}`);
      return i;
    };
    const order = [
      at(/order-cookies\.json could not be read/),
      at(/✓ GET .*n=1/),
      at(/✓ GET .*\/big/),
      at(/order\.http:5:\d+: error: \{\{nope\}\}/),
      at(/✗ GET .*not sent/),
      at(/✗ GET .*127\.0\.0\.1:1\/refused/),
      at(/order-cookies\.json\.other could not be read/),
      at(/✓ GET .*n=4/),
      at(/✓ GET .*n=5/),
    ];
    assert.deepEqual(
      order,
      [...order].sort((a, b) => a - b),
      merged,
    );
    assert.equal(lines.filter((l) => /^[✓✗]/.test(l)).length, 6, merged);
  });

  test("a request's line is printed while the next request still waits for its answer", async () => {
    // The server holds the second answer until the first line has reached the CLI's stdout.
    heldAnswer = new Promise<void>((resolve) => {
      answerHeld = resolve;
    });
    const file = join(dir, 'stream.http');
    writeFileSync(file, `GET ${server.origin}/echo?n=first\n###\nGET ${server.origin}/held\n`);
    const events: string[] = [];
    const fallback = setTimeout(() => {
      events.push('gave up waiting for the first line');
      answerHeld();
    }, 5000);
    const code = await new Promise<number | null>((done) => {
      const child = spawn(process.execPath, [CLI, 'run', file, '--all'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout.on('data', (d) => {
        stdout += d;
        if (/n=first/.test(stdout) && !events.includes('first line')) {
          events.push('first line');
          answerHeld();
        }
      });
      child.on('close', done);
    });
    clearTimeout(fallback);
    assert.equal(code, 0);
    assert.deepEqual(events, ['first line']);
  });

  test('exit codes: 1 when a request fails, 2 on usage and parse errors', async () => {
    const file = join(dir, 'fail.http');
    writeFileSync(file, 'GET http://127.0.0.1:1/nothing-listens-here\n');
    const failed = await cli(['run', file, '--json']);
    assert.equal(failed.code, 1);
    assert.equal(records(failed.stdout)[0].error.code, 'REFUSED');
    assert.match(records(failed.stdout)[0].error.message, /127\.0\.0\.1:1/);

    const unresolved = join(dir, 'unresolved.http');
    writeFileSync(unresolved, 'GET http://127.0.0.1:1/{{nope}}\n');
    const u = await cli(['run', unresolved]);
    assert.equal(u.code, 1);
    assert.match(u.stdout, /unresolved\.http:1\): \{\{nope\}\}: nope is not defined/);
    assert.match(u.stderr, /unresolved\.http:1:\d+: error: \{\{nope\}\}/);

    assert.equal((await cli(['run', file, '--all', '--name', 'x'])).code, 2);
    assert.equal((await cli(['run', join(dir, 'missing.http')])).code, 2);
    const broken = join(dir, 'broken.http');
    writeFileSync(broken, 'GET\n');
    const b = await cli(['run', broken]);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /broken\.http:1:1: error: /);
  });
});
