// One case per syntax rule the parser promises, plus a regression case for
// each place where the three dialects disagree (see README "Syntax").
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type HttpRequest, parseHttp } from '../../../src/core/parser';
import { snapshot } from './snapshot';

function only(text: string): HttpRequest {
  const doc = parseHttp(text);
  assert.equal(doc.requests.length, 1, `expected one request in:\n${text}`);
  return doc.requests[0];
}

const headerPairs = (r: HttpRequest) => r.headers.map((h) => [h.name, h.value]);

describe('request line', () => {
  const cases: [string, string, { method: string; url: string; httpVersion: string | null }][] = [
    [
      'method and URL',
      'GET https://example.com/a',
      { method: 'GET', url: 'https://example.com/a', httpVersion: null },
    ],
    [
      'method omitted means GET',
      'https://example.com/a',
      { method: 'GET', url: 'https://example.com/a', httpVersion: null },
    ],
    [
      'HTTP/1.1 suffix',
      'POST https://x.org HTTP/1.1',
      { method: 'POST', url: 'https://x.org', httpVersion: 'HTTP/1.1' },
    ],
    [
      'HTTP/2 suffix',
      'GET https://x.org/ HTTP/2',
      { method: 'GET', url: 'https://x.org/', httpVersion: 'HTTP/2' },
    ],
    [
      'lower-case method',
      'delete https://x.org/1',
      { method: 'DELETE', url: 'https://x.org/1', httpVersion: null },
    ],
    [
      'WebDAV method',
      'PROPFIND https://x.org/dav',
      { method: 'PROPFIND', url: 'https://x.org/dav', httpVersion: null },
    ],
    [
      'custom upper-case method',
      'FROB https://x.org',
      { method: 'FROB', url: 'https://x.org', httpVersion: null },
    ],
    [
      'variables kept',
      'GET {{base}}/users/{{id}}',
      { method: 'GET', url: '{{base}}/users/{{id}}', httpVersion: null },
    ],
    ['origin-form URL', 'GET /api/items?x=1', { method: 'GET', url: '/api/items?x=1', httpVersion: null }],
    [
      'leading white space',
      '   GET https://x.org',
      { method: 'GET', url: 'https://x.org', httpVersion: null },
    ],
  ];
  for (const [name, text, want] of cases) {
    test(name, () => {
      const r = only(text);
      assert.deepEqual({ method: r.method, url: r.url, httpVersion: r.httpVersion }, want);
    });
  }

  test('request line range is exact', () => {
    const r = only('\n  GET https://x.org HTTP/1.1\n');
    assert.deepEqual(r.ranges.requestLine, {
      start: { line: 1, character: 2 },
      end: { line: 1, character: 28 },
    });
    assert.deepEqual(r.ranges.method, { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } });
    assert.deepEqual(r.ranges.url, { start: { line: 1, character: 6 }, end: { line: 1, character: 19 } });
  });

  test('method without URL is an error with a range', () => {
    const doc = parseHttp('GET\n');
    assert.equal(doc.diagnostics[0].code, 'missing-url');
    assert.equal(doc.diagnostics[0].range.start.line, 0);
  });
});

describe('multi-line URLs', () => {
  test('query continuation with ? and & at column 0 (REST Client)', () => {
    assert.equal(
      only('GET https://x.org/a\n?page=2\n&size=10\nAccept: */*').url,
      'https://x.org/a?page=2&size=10',
    );
  });
  test('query continuation on indented line (JetBrains)', () => {
    const r = only('GET https://x.org/a\n    ?page=2\n    &size=10\n');
    assert.equal(r.url, 'https://x.org/a?page=2&size=10');
    assert.deepEqual(r.ranges.url, { start: { line: 0, character: 4 }, end: { line: 2, character: 12 } });
  });
  test('path continuation on indented line (JetBrains)', () => {
    assert.equal(only('GET https://x.org\n    /api\n    /items\n').url, 'https://x.org/api/items');
  });
  test('HTTP version at the end of the last continuation line', () => {
    const r = only('GET https://x.org/a\n    ?q=1 HTTP/1.1\nAccept: x');
    assert.equal(r.url, 'https://x.org/a?q=1');
    assert.equal(r.httpVersion, 'HTTP/1.1');
  });
  test('indented header-shaped line stays a header (dialect choice)', () => {
    const r = only('GET https://x.org\n  Accept: text/plain\n');
    assert.equal(r.url, 'https://x.org');
    assert.deepEqual(headerPairs(r), [['Accept', 'text/plain']]);
  });
});

describe('headers', () => {
  test('headers in order', () => {
    const r = only('GET https://x.org\nAccept: a\nX-B: b\naccept: c\n');
    assert.deepEqual(headerPairs(r), [
      ['Accept', 'a'],
      ['X-B', 'b'],
      ['accept', 'c'],
    ]);
  });
  test('header values containing colons', () => {
    const r = only('GET https://x.org\nX-Time: 12:30:45\nReferer: https://a.org:8443/x\n');
    assert.deepEqual(headerPairs(r), [
      ['X-Time', '12:30:45'],
      ['Referer', 'https://a.org:8443/x'],
    ]);
  });
  test('origin-form URL with Host header', () => {
    const r = only('POST /login HTTP/1.1\nHost: api.example.com:8080\n');
    assert.equal(r.url, '/login');
    assert.deepEqual(headerPairs(r), [['Host', 'api.example.com:8080']]);
  });
  test('empty header value and no space after colon', () => {
    assert.deepEqual(headerPairs(only('GET https://x.org\nX-Empty:\nX-A:b\n')), [
      ['X-Empty', ''],
      ['X-A', 'b'],
    ]);
  });
  test('header name and value from variables', () => {
    assert.deepEqual(headerPairs(only('GET https://x.org\n{{name}}: {{value}}\nX-{{k}}: v\n')), [
      ['{{name}}', '{{value}}'],
      ['X-{{k}}', 'v'],
    ]);
  });
  test('comment lines between headers are skipped', () => {
    assert.deepEqual(headerPairs(only('GET https://x.org\n# note\nA: 1\n// other\nB: 2\n')), [
      ['A', '1'],
      ['B', '2'],
    ]);
  });
  test('header ranges span the header lines', () => {
    const r = only('GET https://x.org\nA: 1\nBee: 22\n');
    assert.deepEqual(r.headers[1].range, {
      start: { line: 2, character: 0 },
      end: { line: 2, character: 7 },
    });
    assert.deepEqual(r.ranges.headers, { start: { line: 1, character: 0 }, end: { line: 2, character: 7 } });
  });
});

describe('bodies', () => {
  test('blank line starts the body; trailing blank lines trimmed', () => {
    const r = only('POST https://x.org\nContent-Type: application/json\n\n{\n  "a": 1\n}\n\n\n');
    assert.equal(r.body?.text, '{\n  "a": 1\n}');
    assert.deepEqual(r.ranges.body, { start: { line: 3, character: 0 }, end: { line: 5, character: 1 } });
  });
  test('body lines keep their indentation and inner blank lines', () => {
    assert.equal(only('POST https://x.org\n\n  a\n\n  b\n').body?.text, '  a\n\n  b');
  });
  test('CRLF file reads like LF', () => {
    const lf = parseHttp('POST https://x.org\nA: 1\n\n{"x":1}\n\n###\nGET https://y.org\n');
    const crlf = parseHttp('POST https://x.org\r\nA: 1\r\n\r\n{"x":1}\r\n\r\n###\r\nGET https://y.org\r\n');
    assert.deepEqual(snapshot(crlf), snapshot(lf));
    assert.equal(crlf.requests[0].body?.text, '{"x":1}');
  });
  test('body without blank line is read as body with a warning (dialect choice)', () => {
    const doc = parseHttp('POST https://x.org\nContent-Type: application/json\n{"a": 1}\n');
    assert.equal(doc.requests[0].body?.text, '{"a": 1}');
    assert.equal(doc.diagnostics[0].code, 'missing-blank-line');
    assert.equal(doc.diagnostics[0].range.start.line, 2);
  });
  test('whole body from a file: < path', () => {
    const r = only('POST https://x.org\n\n< ./data/payload.json\n');
    assert.deepEqual(
      { path: r.body?.file?.path, vars: r.body?.file?.processVariables },
      { path: './data/payload.json', vars: false },
    );
  });
  test('file with variables: <@ path and <@latin1 path', () => {
    assert.equal(only('POST https://x.org\n\n<@ ./t.json\n').body?.file?.processVariables, true);
    const r = only('POST https://x.org\n\n<@latin1 ./t.txt\n');
    assert.deepEqual([r.body?.file?.encoding, r.body?.file?.path], ['latin1', './t.txt']);
  });
  test('multipart body with < ./file parts', () => {
    const text = [
      'POST https://x.org/upload',
      'Content-Type: multipart/form-data; boundary=B',
      '',
      '--B',
      'Content-Disposition: form-data; name="text"',
      '',
      'hello',
      '--B',
      'Content-Disposition: form-data; name="file"; filename="a.png"',
      '',
      '< ./a.png',
      '--B--',
    ].join('\n');
    const r = only(text);
    assert.equal(r.body?.file, null);
    assert.deepEqual(
      r.body?.parts.map((p) => (p.kind === 'file' ? `<${p.path}>` : p.text)),
      [
        '--B\nContent-Disposition: form-data; name="text"\n\nhello\n--B\nContent-Disposition: form-data; name="file"; filename="a.png"\n\n',
        '<./a.png>',
        '\n--B--',
      ],
    );
  });
  test('XML body starting with < is not a file reference', () => {
    const r = only('POST https://x.org\n\n<root>\n  <a/>\n</root>\n');
    assert.equal(r.body?.file, null);
    assert.equal(r.body?.parts.length, 1);
  });
  test('trailing comment after a blank line is not body (dialect choice)', () => {
    assert.equal(only('POST https://x.org\n\n{"a":1}\n\n# next: list users\n').body?.text, '{"a":1}');
  });
  test('a body of only comments is no body', () => {
    assert.equal(only('GET https://x.org\n\n# nothing to send\n').body, null);
  });
  test('comment lines inside a body are body', () => {
    assert.equal(
      only('POST https://x.org\n\nquery {\n# inline\n  a\n}\n').body?.text,
      'query {\n# inline\n  a\n}',
    );
  });
});

describe('separators, names and comments', () => {
  test('### separates requests', () => {
    const doc = parseHttp('GET https://a.org\n###\nGET https://b.org\n###\nGET https://c.org');
    assert.deepEqual(
      doc.requests.map((r) => r.url),
      ['https://a.org', 'https://b.org', 'https://c.org'],
    );
  });
  test('text after ### names the request', () => {
    assert.equal(parseHttp('### List users\nGET https://x.org').requests[0].name, 'List users');
  });
  test('# @name wins over ### text (dialect choice)', () => {
    assert.equal(parseHttp('### List users\n# @name users\nGET https://x.org').requests[0].name, 'users');
  });
  test('// @name works like # @name', () => {
    assert.equal(only('// @name login\nPOST https://x.org').name, 'login');
  });
  test('# @name = value form (httpYac)', () => {
    assert.equal(only('# @name = login\nPOST https://x.org').name, 'login');
  });
  test('comments with # and // are skipped before the request', () => {
    const r = only('# a comment\n// another\nGET https://x.org');
    assert.equal(r.url, 'https://x.org');
  });
  test('block range starts at the separator', () => {
    const doc = parseHttp('GET https://a.org\n\n###\n\nGET https://b.org\nA: 1\n\n');
    assert.deepEqual(doc.requests[1].ranges.block, {
      start: { line: 2, character: 0 },
      end: { line: 5, character: 4 },
    });
  });
  test('blocks without a request yield none', () => {
    assert.equal(parseHttp('# only comments\n###\n\n###\n').requests.length, 0);
  });
  test('duplicate names are reported on the second', () => {
    const doc = parseHttp('# @name a\nGET https://x.org\n###\n# @name a\nGET https://y.org');
    assert.deepEqual(
      doc.diagnostics.map((d) => [d.code, d.range.start.line]),
      [['duplicate-name', 3]],
    );
  });
});

describe('directives', () => {
  test('known and unknown directives are kept with values', () => {
    const r = only(
      [
        '# @name login',
        '# @no-cookie-jar',
        '# @no-redirect',
        '# @timeout 2s',
        '// @connection-timeout 500ms',
        '# @note',
        '# @prompt password Your password',
        '# @frobnicate x y',
        'POST https://x.org',
      ].join('\n'),
    );
    assert.deepEqual(
      r.directives.map((d) => [d.name, d.value]),
      [
        ['name', 'login'],
        ['no-cookie-jar', true],
        ['no-redirect', true],
        ['timeout', '2s'],
        ['connection-timeout', '500ms'],
        ['note', true],
        ['prompt', 'password Your password'],
        ['frobnicate', 'x y'],
      ],
    );
  });
  test('@session and @default-header before the first request apply to the file', () => {
    const doc = parseHttp(
      '# @session admin\n# @default-header X-Api-Key: k\n# @name first\nGET https://x.org\n###\n# @session other\nGET https://y.org',
    );
    assert.deepEqual(
      doc.fileDirectives.map((d) => [d.name, d.value]),
      [
        ['session', 'admin'],
        ['default-header', 'X-Api-Key: k'],
      ],
    );
    assert.deepEqual(
      doc.requests[0].directives.map((d) => d.name),
      ['name'],
    );
    assert.deepEqual(
      doc.requests[1].directives.map((d) => [d.name, d.value]),
      [['session', 'other']],
    );
  });
  test('file-level directives in a header block before the first ###', () => {
    const doc = parseHttp('# @session s1\n\n###\nGET https://x.org');
    assert.deepEqual(
      doc.fileDirectives.map((d) => d.value),
      ['s1'],
    );
  });
});

describe('file variables', () => {
  test('@name = value definitions with ranges', () => {
    const doc = parseHttp('@host = example.com\n@url=https://{{host}}/api\n\nGET {{url}}');
    assert.deepEqual(
      doc.variables.map((v) => [v.name, v.value]),
      [
        ['host', 'example.com'],
        ['url', 'https://{{host}}/api'],
      ],
    );
    assert.deepEqual(doc.variables[0].nameRange, {
      start: { line: 0, character: 1 },
      end: { line: 0, character: 5 },
    });
  });
  test('variables between requests belong to the file', () => {
    const doc = parseHttp('GET https://x.org\n\n###\n@token = abc\nGET https://y.org');
    assert.deepEqual(
      doc.variables.map((v) => v.name),
      ['token'],
    );
  });
  test('@name without = is an error, not a request', () => {
    const doc = parseHttp('@host\nGET https://x.org');
    assert.equal(doc.requests[0].url, 'https://x.org');
    assert.equal(doc.diagnostics[0].code, 'bad-variable');
  });
});

describe('JetBrains handlers and redirects', () => {
  test('> {% %} response handler is not body', () => {
    const r = only(
      'POST https://x.org\n\n{"a":1}\n\n> {%\n  client.global.set("t", response.body.token);\n%}\n',
    );
    assert.equal(r.body?.text, '{"a":1}');
    assert.deepEqual(
      r.responseHandlers.map((h) => [h.kind, h.content]),
      [['inline', 'client.global.set("t", response.body.token);']],
    );
  });
  test('> script.js handler file and >> / >>! redirects', () => {
    const r = only('GET https://x.org\n\n> ./check.js\n>> out.json\n>>! always.json\n');
    assert.equal(r.body, null);
    assert.deepEqual(
      r.responseHandlers.map((h) => [h.kind, h.content]),
      [['file', './check.js']],
    );
    assert.deepEqual(
      r.outputRedirects.map((o) => [o.path, o.overwrite]),
      [
        ['out.json', false],
        ['always.json', true],
      ],
    );
  });
  test('handler right after headers without a blank line', () => {
    const r = only('GET https://x.org\nAccept: a\n> {% client.log(1) %}\n');
    assert.equal(r.body, null);
    assert.equal(r.responseHandlers[0].content, 'client.log(1)');
  });
  test('one-line handler directly after the body', () => {
    const r = only('POST https://x.org\n\nbody\n> {% client.log(1) %}');
    assert.equal(r.body?.text, 'body');
  });
  test('pre-request script < {% %} before the request line', () => {
    const r = only('< {%\n  request.variables.set("a", "1");\n%}\nGET https://x.org');
    assert.equal(r.preRequestScripts[0].content, 'request.variables.set("a", "1");');
    assert.equal(r.url, 'https://x.org');
  });
  test('unterminated handler is an error', () => {
    const doc = parseHttp('GET https://x.org\n\n> {%\n client.log(1)\n');
    assert.equal(doc.diagnostics[0].code, 'unterminated-script');
  });
  // Fuzz run: the handler was read as a request `GET > {%`.
  test('a handler right after ### with no request line is no request', () => {
    const doc = parseHttp('GET https://a.org\n###\n> {%\n  client.log(1);\n%}\n');
    assert.deepEqual(
      doc.requests.map((r) => r.url),
      ['https://a.org'],
    );
    assert.deepEqual(
      doc.diagnostics.map((d) => [d.code, d.range.start.line]),
      [['handler-without-request', 2]],
    );
  });
  test('a handler or redirect above the request line is ignored with a warning', () => {
    const doc = parseHttp('###\n> {% client.log(1) %}\n>> out.json\nGET https://b.org\n');
    const r = doc.requests[0];
    assert.deepEqual(
      [doc.requests.length, r.url, r.responseHandlers.length, r.outputRedirects.length],
      [1, 'https://b.org', 0, 0],
    );
    assert.deepEqual(
      doc.diagnostics.map((d) => [d.code, d.range.start.line]),
      [
        ['handler-without-request', 1],
        ['handler-without-request', 2],
      ],
    );
  });
  // Fuzz run: `< {%` was read as a body from the file `{%`.
  test('< {% %} between headers and body is a script, not a file reference', () => {
    const doc = parseHttp(
      'POST https://x.org\nContent-Type: application/json\n\n< {%\n  request.variables.set("a", "1");\n%}\n{"a": "{{a}}"}\n',
    );
    const r = doc.requests[0];
    assert.equal(r.body?.text, '{"a": "{{a}}"}');
    assert.equal(r.body?.file, null);
    assert.deepEqual(
      r.body?.parts.map((p) => p.kind),
      ['text'],
    );
    assert.deepEqual(
      r.preRequestScripts.map((s) => [s.kind, s.content, s.range.start.line, s.range.end.line]),
      [['inline', 'request.variables.set("a", "1");', 3, 5]],
    );
    assert.deepEqual(
      doc.diagnostics.map((d) => [d.code, d.range.start.line]),
      [['misplaced-script', 3]],
    );
  });
  test('< {% %} among the headers is a script; the headers go on after it', () => {
    const r = only('POST https://x.org\nA: 1\n< {% request.variables.set("b", "2") %}\nB: 2\n\nbody\n');
    assert.deepEqual(headerPairs(r), [
      ['A', '1'],
      ['B', '2'],
    ]);
    assert.equal(r.body?.text, 'body');
    assert.equal(r.preRequestScripts[0].content, 'request.variables.set("b", "2")');
  });
  test('< {% %} inside a body ends the body, like a handler', () => {
    const doc = parseHttp('POST https://x.org\n\nline 1\n< {%\n x\n%}\n> {% client.log(1) %}\n');
    const r = doc.requests[0];
    assert.equal(r.body?.text, 'line 1');
    assert.deepEqual(
      r.body?.parts.map((p) => p.kind),
      ['text'],
    );
    assert.deepEqual([r.preRequestScripts[0].content, r.responseHandlers[0].content], ['x', 'client.log(1)']);
    assert.deepEqual(
      doc.diagnostics.map((d) => d.code),
      ['misplaced-script'],
    );
  });
});

describe('curl blocks', () => {
  test('curl command is a request', () => {
    const r = only(
      "curl -X PUT 'https://x.org/items/1' \\\n  -H 'Content-Type: application/json' \\\n  -H \"Authorization: Bearer t\" \\\n  --data-raw '{\"a\":1}'",
    );
    assert.deepEqual(
      { method: r.method, url: r.url, body: r.body?.text, fromCurl: r.fromCurl },
      { method: 'PUT', url: 'https://x.org/items/1', body: '{"a":1}', fromCurl: true },
    );
    assert.deepEqual(headerPairs(r), [
      ['Content-Type', 'application/json'],
      ['Authorization', 'Bearer t'],
    ]);
  });
  test('curl -d implies POST with form content type', () => {
    const r = only('curl https://x.org/f -d a=1 -d b=2');
    assert.deepEqual([r.method, r.body?.text], ['POST', 'a=1&b=2']);
    assert.deepEqual(headerPairs(r), [['Content-Type', 'application/x-www-form-urlencoded']]);
  });
  test('curl -u becomes basic Authorization, -k insecure', () => {
    const r = only('curl -k -u user:pw https://x.org');
    assert.deepEqual(headerPairs(r), [
      ['Authorization', `Basic ${Buffer.from('user:pw').toString('base64')}`],
    ]);
    assert.ok(r.directives.some((d) => d.name === 'insecure'));
  });
  test('curl with a name from ### and following request', () => {
    const doc = parseHttp('### from docs\ncurl https://x.org/a\n\n###\nGET https://x.org/b');
    assert.deepEqual(
      doc.requests.map((r) => [r.name, r.url]),
      [
        ['from docs', 'https://x.org/a'],
        [null, 'https://x.org/b'],
      ],
    );
  });
});
