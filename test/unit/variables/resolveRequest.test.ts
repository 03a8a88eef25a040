// Substitution on the parsed model: values never become syntax (CR/LF
// refused in the method, URL, header names and values), unresolved variables
// stop the send with their lines, URLs come out absolute, bodies are
// assembled from text and files with the line endings their type needs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseHttp } from '../../../src/core/parser';
import { checkHeaderValue, resolveTemplate } from '../../../src/core/variables';
import { expectFailure, expectOk, memoryFs, resolveText, testContext } from './context';

const evilCtx = testContext({
  settings: {
    dev: { evil: 'x\r\nX-Evil: 1', EVIL: 'GET\r\n', lf: 'a\nb', nul: 'a\u0000b', tab: 'a\tb', ok: 'fine' },
  },
  env: 'dev',
});

describe('CR/LF injection is refused, naming the variable', () => {
  const cases: [string, string, number][] = [
    ['header value', 'GET http://x.test/\nX-A: {{evil}}\n', 2],
    ['header name', 'GET http://x.test/\n{{evil}}: v\n', 2],
    ['URL path', 'GET http://x.test/{{evil}}\n', 1],
    ['URL query', 'GET http://x.test/?q={{lf}}\n', 1],
    ['header value, bare LF', 'GET http://x.test/\nX-A: {{lf}}\n', 2],
    ['header value, NUL', 'GET http://x.test/\nX-A: {{nul}}\n', 2],
    [
      'file variable whose \\r\\n escapes become CR LF',
      '@v = a\\r\\nX-Evil: 1\n\nGET http://x.test/\nX-A: {{v}}\n',
      4,
    ],
    // The curl parser upper-cases the method, hence the upper-case name.
    ['method from a curl command', 'curl -X "{{EVIL}}" http://x.test/\n', 1],
    ['body file path', 'POST http://x.test/\n\n< ./{{lf}}.json\n', 3],
  ];
  for (const [name, text, line] of cases) {
    test(name, async () => {
      const failure = expectFailure(await resolveText(text, evilCtx));
      assert.equal(failure.problems.length, 1, failure.message);
      const [p] = failure.problems;
      assert.equal(p.code, 'control-character');
      assert.equal(p.line, line);
      assert.match(
        p.message,
        /^\{\{(evil|EVIL|lf|nul|v)\}\}: its value contains (a carriage return|a line feed|a NUL)/,
      );
    });
  }

  test('property: whatever the value, the request keeps its one header and one line', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 30 }), async (value) => {
        const ctx = testContext({ settings: { dev: { v: value } }, env: 'dev' });
        const r = await resolveText('GET http://x.test/{{%v}}?raw={{v}}\nX-A: {{v}}\n', ctx);
        if (!r.result.ok)
          return r.result.error.problems.every(
            (p) =>
              p.code === 'control-character' || p.code === 'invalid-url' || p.code === 'invalid-header-value',
          );
        const { url, headers } = r.result.value;
        return headers.length === 1 && !/[\r\n]/.test(url) && !/[\r\n\0]/.test(headers[0][1]);
      }),
      { numRuns: 200 },
    );
  });

  test('a tab may go into a header value; any control character may go into a body', async () => {
    const r = expectOk(await resolveText('POST http://x.test/\nX-A: {{tab}}\n\n{{evil}}\n', evilCtx));
    assert.deepEqual(r.headers, [['X-A', 'a\tb']]);
    assert.equal(r.body, 'x\r\nX-Evil: 1');
  });

  test('a header name must stay a token', async () => {
    const ctx = testContext({ settings: { dev: { n: 'X Bad' } }, env: 'dev' });
    const [p] = expectFailure(await resolveText('GET http://x.test/\n{{n}}: v\n', ctx)).problems;
    assert.deepEqual(
      [p.code, p.line, p.message],
      ['invalid-header-name', 2, '"X Bad" is not a header name (built from {{n}})'],
    );
  });

  test('a method must stay a token', async () => {
    const ctx = testContext({ settings: { dev: { M: 'GET /x' } }, env: 'dev' });
    const [p] = expectFailure(await resolveText('curl -X "{{M}}" http://x.test/\n', ctx)).problems;
    assert.equal(p.code, 'invalid-method');
  });
});

describe('unresolved variables stop the send, each with its line', () => {
  const text = [
    '@url = http://x.test/{{missingInVar}}', // line 1
    '',
    '# @name thing',
    'POST {{url}}/a', // line 4
    '    ?b={{missingInContinuation}}', // line 5
    'X-Known: {{known}}',
    'X-Unknown: {{missingHeader}}', // line 7
    '',
    '{',
    '  "a": "{{missingBody}}"', // line 10
    '}',
  ].join('\n');

  test('every problem, in document order, with 1-based lines and 0-based ranges', async () => {
    const ctx = testContext({ settings: { dev: { known: 'k' } }, env: 'dev' });
    const failure = expectFailure(await resolveText(text, ctx));
    assert.deepEqual(
      failure.problems.map((p) => [p.line, p.variable, p.code, p.via]),
      [
        [1, 'missingInVar', 'undefined', ['url']],
        [5, 'missingInContinuation', 'undefined', []],
        [7, 'missingHeader', 'undefined', []],
        [10, 'missingBody', 'undefined', []],
      ],
    );
    assert.deepEqual(failure.problems[1].range, {
      start: { line: 4, character: 7 },
      end: { line: 4, character: 32 },
    });
    assert.deepEqual(failure.problems[2].range, {
      start: { line: 6, character: 11 },
      end: { line: 6, character: 28 },
    });
    assert.deepEqual(failure.problems[3].range, {
      start: { line: 9, character: 8 },
      end: { line: 9, character: 23 },
    });
    assert.equal(
      failure.message.split('\n')[0] + '\n' + failure.message.split('\n')[1],
      'Cannot send request thing:\n  line 1: {{missingInVar}}: missingInVar is not defined: not a file variable, nor in environment dev (used through {{url}})',
    );
  });

  test('the same problem reached twice is listed once', async () => {
    const failure = expectFailure(
      await resolveText('@h = {{nope}}\n\nGET http://x.test/\nA: {{h}}\nB: {{h}}\n'),
    );
    assert.equal(failure.problems.length, 1);
  });
});

describe('URLs', () => {
  const cases: [string, string, string][] = [
    ['absolute URL as written', 'GET https://x.test/a?b=1', 'https://x.test/a?b=1'],
    ['origin form + Host → http', 'GET /health\nHost: api.test', 'http://api.test/health'],
    ['origin form + Host port 443 → https', 'GET /health\nHost: api.test:443', 'https://api.test/health'],
    ['origin form + Host other port → http', 'GET /h\nHost: api.test:8443', 'http://api.test:8443/h'],
    ['no scheme → http', 'GET localhost:8080/api', 'http://localhost:8080/api'],
    ['spaces from a value are percent-encoded', 'GET http://x.test/{{q}}', 'http://x.test/a%20b'],
  ];
  const ctx = testContext({ settings: { dev: { q: 'a b' } }, env: 'dev' });
  for (const [name, text, want] of cases) {
    test(name, async () => assert.equal(expectOk(await resolveText(text, ctx)).url, want));
  }
  const bad: [string, string, RegExp][] = [
    [
      'origin form without Host',
      'GET /health',
      /\/health has no host: write a full URL or add a Host header/,
    ],
    ['not a URL after substitution', 'GET http://{{host}}/', /is not a valid URL/],
    ['not http(s)', 'GET ftp://x.test/f', /only http and https URLs can be sent/],
  ];
  const badCtx = testContext({ settings: { dev: { host: 'a:b:c' } }, env: 'dev' });
  for (const [name, text, want] of bad) {
    test(name, async () => {
      const [p] = expectFailure(await resolveText(text, badCtx)).problems;
      assert.equal(p.code, 'invalid-url');
      assert.match(p.message, want);
    });
  }
});

describe('bodies', () => {
  const files = {
    '/w/data/raw.bin': new Uint8Array([0x7b, 0x7b, 0x78, 0x7d, 0x7d, 0x00, 0xff]), // "{{x}}\0\xff"
    '/w/data/tmpl.json': '\ufeff{"id": "{{id}}"}',
    '/w/data/latin1.txt': new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x20, 0x7b, 0x7b, 0x69, 0x64, 0x7d, 0x7d]), // "café {{id}}"
    '/w/data/report.csv': 'a,b\n1,2\n',
    '/abs/x.txt': 'absolute',
  };
  const ctx = testContext({ settings: { dev: { id: '42', dir: 'data' } }, env: 'dev' });
  const fs = () => memoryFs(files);

  test('text with variables, LF kept for non-multipart types', async () => {
    const r = expectOk(
      await resolveText('POST http://x.test/\nContent-Type: application/json\n\n{\n  "id": {{id}}\n}\n', ctx),
    );
    assert.equal(r.body, '{\n  "id": 42\n}');
  });

  const fileCases: [string, string, string | Uint8Array][] = [
    ['< file: bytes as is, no substitution', '< ./data/raw.bin', files['/w/data/raw.bin']],
    ['<@ file: text with substitution, BOM dropped', '<@ ./data/tmpl.json', '{"id": "42"}'],
    ['<@latin1 file: decoded as Latin-1', '<@latin1 ./data/latin1.txt', 'café 42'],
    ['a path built from a variable', '<@ ./{{dir}}/tmpl.json', '{"id": "42"}'],
    ['an absolute path', '<@ /abs/x.txt', 'absolute'],
  ];
  for (const [name, line, want] of fileCases) {
    test(name, async () => {
      const r = expectOk(await resolveText(`POST http://x.test/\n\n${line}\n`, ctx, { fs: fs() }));
      assert.deepEqual(r.body, want);
    });
  }

  test('text around a raw file part makes the whole body bytes', async () => {
    const r = expectOk(
      await resolveText('POST http://x.test/\n\nstart {{id}}\n< ./data/raw.bin\nend\n', ctx, { fs: fs() }),
    );
    assert.ok(r.body instanceof Uint8Array);
    assert.deepEqual(Buffer.from(r.body).toString('latin1'), 'start 42\n{{x}}\u0000\u00ff\nend');
  });

  test('a missing file is a problem on its line; relative paths are read from the .http folder', async () => {
    const memory = fs();
    const [p] = expectFailure(
      await resolveText('POST http://x.test/\n\n< ./nope.json\n', ctx, { fs: memory }),
    ).problems;
    assert.deepEqual([p.code, p.line], ['file-not-found', 3]);
    assert.deepEqual(memory.reads, ['/w/nope.json']);
  });

  test('a relative file path needs a saved .http file', async () => {
    const [p] = expectFailure(
      await resolveText('POST http://x.test/\n\n< ./a.json\n', ctx, { httpFile: null }),
    ).problems;
    assert.match(p.message, /a relative path needs the \.http file to be saved/);
  });

  test('unresolved variables inside a <@ file are reported on the file line', async () => {
    const memory = memoryFs({ '/w/t.txt': 'x={{nope}}' });
    const [p] = expectFailure(
      await resolveText('POST http://x.test/\n\n<@ ./t.txt\n', ctx, { fs: memory }),
    ).problems;
    assert.equal(p.line, 3);
    assert.match(p.message, /\{\{nope\}\}: nope is not defined.*\(in \.\/t\.txt\)$/);
  });

  test('multipart: CRLF between every line written in the file, file content untouched', async () => {
    const text = [
      'POST http://x.test/upload',
      'Content-Type: multipart/form-data; boundary=B',
      '',
      '--B',
      'Content-Disposition: form-data; name="id"',
      '',
      '{{id}}',
      '--B',
      'Content-Disposition: form-data; name="file"; filename="report.csv"',
      'Content-Type: text/csv',
      '',
      '< ./data/report.csv',
      '--B--',
    ].join('\n');
    const r = expectOk(await resolveText(text, ctx, { fs: fs() }));
    assert.ok(r.body instanceof Uint8Array);
    assert.equal(
      new TextDecoder().decode(r.body),
      '--B\r\nContent-Disposition: form-data; name="id"\r\n\r\n42\r\n' +
        '--B\r\nContent-Disposition: form-data; name="file"; filename="report.csv"\r\nContent-Type: text/csv\r\n\r\n' +
        'a,b\n1,2\n' +
        '\r\n--B--',
    );
  });

  test('multipart: a value with LF keeps its LF', async () => {
    const lfCtx = testContext({ settings: { dev: { v: 'l1\nl2' } }, env: 'dev' });
    const r = expectOk(
      await resolveText(
        'POST http://x.test/\nContent-Type: multipart/form-data; boundary=B\n\n--B\n\n{{v}}\n--B--\n',
        lfCtx,
      ),
    );
    assert.equal(r.body, '--B\r\n\r\nl1\nl2\r\n--B--');
  });

  test('x-www-form-urlencoded: &-lines continue the form (REST Client)', async () => {
    const r = expectOk(
      await resolveText(
        'POST http://x.test/\nContent-Type: application/x-www-form-urlencoded\n\nid={{id}}\n&name=ann\n  &x=1\n',
        ctx,
      ),
    );
    assert.equal(r.body, 'id=42&name=ann&x=1');
  });
});

describe('the resolved request', () => {
  test('name, version, headers in order with repeats, directives untouched', async () => {
    const r = expectOk(
      await resolveText(
        '# @name a\n# @no-redirect\n# @timeout {{t}}\nGET http://x.test/ HTTP/1.1\nAccept: a\naccept: b\n',
      ),
    );
    assert.deepEqual(
      { name: r.name, httpVersion: r.httpVersion, headers: r.headers, body: r.body },
      {
        name: 'a',
        httpVersion: 'HTTP/1.1',
        headers: [
          ['Accept', 'a'],
          ['accept', 'b'],
        ],
        body: null,
      },
    );
    assert.deepEqual(
      r.directives.map((d) => [d.name, d.value]),
      [
        ['name', 'a'],
        ['no-redirect', true],
        ['timeout', '{{t}}'],
      ],
    );
  });
});

describe('resolveTemplate: strings outside the request model', () => {
  const text = '# @default-header X-Trace: {{$randomInt 1 2}}-{{who}}\n@who = ann\n\nGET http://x.test/\n';
  const document = parseHttp(text);
  const [directive] = document.fileDirectives;

  test('a # @default-header value', () => {
    const r = resolveTemplate(document, testContext(), 'X-Trace: {{$randomInt 1 2}}-{{who}}', {
      range: directive.range,
    });
    assert.deepEqual(r, { ok: true, value: { value: 'X-Trace: 1-ann', secrets: [] } });
  });

  test('problems point at the given range', () => {
    const r = resolveTemplate(document, evilCtx, '{{evil}}', {
      range: directive.range,
      check: checkHeaderValue,
    });
    assert.ok(!r.ok);
    assert.deepEqual([r.error.problems[0].code, r.error.problems[0].line], ['control-character', 1]);
  });
});
