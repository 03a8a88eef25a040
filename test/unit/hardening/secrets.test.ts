// Secrets never reach the CLI's output: a full `http-session run` of a file
// that takes credentials from a private env file, `.env`, a password prompt
// and `--header`, against a server that sets a session cookie and echoes
// every request header back. Every planted value is searched for in stdout
// and stderr, in text and --json mode; the same runs with --no-mask must show
// them, so the search itself is proven to find them.
//
// The --cookie-jar file is the user's own file and holds cookie values by
// design (a jar without values continues no session); it is written 0600 and
// holds nothing but cookies.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startHttpServer, type TestServer } from '../../helpers/servers';
import { runCli } from '../../helpers/cli';

/** Distinctive values, each from one source; none may show up in output. */
const PLANTED = {
  privateToken: 'PLANTED-private-token-7f3a9c41',
  privateApiKey: 'PLANTED-api-key-51c2e8d0',
  // A space and a slash: percent-encoded in a URL, escaped in JSON output.
  dotenv: 'PLANTED dotenv/9d8e7f20',
  prompt: 'PLANTED-prompt-password-0b6d',
  headerFlag: 'PLANTED-header-flag-3c2a19e4',
  serverCookie: 'PLANTED-server-cookie-4b5a6c77',
  literalAuth: 'PLANTED-literal-basic-d2c1',
} as const;

/** Cookie values the jar file must hold (the session continues from it); the rest must not be there. */
const IN_JAR: readonly string[] = [PLANTED.serverCookie];

const cli = runCli;

/** Each planted value in the forms it takes on the way: as is, percent-encoded, JSON-escaped. */
function leaks(text: string): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(PLANTED)) {
    const forms = [value, encodeURIComponent(value), encodeURI(value), JSON.stringify(value).slice(1, -1)];
    if (forms.some((f) => text.includes(f))) found.push(name);
  }
  return found;
}

describe('secrets in CLI output', () => {
  let server: TestServer;
  let ws: string;
  const file = 'secrets.http';

  before(async () => {
    server = await startHttpServer({
      '/login': (_req, res) => {
        res.writeHead(302, {
          Location: '/welcome',
          'Set-Cookie': `session=${PLANTED.serverCookie}; Path=/; HttpOnly`,
        });
        res.end();
      },
      '/echo': (req, res, body) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ url: req.url, headers: req.headers, body: body.toString('utf8') }));
      },
    });
    server.route('/welcome', (req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ cookie: req.headers.cookie ?? null }));
    });
    ws = mkdtempSync(join(tmpdir(), 'http-session-secrets-'));
    writeFileSync(join(ws, 'http-client.env.json'), JSON.stringify({ dev: { base: server.origin } }));
    writeFileSync(
      join(ws, 'http-client.private.env.json'),
      JSON.stringify({ dev: { token: PLANTED.privateToken, apiKey: PLANTED.privateApiKey } }),
    );
    writeFileSync(join(ws, '.env'), `DOTENV_SECRET="${PLANTED.dotenv}"\n`);
    writeFileSync(
      join(ws, file),
      [
        '# @default-header X-Trace: trace-{{apiKey}}',
        '',
        '# @name login',
        'POST {{base}}/login',
        '',
        '###',
        '# @name echo',
        '# @prompt password',
        'POST {{base}}/echo?key={{apiKey}}&d={{$dotenv DOTENV_SECRET}}',
        'Authorization: Bearer {{token}}',
        'X-Api-Key: {{apiKey}}',
        'Content-Type: application/json',
        '',
        '{"password": "{{password}}", "d": "{{$dotenv DOTENV_SECRET}}"}',
        '',
        '###',
        '# @name literal',
        'GET {{base}}/echo',
        `Authorization: Basic ${PLANTED.literalAuth}`,
        '',
        '###',
        '# @name refused',
        'GET http://127.0.0.1:1/nothing?key={{apiKey}}',
        'Authorization: Bearer {{token}}',
        '',
        '###',
        '# @name unsendable',
        'GET http://example.invalid:{{apiKey}}/',
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    await server.close();
    rmSync(ws, { recursive: true, force: true });
  });

  const base = () => [
    'run',
    file,
    '--all',
    '--env',
    'dev',
    '--var',
    `password=${PLANTED.prompt}`,
    '--header',
    `Proxy-Authorization: Basic ${PLANTED.headerFlag}`,
  ];

  for (const json of [false, true]) {
    const mode = json ? '--json' : 'text';

    test(`${mode}: no planted secret in stdout or stderr`, async () => {
      const r = await cli([...base(), ...(json ? ['--json'] : [])], ws);
      assert.equal(r.code, 1, 'the refused and the unsendable requests fail');
      assert.deepEqual(leaks(r.stdout), [], `stdout:\n${r.stdout}`);
      assert.deepEqual(leaks(r.stderr), [], `stderr:\n${r.stderr}`);
      // What was masked is still there to read.
      assert.match(r.stdout, /unsendable/);
      if (json) {
        const records = r.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l));
        const echo = records.find((x) => x.name === 'echo');
        const sent = JSON.parse(echo.body);
        assert.equal(sent.headers.authorization, 'Bearer ••••');
        assert.equal(sent.headers['x-api-key'], '••••');
        assert.match(sent.headers.cookie, /^session=••••$/);
        assert.deepEqual(
          echo.request.headers.find(([k]: [string]) => k === 'Authorization'),
          ['Authorization', 'Bearer ••••'],
        );
        assert.equal(sent.headers['x-trace'], 'trace-••••', 'a default header with a variable, resolved');
        assert.ok(
          server.requests.some((q) =>
            q.headers.some(([k, v]) => k === 'X-Trace' && v === `trace-${PLANTED.privateApiKey}`),
          ),
          'the server got the value itself',
        );
        const login = records.find((x) => x.name === 'login');
        assert.deepEqual(
          login.cookies.stored.map((c: { name: string; value: string }) => [c.name, c.value]),
          [['session', '••••']],
        );
      }
    });

    test(`${mode}: with --no-mask every planted secret is shown (the search finds them)`, async () => {
      const r = await cli([...base(), '--no-mask', ...(json ? ['--json'] : [])], ws);
      const shown = leaks(r.stdout + r.stderr);
      const everywhere = json
        ? Object.keys(PLANTED)
        : // Text mode prints one line per request: only what is in URLs and error messages.
          ['privateApiKey', 'dotenv'];
      assert.deepEqual(shown.sort(), [...everywhere].sort(), r.stdout + r.stderr);
    });
  }

  test('--cookie-jar: the jar file holds the session cookie (by design), nothing else, mode 0600', async () => {
    const jar = join(ws, 'jar.json');
    const r = await cli([...base(), '--json', '--cookie-jar', jar], ws);
    assert.deepEqual(leaks(r.stdout), []);
    assert.deepEqual(leaks(r.stderr), []);
    const text = readFileSync(jar, 'utf8');
    assert.deepEqual(
      leaks(text),
      Object.entries(PLANTED)
        .filter(([, v]) => IN_JAR.includes(v))
        .map(([k]) => k),
    );
    assert.equal((statSync(jar).mode & 0o777).toString(8), '600');
  });

  test('list prints the file as written: no resolved value', async () => {
    const r = await cli(['list', file, '--json'], ws);
    assert.equal(r.code, 0, r.stderr);
    // The literal Authorization is written in the file itself: list shows the file, so it is there.
    assert.deepEqual(leaks(r.stdout + r.stderr), ['literalAuth']);
  });
});
