// The host's helpers behind the panel's buttons: the file name offered by
// Save, the language for Open in editor, Copy as cURL, the nonce, and the
// check on messages from the page.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { toCurl } from '../../../src/extension/panel/curl';
import { sanitizeFileName, suggestFileName } from '../../../src/extension/panel/fileName';
import { formatBytes, formatCount, formatMs } from '../../../src/extension/panel/format';
import { parseWebviewMessage } from '../../../src/extension/panel/messages';
import { languageIdFor } from '../../../src/extension/panel/mime';
import { createNonce } from '../../../src/extension/panel/nonce';
import { response, result, sent } from './fixtures';

describe('suggestFileName', () => {
  const named = (disposition: string | null, contentType: string | null = 'application/octet-stream') =>
    suggestFileName(
      result({
        response: response('x', contentType, {
          headers: disposition ? [['Content-Disposition', disposition]] : [],
        }),
      }),
    );

  test('the Content-Disposition filename, quoted, plain or RFC 5987 encoded', () => {
    assert.equal(named('attachment; filename="report 2024.pdf"'), 'report 2024.pdf');
    assert.equal(named('attachment; filename=data.csv'), 'data.csv');
    assert.equal(
      named(`attachment; filename="fallback.txt"; filename*=UTF-8''na%C3%AFve%20r%C3%A9sum%C3%A9.txt`),
      'naïve résumé.txt',
    );
    assert.equal(named('attachment; filename="a \\"quoted\\" name.txt"'), 'a _quoted_ name.txt');
  });

  test('sanitised: no path separators, no traversal, nothing Windows refuses', () => {
    assert.equal(named('attachment; filename="../../.bashrc"'), 'bashrc');
    assert.equal(named('attachment; filename="C:\\\\Windows\\\\evil.exe"'), 'evil.exe');
    assert.equal(named('attachment; filename="/etc/passwd"'), 'passwd');
    assert.equal(named('attachment; filename="con.txt"'), '_con.txt');
    assert.equal(named('attachment; filename="a<b>:c|d?.txt"'), 'a_b__c_d_.txt');
    assert.equal(sanitizeFileName('x'.repeat(300) + '.json').length, 120);
    assert.ok(sanitizeFileName('x'.repeat(300) + '.json').endsWith('.json'));
  });

  test('a name from the media type when the server gives none (or only dots)', () => {
    assert.equal(named(null, 'application/json; charset=utf-8'), 'response.json');
    assert.equal(named(null, 'application/vnd.api+json'), 'response.json');
    assert.equal(named(null, 'text/xml'), 'response.xml');
    assert.equal(named(null, 'text/html'), 'response.html');
    assert.equal(named(null, 'image/png'), 'response.png');
    assert.equal(named(null, 'text/plain'), 'response.txt');
    assert.equal(named(null, 'application/octet-stream'), 'response.bin');
    assert.equal(named(null, null), 'response.bin');
    assert.equal(named('attachment; filename="../.."', 'text/plain'), 'response.txt');
    assert.equal(suggestFileName(result({ response: null })), 'response.bin');
  });
});

describe('languageIdFor', () => {
  test('editor languages by media type', () => {
    const table: [string | null, string][] = [
      ['application/json', 'json'],
      ['application/problem+json; charset=utf-8', 'json'],
      ['text/xml', 'xml'],
      ['application/atom+xml', 'xml'],
      ['image/svg+xml', 'xml'],
      ['text/html', 'html'],
      ['application/xhtml+xml', 'html'],
      ['text/javascript', 'javascript'],
      ['text/css', 'css'],
      ['text/markdown', 'markdown'],
      ['application/yaml', 'yaml'],
      ['text/csv', 'plaintext'],
      ['text/plain', 'plaintext'],
      [null, 'plaintext'],
      ['not a type', 'plaintext'],
    ];
    for (const [type, id] of table) assert.equal(languageIdFor(type), id, String(type));
  });
});

describe('toCurl', () => {
  /** Runs the command in a real POSIX shell with `curl` replaced by a function that prints its arguments and stdin. */
  function argv(command: string): { args: string[]; stdin: string } {
    const script = `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; if [ "$2" = "@-" ] || printf '%s\\n' "$@" | grep -qx '@-'; then printf 'STDIN'; cat; fi; }\n${command}`;
    const r = spawnSync('sh', ['-c', script], { encoding: 'latin1' });
    assert.equal(r.status, 0, r.stderr);
    const [args, stdin = ''] = r.stdout.split('STDIN');
    return { args: args!.split('\0').slice(0, -1), stdin };
  }

  test('method, URL, headers and body, each one argument whatever it contains', () => {
    const body = `{"it's": "a 'quoted' body",\n "shell": "$(rm -rf /) \`id\` $HOME \\\\ !x"}\n`;
    const command = toCurl(
      sent({
        method: 'POST',
        url: "https://api.example.com/a b?q='x'&y=$z",
        headers: [
          ['Content-Type', 'application/json'],
          ['X-Quote', "it's"],
          ['Content-Length', '999'],
        ],
        body,
      }),
    );
    assert.deepEqual(argv(command).args, [
      '-X',
      'POST',
      "https://api.example.com/a b?q='x'&y=$z",
      '-H',
      'Content-Type: application/json',
      '-H',
      "X-Quote: it's",
      '--data-binary',
      body,
    ]);
    assert.ok(command.includes(`'\\''`));
  });

  test('GET without -X; HEAD with --head; Accept-Encoding adds --compressed', () => {
    assert.equal(toCurl(sent()), "curl 'https://api.example.com/items' -H 'Accept: application/json'");
    assert.equal(
      toCurl(sent({ method: 'HEAD', headers: [] })),
      "curl --head 'https://api.example.com/items'",
    );
    assert.match(toCurl(sent({ headers: [['Accept-Encoding', 'gzip']] })), / --compressed$/);
  });

  test('a binary body goes through printf on stdin, byte for byte', () => {
    const bytes = new Uint8Array([0, 1, 0x27, 0x25, 0x5c, 0x41, 0xff, 0x0a]);
    const command = toCurl(sent({ method: 'PUT', body: bytes, headers: [] }));
    assert.match(
      command,
      /^printf '.*' \| curl -X 'PUT' 'https:\/\/api\.example\.com\/items' --data-binary @-$/,
    );
    const { stdin } = argv(command);
    assert.deepEqual([...Buffer.from(stdin, 'latin1')], [...bytes]);
  });
});

describe('createNonce', () => {
  test('a thousand nonces, all different, 144 random bits each', () => {
    const nonces = Array.from({ length: 1000 }, createNonce);
    assert.equal(new Set(nonces).size, 1000);
    for (const n of nonces.slice(0, 20)) assert.equal(Buffer.from(n, 'base64').length, 18);
  });
});

describe('messages from the page', () => {
  test('known messages pass, with their fields checked', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'copyBody' }), { type: 'copyBody' });
    assert.deepEqual(parseWebviewMessage({ type: 'loadMore', offset: 262144 }), {
      type: 'loadMore',
      offset: 262144,
    });
    assert.deepEqual(
      parseWebviewMessage({ type: 'revealCookie', name: 'sid', domain: 'a.example', path: '/' }),
      {
        type: 'revealCookie',
        name: 'sid',
        domain: 'a.example',
        path: '/',
      },
    );
  });

  test('anything else is dropped', () => {
    for (const bad of [
      null,
      'copyBody',
      { type: 'eval' },
      { type: 'loadMore', offset: -1 },
      { type: 'loadMore', offset: '5' },
      { type: 'loadMore', offset: 1.5 },
      { type: 'revealCookie' },
      { type: 'revealCookie', name: 'a', domain: 5 },
    ]) {
      assert.equal(parseWebviewMessage(bad), null, JSON.stringify(bad));
    }
  });
});

describe('labels', () => {
  test('durations, sizes and counts', () => {
    assert.deepEqual([0.42, 3.2, 42.4, 999.6, 1234, 65_432].map(formatMs), [
      '0.42 ms',
      '3.2 ms',
      '42 ms',
      '1.00 s',
      '1.23 s',
      '65.4 s',
    ]);
    assert.deepEqual([0, 1023, 1024, 1536, 10 * 1024 * 1024, 50 * 1024 * 1024].map(formatBytes), [
      '0 B',
      '1023 B',
      '1.0 KB',
      '1.5 KB',
      '10 MB',
      '50 MB',
    ]);
    assert.deepEqual([7, 1000, 52_937_873].map(formatCount), ['7', '1,000', '52,937,873']);
  });
});
