// SendResult → ResponseView: labels, timing rows, masking, body kinds, and
// the bound on what a large body puts into the view.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StoredCookie } from '../../../src/core/session/types';
import { IMAGE_PREVIEW_MAX_BYTES, JSON_PAGE_CHARS, PAGE_CHARS } from '../../../src/extension/panel/body';
import { connectionLabel } from '../../../src/extension/panel/waterfall';
import { NEW_CONNECTION, response, result, sent, TIMING, view } from './fixtures';

describe('connection label', () => {
  test('new connection #1', () => {
    assert.equal(view(result()).connectionLabel, 'new connection #1');
  });

  test('reused connection #1 (request 3 on it)', () => {
    const connection = { ...NEW_CONNECTION, reused: true, requestsOnConnection: 3 };
    assert.equal(view(result({ connection })).connectionLabel, 'reused connection #1 (request 3 on it)');
    assert.equal(connectionLabel(connection), 'reused connection #1 (request 3 on it)');
  });

  test('no connection when the request failed before one was made', () => {
    assert.equal(view(result({ connection: null, response: null })).connectionLabel, 'no connection');
  });
});

describe('timing waterfall', () => {
  test('every phase present: labels, durations and proportional positions', () => {
    const t = view(result()).timing;
    assert.deepEqual(
      t.segments.map((s) => [s.label, s.msLabel, s.startPct, s.widthPct]),
      [
        ['DNS lookup', '2.0 ms', 0, 2],
        ['TCP connect', '3.0 ms', 2, 3],
        ['TLS handshake', '5.0 ms', 5, 5],
        ['Request sent', '1.0 ms', 10, 1],
        ['Waiting (TTFB)', '80 ms', 11, 80],
        ['Content download', '9.0 ms', 91, 9],
      ],
    );
    assert.equal(t.totalLabel, '100 ms');
  });

  test('a reused connection: DNS, connect and TLS absent, with the reason', () => {
    const timing = {
      dns: null,
      connect: null,
      tls: null,
      sent: 0.5,
      firstByte: 30,
      download: 19.5,
      total: 50,
    };
    const connection = { ...NEW_CONNECTION, reused: true, requestsOnConnection: 2 };
    const t = view(result({ timing, connection })).timing;
    assert.deepEqual(
      t.segments.map((s) => [s.phase, s.absent, s.reason]),
      [
        ['dns', true, 'reused connection'],
        ['connect', true, 'reused connection'],
        ['tls', true, 'reused connection'],
        ['sent', false, null],
        ['firstByte', false, null],
        ['download', false, null],
      ],
    );
    assert.deepEqual(
      t.segments.filter((s) => !s.absent).map((s) => [s.startPct, s.widthPct]),
      [
        [0, 1],
        [1, 60],
        [61, 39],
      ],
    );
  });

  test('plain http to an IP address: no DNS, no TLS, each with its own reason', () => {
    const timing = { dns: null, connect: 1, tls: null, sent: 1, firstByte: 5, download: 1, total: 8 };
    const r = result({ timing, sent: sent({ url: 'http://127.0.0.1:8080/x' }) });
    const reasons = Object.fromEntries(view(r).timing.segments.map((s) => [s.phase, s.reason]));
    assert.equal(reasons.dns, 'IP address, no lookup');
    assert.equal(reasons.tls, 'plain HTTP, no TLS');
  });

  test('present widths add up to 100% and a zero total gives zero widths', () => {
    const odd = {
      dns: 1.37,
      connect: 2.11,
      tls: 7.9,
      sent: 0.01,
      firstByte: 101.3,
      download: 3.3,
      total: 115.99,
    };
    const sum = view(result({ timing: odd })).timing.segments.reduce((a, s) => a + s.widthPct, 0);
    assert.ok(Math.abs(sum - 100) < 0.05, String(sum));
    const zero = { dns: 0, connect: 0, tls: null, sent: 0, firstByte: 0, download: 0, total: 0 };
    assert.ok(view(result({ timing: zero })).timing.segments.every((s) => s.widthPct === 0));
  });

  test('one waterfall per hop of a redirect chain, with each hop’s connection', () => {
    const first = sent({ url: 'https://a.example/start' });
    const second = sent({ url: 'https://a.example/next' });
    const reused = { ...NEW_CONNECTION, reused: true, requestsOnConnection: 2 };
    const v = view(
      result({
        sent: second,
        redirects: [{ status: 302, url: 'https://a.example/next' }],
        hops: [
          { sent: first, status: 302, timing: TIMING, connection: NEW_CONNECTION },
          {
            sent: second,
            status: 200,
            timing: { ...TIMING, dns: null, connect: null, tls: null },
            connection: reused,
          },
        ],
        url: 'https://a.example/start',
      }),
    );
    assert.deepEqual(
      v.hops.map((h) => [h.url, h.status, h.connectionLabel]),
      [
        ['https://a.example/start', 302, 'new connection #1'],
        ['https://a.example/next', 200, 'reused connection #1 (request 2 on it)'],
      ],
    );
    assert.deepEqual(v.redirects, [{ status: 302, url: 'https://a.example/next' }]);
  });
});

describe('status line', () => {
  test('code, text, version, total time and both sizes', () => {
    const v = view(
      result({ elapsedMs: 1234, response: response('x'.repeat(4096), 'text/plain', { encodedBytes: 512 }) }),
    );
    assert.deepEqual(
      [
        v.status?.code,
        v.status?.text,
        v.status?.httpVersion,
        v.status?.timeLabel,
        v.status?.sizeLabel,
        v.status?.tone,
      ],
      [200, 'OK', 'HTTP/1.1', '1.23 s', '4.0 KB (512 B on the wire)', 'success'],
    );
  });

  test('status tones', () => {
    const tone = (status: number) => view(result({ response: response('', null, { status }) })).status?.tone;
    assert.deepEqual(
      [tone(101), tone(204), tone(304), tone(404), tone(503)],
      ['info', 'success', 'redirect', 'client-error', 'server-error'],
    );
  });

  test('an error without a response: no status, the error as code and one line', () => {
    const v = view(
      result({
        response: null,
        connection: null,
        error: {
          code: 'DNS',
          message: 'could not resolve nope.invalid: check the host name',
          detail: 'ENOTFOUND',
        },
      }),
    );
    assert.equal(v.status, null);
    assert.deepEqual(v.error, {
      code: 'DNS',
      message: 'could not resolve nope.invalid: check the host name',
    });
    assert.equal(v.body.kind, 'empty');
  });

  test('the request name, session and 1-based source line', () => {
    const v = view(result(), {
      requestName: 'login',
      sessionName: 'staging',
      source: { file: '/work/api/auth.http', line: 11 },
    });
    assert.deepEqual(
      [v.title, v.sessionName, v.source],
      ['login', 'staging', { label: 'auth.http:12', line: 11 }],
    );
  });
});

describe('masking in the request as sent', () => {
  const request = sent({
    method: 'POST',
    url: 'https://user:hunter2@api.example.com/x?key=s3cr3t-key&q=1',
    headers: [
      ['Authorization', 'Bearer eyJhbGciOi.abc.def'],
      ['Proxy-Authorization', 'Basic dXNlcjpwYXNz'],
      ['Cookie', 'sid=abc123; theme=dark'],
      ['X-Api-Key', 'k-123'],
      ['X-Trace', 'has s3cr3t-key inside'],
      ['Accept', 'application/json'],
    ],
    body: '{"password":"s3cr3t-key","user":"alice"}',
  });
  const r = result({ sent: request });

  test('credentials and secret strings are hidden by default', () => {
    const v = view(r, { secrets: ['s3cr3t-key'] });
    assert.deepEqual(v.request?.headers, [
      { name: 'Authorization', value: 'Bearer ••••' },
      { name: 'Proxy-Authorization', value: 'Basic ••••' },
      { name: 'Cookie', value: 'sid=••••; theme=••••' },
      { name: 'X-Api-Key', value: '••••' },
      { name: 'X-Trace', value: 'has •••• inside' },
      { name: 'Accept', value: 'application/json' },
    ]);
    assert.equal(v.request?.url, 'https://user:••••@api.example.com/x?key=••••&q=1');
    assert.deepEqual(v.request?.body, {
      kind: 'text',
      text: '{"password":"••••","user":"alice"}',
      bytes: 40,
      clipped: false,
    });
    assert.deepEqual(v.secrets, { shown: false, masked: true });
  });

  test('a percent-encoded secret in the URL is hidden too', () => {
    const v = view(result({ sent: sent({ url: 'https://x.example/?t=a%2Fb%3Dc' }) }), { secrets: ['a/b=c'] });
    assert.equal(v.request?.url, 'https://x.example/?t=••••');
  });

  test('a secret holding half an emoji is masked, not an error', () => {
    const secret = 'tok\ud83d-half';
    const v = view(result({ sent: sent({ url: `https://x.example/?t=${secret}` }) }), { secrets: [secret] });
    assert.ok(!JSON.stringify(v).includes('tok\\ud83d-half'), 'the secret shows');
    assert.deepEqual(v.secrets, { shown: false, masked: true });
  });

  test('Show secrets reveals them all', () => {
    const v = view(r, { secrets: ['s3cr3t-key'] }, { showSecrets: true });
    assert.equal(v.request?.headers[0]?.value, 'Bearer eyJhbGciOi.abc.def');
    assert.equal(v.request?.url, request.url);
    assert.deepEqual(v.secrets, { shown: true, masked: false });
  });

  test('cookie values and Set-Cookie values are hidden, attributes kept', () => {
    const cookie: StoredCookie = {
      name: 'sid',
      value: 'abc123',
      domain: 'api.example.com',
      path: '/',
      expires: null,
      secure: true,
      httpOnly: true,
      sameSite: 'lax',
      hostOnly: true,
    };
    const v = view(
      result({
        response: response('{}', 'application/json', {
          headers: [['Set-Cookie', 'sid=abc123; Path=/; HttpOnly']],
        }),
        cookies: {
          stored: [cookie],
          rejected: [{ cookie: 'bad=zzz; Domain=other.example', reason: 'domain mismatch' }],
        },
      }),
    );
    assert.deepEqual(v.responseHeaders, [{ name: 'Set-Cookie', value: 'sid=••••; Path=/; HttpOnly' }]);
    assert.deepEqual(v.cookies.stored[0], {
      name: 'sid',
      value: '••••',
      domain: 'api.example.com',
      path: '/',
      expires: 'session',
      deleted: false,
      flags: ['Secure', 'HttpOnly', 'SameSite=Lax', 'host-only'],
    });
    assert.deepEqual(v.cookies.rejected, [
      { cookie: 'bad=••••; Domain=other.example', reason: 'domain mismatch' },
    ]);
  });

  test('a cookie with an expiry in the past is marked deleted', () => {
    const cookie: StoredCookie = {
      name: 'sid',
      value: '',
      domain: null,
      path: null,
      expires: '1970-01-01T00:00:00.000Z',
      secure: false,
      httpOnly: false,
      sameSite: null,
      hostOnly: true,
    };
    const v = view(result({ cookies: { stored: [cookie], rejected: [] } }));
    assert.equal(v.cookies.stored[0]?.deleted, true);
  });

  test('nothing to hide: no Show secrets toggle needed', () => {
    assert.deepEqual(view(result()).secrets, { shown: false, masked: false });
  });
});

describe('body kind', () => {
  const kind = (body: string | Uint8Array, contentType: string | null) =>
    view(result({ response: response(body, contentType) })).body;

  test('json', () => {
    assert.equal(kind('{"a": [1, 2]}', 'application/json; charset=utf-8').kind, 'json');
    assert.equal(kind('[]', 'application/problem+json').kind, 'json');
  });

  test('json labelled but invalid → text', () => {
    assert.equal(kind('{"a": 1,}', 'application/json').kind, 'text');
    assert.equal(kind('<html>oops</html>', 'application/json').kind, 'text');
  });

  test('binary labelled json (NUL bytes) → binary with a hex dump', () => {
    const body = kind(new Uint8Array([0x7b, 0x00, 0x22, 0x61, 0x00, 0x7d]), 'application/json');
    assert.equal(body.kind, 'binary');
    assert.equal(
      body.kind === 'binary' && body.hex,
      '00000000  7b 00 22 61 00 7d                                 |{."a.}|',
    );
  });

  test('xml, re-indented when it arrives on one line', () => {
    const body = kind('<a><b x="1">t</b><c/></a>', 'application/xml');
    assert.equal(body.kind, 'xml');
    assert.equal(body.kind === 'xml' && body.reindent, true);
    assert.equal(kind('<a>\n  <b/>\n</a>', 'text/xml').kind === 'xml', true);
  });

  test('html, with the sandboxed preview offered', () => {
    const body = kind('<!doctype html><p>hi</p>', 'text/html');
    assert.equal(body.kind, 'html');
    assert.equal(body.kind === 'html' && body.preview, true);
  });

  test('image/png → a data: URI; the image type comes from the allow-list', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const body = kind(png, 'image/png');
    assert.equal(body.kind, 'image');
    assert.equal(
      body.kind === 'image' && body.dataUri,
      `data:image/png;base64,${Buffer.from(png).toString('base64')}`,
    );
    // Sniffed from the bytes when the server says nothing useful.
    assert.equal(kind(png, 'application/octet-stream').kind, 'image');
  });

  test('an image too large to inline is offered for saving instead', () => {
    const big = new Uint8Array(IMAGE_PREVIEW_MAX_BYTES + 1);
    const body = kind(big, 'image/jpeg');
    assert.equal(body.kind === 'image' && body.dataUri, null);
  });

  test('application/octet-stream → binary with at most 512 bytes dumped', () => {
    const bytes = new Uint8Array(4096).map((_, i) => i % 256);
    const body = kind(bytes, 'application/octet-stream');
    assert.equal(body.kind, 'binary');
    assert.equal(body.kind === 'binary' && body.hex.split('\n').length, 32);
    assert.equal(body.kind === 'binary' && body.hexBytes, 512);
  });

  test('text, and text without a Content-Type that looks like JSON', () => {
    assert.equal(kind('hello', 'text/plain').kind, 'text');
    assert.equal(kind('{"a":1}', null).kind, 'json');
    assert.equal(kind('{"a":1}', 'text/plain').kind, 'text');
  });

  test('empty', () => {
    assert.equal(kind('', 'application/json').kind, 'empty');
  });
});

describe('large bodies', () => {
  test('a 50 MB JSON body: the view carries one bounded page and says there is more', () => {
    const item = '{"id":12345,"name":"item with some text","tags":["a","b"],"ok":true},';
    const text = `[${item.repeat(Math.ceil((50 * 1024 * 1024) / item.length))}{}]`;
    const v = view(result({ response: response(text) }));
    const body = v.body;
    assert.equal(body.kind, 'json');
    assert.ok(body.kind === 'json');
    assert.ok(
      body.text.length <= JSON_PAGE_CHARS && body.text.length > JSON_PAGE_CHARS / 2,
      String(body.text.length),
    );
    assert.ok(body.text.length <= 256 * 1024);
    assert.equal(body.large, true);
    assert.equal(body.totalChars, text.length);
    assert.ok(body.next && body.next.offset === body.text.length && body.next.json !== null);
    // The whole view serialises to about one page, not 50 MB.
    assert.ok(JSON.stringify(v).length < 2 * PAGE_CHARS);
  });

  test('a large text body ends its first page on a line break', () => {
    const text = 'line of text\n'.repeat(100_000);
    const body = view(result({ response: response(text, 'text/plain') })).body;
    assert.ok(
      body.kind === 'text' && body.large && body.text.endsWith('\n') && body.text.length <= PAGE_CHARS,
    );
  });

  test('a truncated JSON body is still shown as JSON, with the notice', () => {
    const text = '{"items":[1,2,3,4';
    const body = view(result({ response: response(text, 'application/json', { truncated: true }) })).body;
    assert.equal(body.kind, 'json');
    assert.equal(body.truncated, true);
  });
});
