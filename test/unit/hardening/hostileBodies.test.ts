// Hostile servers, part 1: bodies and slow heads. Every case asserts the
// engine's typed error (or a truncated, labelled result), then that the same
// session still works with both origins and its jar leaked nothing.
// Overlaps: failures.test.ts (reset mid-body, stalled body) and
// bodies.test.ts (gzip bomb, too many encodings) pin the same rules with
// well-behaved servers; these run them against the raw hostile one.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as zlib from 'node:zlib';
import { MAX_ENCODING_LAYERS } from '../../../src/core/session/decode';
import { toJsonRecord } from '../../../src/core/session/jsonRecord';
import { bodyView } from '../../../src/extension/panel/body';
import { get } from '../../helpers/sessions';
import { EVIL, type Lab, startLab } from './hostileLab';
import { responseHead } from './hostileServer';

const gzipLayers = (data: Buffer, layers: number): Buffer =>
  Array.from({ length: layers }).reduce<Buffer>((d) => zlib.gzipSync(d), data);

// gzip of gzip of 1 GiB of zeros: a few KB on the wire. 1024 copies of one
// gzip member are a valid gzip stream (members concatenate), and repeat so
// well that the outer layer squeezes them again.
const BOMB_DECODED = 1024 * 1024 * 1024;
const bomb = (() => {
  const member = zlib.gzipSync(Buffer.alloc(1024 * 1024), { level: 9 });
  return zlib.gzipSync(Buffer.concat(Array.from({ length: BOMB_DECODED / (1024 * 1024) }, () => member)), {
    level: 9,
  });
})();

const INVALID_UTF8_JSON = Buffer.concat([
  Buffer.from('{"name":"caf'),
  Buffer.from([0xc3]), // a lead byte with no continuation
  Buffer.from('","raw":"'),
  Buffer.from([0xff, 0xfe]),
  Buffer.from('"}'),
]);
const BINARY = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37) & 0xff));

let lab: Lab;
before(async () => {
  lab = await startLab({
    '/reset-mid-body': ({ write, socket }) => {
      write(
        responseHead(200, [
          ['Content-Length', '1000'],
          ['Set-Cookie', 'early=1; Path=/'],
        ]),
      );
      write('y'.repeat(100));
      // Let the 100 bytes reach the client first, then a TCP RST (not a FIN).
      setTimeout(() => socket.resetAndDestroy(), 30);
    },
    '/short-body': ({ write, socket }) => {
      write(
        responseHead(200, [
          ['Content-Length', '1000'],
          ['Set-Cookie', 'short=1; Path=/'],
        ]),
      );
      write('z'.repeat(100));
      setTimeout(() => socket.end(), 30);
    },
    '/endless': ({ write, every }) => {
      write(
        responseHead(200, [
          ['Transfer-Encoding', 'chunked'],
          ['Set-Cookie', 'stream=1; Path=/'],
        ]),
      );
      every(10, () => {
        write('5\r\nhello\r\n');
        return true;
      });
    },
    '/trickle-head': ({ write, every }) => {
      const head = Buffer.from(
        responseHead(200, [
          ['Content-Type', 'text/plain'],
          ['X-Padding', 'p'.repeat(400)],
          ['Content-Length', '2'],
        ]),
      );
      let at = 0;
      // One byte every 5 ms: the server is never idle long, but the head takes over two seconds.
      every(5, () => {
        write(head.subarray(at, at + 1));
        at += 1;
        return at < head.length;
      });
    },
    '/bomb': ({ reply }) =>
      reply(
        200,
        [
          ['Content-Type', 'text/plain'],
          ['Content-Encoding', 'gzip, gzip'],
          ['Set-Cookie', 'boom=1; Path=/'],
        ],
        bomb,
      ),
    '/layers': ({ request, reply }) => {
      const layers = Number(new URL(request.path, 'http://x').searchParams.get('n'));
      reply(
        200,
        [
          ['Content-Type', 'text/plain'],
          ['Content-Encoding', Array.from({ length: layers }, () => 'gzip').join(', ')],
        ],
        gzipLayers(Buffer.from('deep'), layers),
      );
    },
    '/bad-utf8': ({ reply }) => reply(200, [['Content-Type', 'application/json']], INVALID_UTF8_JSON),
    '/binary-json': ({ reply }) => reply(200, [['Content-Type', 'application/json; charset=utf-8']], BINARY),
  });
});
after(() => lab?.close());

test('a reset mid-body is RESET after the bytes that arrived; the cookie of that response is kept', async (t) => {
  const session = await lab.session(t);

  const result = await session.send(get(lab.evil('/reset-mid-body')));

  assert.equal(result.error?.code, 'RESET');
  assert.equal(
    result.error?.message,
    `Connection to ${EVIL}:${lab.hostile.port} (resolved to 127.0.0.1) was closed after 100 bytes of the body — the server or a proxy dropped it; check the server log`,
  );
  assert.equal(result.response?.text, 'y'.repeat(100));
  assert.equal(result.response?.truncated, false);
  await lab.afterCase(session, 'early=1');
});

test('a Content-Length larger than what is sent, then a clean close, is RESET with the partial body', async (t) => {
  const session = await lab.session(t);

  const result = await session.send(get(lab.evil('/short-body')));

  assert.equal(result.error?.code, 'RESET');
  assert.match(
    result.error?.message ?? '',
    new RegExp(`^Connection to ${EVIL.replace(/\./g, '\\.')}:\\d+ .*was closed after 100 bytes of the body`),
  );
  assert.equal(result.response?.body.byteLength, 100);
  await lab.afterCase(session, 'short=1');
});

test('a body that never ends stops at the total timeout, named, with what arrived', async (t) => {
  const session = await lab.session(t);

  const result = await session.send(get(lab.evil('/endless')), { timeoutMs: 250 });

  assert.equal(result.error?.code, 'TIMEOUT');
  assert.match(
    result.error?.message ?? '',
    /^No complete response from evil\.example\.org:\d+ \(resolved to 127\.0\.0\.1\) within 250 ms \(total timeout, after \d+ bytes of the body\) — is the server stuck or slow\? Raise the timeout if this is expected$/,
  );
  const text = result.response?.text ?? '';
  assert.ok(text.length >= 5 && /^(hello)+$/.test(text), `partial body ${JSON.stringify(text.slice(0, 40))}`);
  await lab.afterCase(session, 'stream=1');
});

test('headers sent a byte at a time, slower than the timeout, stop at the total timeout', async (t) => {
  const session = await lab.session(t);

  const result = await session.send(get(lab.evil('/trickle-head')), { timeoutMs: 250 });

  assert.equal(result.error?.code, 'TIMEOUT');
  assert.match(
    result.error?.message ?? '',
    /within 250 ms \(total timeout, waiting for the response\) — is the server stuck or slow\?/,
  );
  assert.equal(result.response, null);
  // Well before the head could have been complete.
  assert.ok(result.elapsedMs < 2000, `gave up after ${result.elapsedMs} ms`);
  await lab.afterCase(session, null);
});

test('a gzip bomb (two layers, 1 GiB decoded) is cut at the body cap, labelled truncated, memory bounded', async (t) => {
  const cap = 4 * 1024 * 1024;
  const session = await lab.session(t, { maxBodyBytes: cap });

  const before = process.memoryUsage();
  const result = await session.send(get(lab.evil('/bomb')));
  const grown = process.memoryUsage();

  assert.ok(bomb.length < 64 * 1024, `bomb is ${bomb.length} bytes on the wire`);
  assert.equal(result.error, null);
  assert.equal(result.response?.truncated, true);
  assert.equal(result.response?.body.byteLength, cap);
  assert.equal(toJsonRecord(result, 'bomb').truncated, true);
  assert.equal(bodyView(result.response).truncated, true);
  assert.ok(grown.arrayBuffers - before.arrayBuffers < 64 * 1024 * 1024, 'array buffers stay bounded');
  assert.ok(grown.rss - before.rss < 128 * 1024 * 1024, `rss grew by ${grown.rss - before.rss}`);
  await lab.afterCase(session, 'boom=1');
});

test(`${MAX_ENCODING_LAYERS + 1} nested Content-Encoding layers are refused as DECODE; ${MAX_ENCODING_LAYERS} decode`, async (t) => {
  const session = await lab.session(t);

  const six = await session.send(get(lab.evil(`/layers?n=${MAX_ENCODING_LAYERS + 1}`)));
  const five = await session.send(get(lab.evil(`/layers?n=${MAX_ENCODING_LAYERS}`)));

  assert.equal(six.error?.code, 'DECODE');
  assert.match(
    six.error?.message ?? '',
    /^Response body from evil\.example\.org:\d+ \(resolved to 127\.0\.0\.1\) could not be decoded \(gzip, gzip, gzip, gzip, gzip, gzip: more than 5 content encodings\)/,
  );
  assert.equal(six.response?.status, 200);
  assert.equal(five.error, null);
  assert.equal(five.response?.text, 'deep');
  await lab.afterCase(session, null);
});

test('invalid UTF-8 in a JSON body decodes with U+FFFD, no error', async (t) => {
  const session = await lab.session(t);

  const result = await session.send(get(lab.evil('/bad-utf8')));

  assert.equal(result.error, null);
  assert.equal(result.response?.text, '{"name":"caf\uFFFD","raw":"\uFFFD\uFFFD"}');
  assert.deepEqual(Buffer.from(result.response!.body), INVALID_UTF8_JSON);
  assert.equal(bodyView(result.response).kind, 'json');
  assert.deepEqual(result.warnings, []);
  await lab.afterCase(session, null);
});

test('a binary body labelled application/json keeps its bytes and is shown as binary', async (t) => {
  const session = await lab.session(t);

  const result = await session.send(get(lab.evil('/binary-json')));

  assert.equal(result.error, null);
  assert.deepEqual(Buffer.from(result.response!.body), BINARY);
  assert.equal(result.response?.contentType, 'application/json; charset=utf-8');
  assert.ok(result.response?.text.includes('\uFFFD'));
  assert.doesNotThrow(() => JSON.stringify(toJsonRecord(result, 'binary')));
  assert.equal(bodyView(result.response).kind, 'binary');
  await lab.afterCase(session, null);
});
