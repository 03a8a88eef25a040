// Bad input through the built CLI: every problem in a `.http` file, an env
// file or a flag comes out with its place — `file:line:column: error: …` for
// the file (as parse errors print), `path:line:column: warning: …` for env
// files, and a usage error naming the flag — and nothing is sent. Runs the
// real `dist/cli.js` in the folder of the files, so the prefixes are exact.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { closedPort } from '../../helpers/servers';
import { runCli } from '../../helpers/cli';

const cli = runCli;

/** `file:line:column: ` of the first `needle` on 1-based `line` of `lines`. */
function at(file: string, lines: readonly string[], line: number, needle: string): string {
  const column = lines[line - 1].indexOf(needle);
  assert.ok(column >= 0, `${needle} is on line ${line}: ${lines[line - 1]}`);
  return `${file}:${line}:${column + 1}: `;
}

const lineStarting = (text: string, prefix: string) => text.split('\n').find((l) => l.startsWith(prefix));

describe('bad input names its file and line', () => {
  let dir: string;
  let unreachable: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'http-session-bad-input-'));
    // Nothing listens here: if a request were sent after all, it would fail with REFUSED, not with a problem.
    unreachable = `http://127.0.0.1:${await closedPort()}`;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, lines: readonly string[]) => writeFileSync(join(dir, name), lines.join('\n'));

  test('parse errors: every one as file:line:column, nothing sent, exit 2', async () => {
    const lines = ['@v = {{nope}', 'GET', '', '###', 'curl', '###', '@ = x', `GET ${unreachable}/`];
    write('parse.http', lines);
    for (const command of [
      ['run', 'parse.http', '--all'],
      ['list', 'parse.http'],
    ]) {
      const r = await cli(command, dir);
      assert.equal(r.code, 2, command.join(' '));
      assert.deepEqual(
        r.stderr.trim().split('\n'),
        [
          'parse.http:2:1: error: The request line has a method (GET) but no URL.',
          'parse.http:5:1: error: The curl command has no URL.',
          'parse.http:7:1: error: A file variable is written `@name = value`.',
        ],
        command.join(' '),
      );
    }
    assert.equal((await cli(['run', 'parse.http', '--all'], dir)).stdout, '', 'run sends nothing');
  });

  test('variables and values: each problem at its line and column, naming the variable', async () => {
    writeFileSync(
      join(dir, 'http-client.env.json'),
      JSON.stringify({
        dev: {
          crlf: 'a\r\nX-Injected: 1',
          euro: '€ 5',
          badName: 'Bad Name',
          // The curl parser upper-cases -X, references included.
          METHOD: 'GE T',
          ftp: 'ftp://example.org/',
          spaced: 'a b',
          deep: '{{missingDeep}}',
        },
      }),
    );
    const lines = [
      /* 1 */ '@fromFile = {{missingInFile}}',
      /* 2 */ '',
      /* 3 */ '### unresolved',
      /* 4 */ `GET ${unreachable}/{{missing}}`,
      /* 5 */ 'X-A: {{alsoMissing}}',
      /* 6 */ '',
      /* 7 */ '### through a file variable',
      /* 8 */ `GET ${unreachable}/{{fromFile}}`,
      /* 9 */ '',
      /* 10 */ '### CR LF refused',
      /* 11 */ `GET ${unreachable}/`,
      /* 12 */ 'X-B: {{crlf}}',
      /* 13 */ '',
      /* 14 */ '### not Latin-1',
      /* 15 */ `GET ${unreachable}/`,
      /* 16 */ 'X-C: price {{euro}}',
      /* 17 */ '',
      /* 18 */ '### header name',
      /* 19 */ `GET ${unreachable}/`,
      /* 20 */ '{{badName}}: v',
      /* 21 */ '',
      /* 22 */ '### method',
      /* 23 */ `curl -X "{{METHOD}}" ${unreachable}/`,
      /* 24 */ '',
      /* 25 */ '### scheme',
      /* 26 */ 'GET {{ftp}}',
      /* 27 */ '',
      /* 28 */ '### URL',
      /* 29 */ 'GET http://{{spaced}}/x',
      /* 30 */ '',
      /* 31 */ '### two hosts',
      /* 32 */ 'GET /path',
      /* 33 */ 'Host: a.example',
      /* 34 */ 'Host: b.example',
      /* 35 */ '',
      /* 36 */ '### directive',
      /* 37 */ '# @timeout soon',
      /* 38 */ `GET ${unreachable}/`,
      /* 39 */ '',
      /* 40 */ '### body file',
      /* 41 */ `POST ${unreachable}/`,
      /* 42 */ '',
      /* 43 */ '< ./missing.json',
      /* 44 */ '',
      /* 45 */ '### unknown request',
      /* 46 */ `GET ${unreachable}/{{ghost.response.body.$.id}}`,
      /* 47 */ '',
      /* 48 */ '### env value using an undefined variable',
      /* 49 */ `GET ${unreachable}/{{deep}}`,
    ];
    write('values.http', lines);
    const r = await cli(['run', 'values.http', '--all', '--env', 'dev'], dir);
    assert.equal(r.code, 1);
    const f = 'values.http';
    const expected: [string, RegExp][] = [
      [at(f, lines, 4, '{{missing}}'), /^error: \{\{missing\}\}: missing is not defined/],
      [at(f, lines, 5, '{{alsoMissing}}'), /^error: \{\{alsoMissing\}\}: alsoMissing is not defined/],
      [
        at(f, lines, 1, '{{missingInFile}}'),
        /^error: \{\{missingInFile\}\}: missingInFile is not defined.* \(used through \{\{fromFile\}\}\)$/,
      ],
      [at(f, lines, 12, '{{crlf}}'), /^error: \{\{crlf\}\}: its value contains a carriage return \(CR\)/],
      [
        at(f, lines, 16, 'price'),
        /^error: X-C: the value contains "€" \(U\+20AC\): a header value can only hold Latin-1 .* \(built from \{\{euro\}\}\)$/,
      ],
      [
        at(f, lines, 20, '{{badName}}'),
        /^error: "Bad Name" is not a header name \(built from \{\{badName\}\}\)$/,
      ],
      [at(f, lines, 23, '{{METHOD}}'), /^error: "GE T" is not a method name \(built from \{\{METHOD\}\}\)$/],
      [
        at(f, lines, 26, '{{ftp}}'),
        /^error: ftp:\/\/example\.org\/: only http and https .* \(built from \{\{ftp\}\}\)$/,
      ],
      [at(f, lines, 29, 'http'), /^error: http:\/\/a b\/x is not a valid URL \(built from \{\{spaced\}\}\)$/],
      [
        at(f, lines, 34, 'Host'),
        /^error: Host is written twice \(lines 33 and 34\); a request has one Host$/,
      ],
      [at(f, lines, 37, '# @timeout'), /^error: @timeout: "soon" is not a duration/],
      [at(f, lines, 43, '<'), /^error: \.\/missing\.json: no such file/],
      [
        at(f, lines, 46, '{{ghost'),
        /^error: \{\{ghost\.response\.body\.\$\.id\}\}: no request in this file is named ghost/,
      ],
      [
        at(f, lines, 49, '{{deep}}'),
        /^error: \{\{deep\}\}: deep from .*http-client\.env\.json \(dev\) uses \{\{missingDeep\}\}/,
      ],
    ];
    for (const [prefix, message] of expected) {
      const line = lineStarting(r.stderr, prefix);
      assert.ok(line, `stderr has a line starting ${prefix}\n${r.stderr}`);
      assert.match(line.slice(prefix.length), message);
    }
    assert.equal(r.stderr.trim().split('\n').length, expected.length, r.stderr);
    // stdout: one line per request, each not sent, with the request's own file:line.
    const summary = r.stdout.trim().split('\n');
    assert.equal(summary.length, 13);
    for (const l of summary) assert.match(l, /^✗ .* — not sent \(values\.http:\d+\): /);
    assert.match(summary[0], /not sent \(values\.http:4\): \{\{missing\}\}: .* \(and 1 more\)$/);
    assert.match(summary[1], /not sent \(values\.http:8\): line 1: \{\{missingInFile\}\}/);
    assert.doesNotMatch(r.stdout + r.stderr, /REFUSED|refused by/, 'nothing was sent');
  });

  test('--json: the record lists the problems with their places', async () => {
    write('one.http', ['# @name thing', `GET ${unreachable}/{{missing}}`, 'X-A: {{other}}']);
    const r = await cli(['run', 'one.http', '--json'], dir);
    assert.equal(r.code, 1);
    const record = JSON.parse(r.stdout);
    assert.equal(record.error.code, 'VARIABLES');
    assert.deepEqual(
      record.error.problems.map((p: { line: number; column: number }) => [p.line, p.column]),
      [
        [2, unreachable.length + 6],
        [3, 6],
      ],
    );
    assert.match(record.error.message, /^Cannot send request thing:\n {2}line 2: \{\{missing\}\}/);
    assert.match(r.stderr, /^one\.http:2:\d+: error: \{\{missing\}\}/);
  });

  test('# @default-header: a bad name, a bad value or an unresolved variable names the directive line', async () => {
    write('defaults.http', [
      '# @default-header Bad Name: x',
      '# @default-header X-Euro: €',
      '# @default-header X-Trace: {{nope}}',
      `GET ${unreachable}/`,
    ]);
    const r = await cli(['run', 'defaults.http'], dir);
    assert.equal(r.code, 1);
    assert.deepEqual(r.stderr.trim().split('\n'), [
      'defaults.http:1:1: error: @default-header: "Bad Name" is not a header name',
      'defaults.http:2:1: error: @default-header X-Euro: the value contains "€" (U+20AC): a header value can only hold Latin-1 characters; percent-encode it or put it in the body',
    ]);
    write('defaults2.http', ['# @default-header X-Trace: {{nope}}', `GET ${unreachable}/`]);
    const r2 = await cli(['run', 'defaults2.http'], dir);
    assert.equal(r2.code, 1);
    assert.match(r2.stderr, /^defaults2\.http:1:1: error: \{\{nope\}\}: nope is not defined/);
  });

  describe('env files', () => {
    let envDir: string;
    before(() => {
      envDir = mkdtempSync(join(tmpdir(), 'http-session-bad-env-'));
      writeFileSync(join(envDir, 'req.http'), `GET ${unreachable}/{{host}}\n`);
    });
    after(() => rmSync(envDir, { recursive: true, force: true }));

    test('a syntax error: path:line:column, the run goes on without it', async () => {
      writeFileSync(join(envDir, 'http-client.env.json'), '{\n  "dev": {\n    "host": "x",,\n  }\n}\n');
      const r = await cli(['run', 'req.http'], envDir);
      assert.equal(r.code, 1);
      assert.equal(
        r.stderr.split('\n')[0],
        `http-client.env.json:3:17: warning: this env file is not valid JSON (expected a property name in double quotes, found ','); its environments are ignored`,
      );
      assert.match(r.stderr, /^req\.http:1:\d+: error: \{\{host\}\}: host is not defined/m);
    });

    test('a private env file with an error: placed, and no value of it quoted', async () => {
      writeFileSync(join(envDir, 'http-client.env.json'), JSON.stringify({ dev: { host: 'h' } }));
      writeFileSync(
        join(envDir, 'http-client.private.env.json'),
        '{"dev": {"token": "PRIVATE-VALUE-123" "other": 1}}',
      );
      const r = await cli(['run', 'req.http', '--env', 'dev'], envDir);
      assert.equal(
        r.stderr.split('\n')[0],
        `http-client.private.env.json:1:39: warning: this env file is not valid JSON (expected ',' or '}' after a property value, found '"'); its environments are ignored`,
      );
      assert.doesNotMatch(r.stderr + r.stdout, /PRIVATE-VALUE/);
      rmSync(join(envDir, 'http-client.private.env.json'));
    });

    test('not an object of environments: line 1', async () => {
      writeFileSync(join(envDir, 'http-client.env.json'), '[1, 2]');
      const r = await cli(['run', 'req.http'], envDir);
      assert.match(
        r.stderr,
        /^http-client\.env\.json:1:1: warning: this env file must be a JSON object of environments/,
      );
    });

    test('--env that names no environment is a usage error listing the ones there are', async () => {
      writeFileSync(join(envDir, 'http-client.env.json'), JSON.stringify({ dev: {}, prod: {}, $shared: {} }));
      const r = await cli(['run', 'req.http', '--env', 'staging'], envDir);
      assert.equal(r.code, 2);
      assert.match(
        r.stderr,
        /^http-session: --env staging: no such environment in http-client\.env\.json \(found: dev, prod\)\.$/m,
      );
      assert.equal(r.stdout, '');

      writeFileSync(join(envDir, 'http-client.env.json'), '{"dev": ');
      const broken = await cli(['run', 'req.http', '--env', 'dev'], envDir);
      assert.equal(broken.code, 2);
      assert.match(broken.stderr, /^http-client\.env\.json:1:9: warning: /m);
      assert.match(
        broken.stderr,
        /^http-session: --env dev: http-client\.env\.json could not be read \(see above\)\.$/m,
      );

      rmSync(join(envDir, 'http-client.env.json'));
      const none = await cli(['run', 'req.http', '--env', 'dev'], envDir);
      assert.equal(none.code, 2);
      assert.match(
        none.stderr,
        /^http-session: --env dev: no http-client\.env\.json or http-client\.private\.env\.json next to req\.http or above it\.$/m,
      );
    });
  });

  test('bad flags: a usage error that names the flag and says what it needs, exit 2', async () => {
    write('flags.http', [`GET ${unreachable}/`]);
    const cases: [string[], RegExp][] = [
      [['--var', 'novalue'], /^http-session: --var needs name=value, got "novalue"\.$/m],
      [
        ['--header', 'NoColon'],
        /^http-session: --header needs "Name: value" \(the argument has no colon\)\.$/m,
      ],
      [['--header', 'Bad Name: x'], /^http-session: --header: "Bad Name" is not a header name\.$/m],
      [
        ['--header', 'X-A: one\r\nX-B: two'],
        /^http-session: --header X-A: the value contains a carriage return \(CR\), which a header value cannot hold\.$/m,
      ],
      [['--header', 'X-A: €'], /^http-session: --header X-A: the value contains "€" \(U\+20AC\)/m],
      [['--timeout', 'soon'], /^http-session: --timeout: "soon" is not a duration/m],
      [['--resolve', 'nope'], /^http-session: --resolve needs HOST:PORT:ADDRESS, got "nope"\.$/m],
      [['--line', '0'], /^http-session: --line needs a line number, got "0"\.$/m],
      [['--line', '99'], /^http-session: No request at line 99\.$/m],
      [['--name', 'ghost'], /^http-session: No request is named "ghost"\.$/m],
      [['--all', '--name', 'x'], /^http-session: Use only one of --all, --name and --line\.$/m],
      [['--bogus'], /^http-session: Unknown option '--bogus'/m],
    ];
    const runs = await Promise.all(cases.map(([flags]) => cli(['run', 'flags.http', ...flags], dir)));
    runs.forEach((r, i) => {
      const [flags, message] = cases[i];
      assert.equal(r.code, 2, flags.join(' '));
      assert.match(r.stderr, message, flags.join(' '));
      assert.equal(r.stdout, '', `${flags.join(' ')}: nothing sent`);
    });
    const jarIsFolder = await cli(['run', 'flags.http', '--cookie-jar', '.'], dir);
    assert.equal(jarIsFolder.code, 1);
    assert.match(jarIsFolder.stderr, /^http-session: Cookie jar .+ could not be read \(EISDIR: /m);
    const missing = await cli(['run', 'no-such.http'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^http-session: Cannot read no-such\.http: no such file\.$/m);
  });
});
