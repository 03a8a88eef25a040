import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { TextCollector, utf8Boundary } from '../../../src/core/session/decode';
import { startHttpServer } from '../../helpers/servers';
import { get, testSession } from '../../helpers/sessions';

const MB = 1024 * 1024;

/** What one TextDecoder makes of all the bytes at once: the text must not depend on how they arrived. */
function wholeText(bytes: Uint8Array, charset: string): string {
  return new TextDecoder(charset).decode(bytes);
}

function collect(parts: readonly Uint8Array[], charset: string | null, batchBytes?: number): string {
  const collector = new TextCollector(charset, batchBytes);
  if (collector.incremental) for (const part of parts) collector.write(part);
  return collector.end(Buffer.concat(parts));
}

function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let from = 0;
  for (const at of points) {
    parts.push(bytes.subarray(from, at));
    from = at;
  }
  parts.push(bytes.subarray(from));
  return parts;
}

// Bytes that are mostly UTF-8 pieces (BOMs, 2-, 3- and 4-byte characters) with stray and truncated bytes between.
const utf8ish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        [0xef, 0xbb, 0xbf],
        [0xc3, 0xa9],
        [0xe2, 0x82, 0xac],
        [0xf0, 0x9f, 0x98, 0x80],
        [0xe2, 0x82],
        [0xf0, 0x9f],
        [0xed, 0xa0, 0x80],
        [0xc0, 0xaf],
        [0xf4, 0x90, 0x80, 0x80],
        [0x80],
        [0xbf, 0xbf, 0xbf, 0xbf],
        [0x41],
      ),
      fc.uint8Array({ maxLength: 6 }).map((a) => [...a]),
    ),
    { maxLength: 60 },
  )
  .map((pieces) => Uint8Array.from(pieces.flat()));

test('utf-8 text cut at any points and batch sizes is what one decoder makes of the whole', () => {
  fc.assert(
    fc.property(
      utf8ish,
      fc.array(fc.nat(), { maxLength: 8 }),
      fc.integer({ min: 1, max: 9 }),
      (bytes, cuts, batch) => {
        assert.equal(collect(splitAt(bytes, cuts), null, batch), wholeText(bytes, 'utf-8'));
        assert.equal(collect(splitAt(bytes, cuts), 'UTF-8', batch), wholeText(bytes, 'utf-8'));
      },
    ),
    { numRuns: 3000 },
  );
});

for (const charset of [
  'windows-1252',
  'utf-16le',
  'utf-16be',
  'shift_jis',
  'gb18030',
  'big5',
  'euc-kr',
  'iso-2022-jp',
]) {
  test(`${charset} text cut at any points is what one decoder makes of the whole`, () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 80 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.integer({ min: 1, max: 9 }),
        (bytes, cuts, batch) => {
          assert.equal(collect(splitAt(bytes, cuts), charset, batch), wholeText(bytes, charset));
        },
      ),
      { numRuns: 500 },
    );
  });
}

test('a BOM is dropped at the start of the body only', () => {
  const bom = [0xef, 0xbb, 0xbf];
  const bytes = Uint8Array.from([...bom, 0x61, ...bom, 0x62]);
  // Batches of 4 bytes: the second BOM starts a later decode call and must stay.
  assert.equal(collect([bytes.subarray(0, 4), bytes.subarray(4)], null, 4), 'a\ufeffb');
  assert.equal(collect([bytes.subarray(0, 2), bytes.subarray(2)], null, 1), 'a\ufeffb');
});

test('an unknown charset decodes as utf-8 and says so', () => {
  const collector = new TextCollector('x-no-such-charset');
  collector.write(Buffer.from('héllo'));
  assert.equal(collector.end(Buffer.from('héllo')), 'héllo');
  assert.equal(collector.charset, 'utf-8');
  assert.match(collector.warning ?? '', /unknown charset "x-no-such-charset"/);
});

test('utf8Boundary cuts after the last complete character', () => {
  const cut = (bytes: number[]) => utf8Boundary(Uint8Array.from(bytes));
  assert.equal(cut([]), 0);
  assert.equal(cut([0x61, 0x62]), 2);
  assert.equal(cut([0x61, 0xc3]), 1);
  assert.equal(cut([0x61, 0xc3, 0xa9]), 3);
  assert.equal(cut([0x61, 0xe2, 0x82]), 1);
  assert.equal(cut([0x61, 0xf0, 0x9f, 0x98]), 1);
  assert.equal(cut([0x61, 0xf0, 0x9f, 0x98, 0x80]), 5);
  // Stray continuation bytes: nothing is open, any cut is safe.
  assert.equal(cut([0x61, 0x80, 0x80, 0x80, 0x80]), 5);
  // A byte that cannot start a sequence ends one.
  assert.equal(cut([0x61, 0xff]), 2);
});

/** A body sent in pieces of `step` bytes, so characters straddle the writes. */
function piecewise(body: Buffer, step: number, headers: Record<string, string | number>) {
  return async (_req: unknown, res: import('node:http').ServerResponse) => {
    res.writeHead(200, headers);
    for (let at = 0; at < body.length; at += step) {
      if (!res.write(body.subarray(at, at + step))) await new Promise((r) => res.once('drain', r));
    }
    res.end();
  };
}

test('a large utf-8 body with multi-byte characters across every chunk boundary keeps its text', async (t) => {
  // 2-, 3- and 4-byte characters, sent in pieces of an odd size so boundaries fall inside characters.
  const text = 'é€😀a'.repeat(Math.ceil((3 * MB) / 10));
  const body = Buffer.from(text);
  const server = await startHttpServer({
    '/chunked': piecewise(body, 7919, { 'Content-Type': 'text/plain; charset=utf-8' }),
    '/length': piecewise(body, 7919, { 'Content-Type': 'text/plain', 'Content-Length': body.length }),
  });
  t.after(() => server.close());
  const session = testSession(t);

  for (const path of ['/chunked', '/length']) {
    const result = await session.send(get(server.url(path)));
    assert.equal(result.error, null, path);
    assert.equal(result.response?.text, text, path);
    assert.deepEqual(Buffer.compare(Buffer.from(result.response!.body), body), 0, path);
    assert.equal(result.response?.charset, 'utf-8');
  }
});

test('a large body in another charset keeps its text (utf-16le, windows-1252)', async (t) => {
  const text = 'Grüße, €uro — ñ '.repeat(Math.ceil((2 * MB) / 16));
  const utf16 = Buffer.from(text, 'utf16le');
  // windows-1252 bytes 0x80–0x9f are where it differs from latin1: the text must match the one-shot decoder.
  const cp1252 = Buffer.from(Array.from({ length: 2 * MB }, (_, i) => (i * 7) % 256));
  const server = await startHttpServer({
    '/utf16': piecewise(utf16, 4097, { 'Content-Type': 'text/plain; charset=UTF-16LE' }),
    '/latin1': piecewise(cp1252, 4097, { 'Content-Type': 'text/plain; charset=iso-8859-1' }),
  });
  t.after(() => server.close());
  const session = testSession(t);

  const a = await session.send(get(server.url('/utf16')));
  assert.equal(a.response?.text, text);
  assert.equal(a.response?.charset, 'utf-16le');
  const b = await session.send(get(server.url('/latin1')));
  assert.equal(b.response?.text, new TextDecoder('iso-8859-1').decode(cp1252));
  assert.equal(b.response?.charset, 'windows-1252');
});

test('a body cut at the cap in the middle of a character ends in U+FFFD, bytes exactly at the cap', async (t) => {
  const text = '€'.repeat(MB);
  const body = Buffer.from(text);
  const server = await startHttpServer({
    '/': piecewise(body, 65_536, { 'Content-Type': 'text/plain; charset=utf-8' }),
  });
  t.after(() => server.close());
  const session = testSession(t);
  const cap = 1_500_001; // 500,000 whole characters and one byte of the next

  const result = await session.send(get(server.url('/')), { maxBodyBytes: cap });

  assert.equal(result.error, null);
  assert.equal(result.response?.truncated, true);
  assert.equal(result.response?.body.byteLength, cap);
  assert.equal(result.response?.text, `${'€'.repeat(500_000)}\ufffd`);
});

test('a body of more than 8 MB without a length comes back whole', async (t) => {
  const body = Buffer.alloc(9 * MB + 123, 'abcdefghij');
  const server = await startHttpServer({ '/': piecewise(body, MB, { 'Content-Type': 'text/plain' }) });
  t.after(() => server.close());
  const session = testSession(t);

  const result = await session.send(get(server.url('/')));

  assert.equal(result.error, null);
  assert.equal(Buffer.compare(Buffer.from(result.response!.body), body), 0);
  assert.equal(result.response?.text, body.toString('latin1'));
});

test('a body cut short of its Content-Length keeps exactly the bytes that arrived', async (t) => {
  const sent = Buffer.alloc(MB, 'x');
  const server = await startHttpServer({
    '/': (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 2 * MB });
      res.write(sent, () => setTimeout(() => res.socket?.destroy(), 50));
    },
  });
  t.after(() => server.close());
  const session = testSession(t);

  const result = await session.send(get(server.url('/')));

  assert.equal(result.error?.code, 'RESET');
  assert.equal(result.response?.body.byteLength, MB);
  assert.equal(result.response?.text, sent.toString());
});

test('a HEAD response announcing a large body has an empty body', async (t) => {
  const server = await startHttpServer({
    '/': (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 40 * MB });
      res.end();
    },
  });
  t.after(() => server.close());
  const session = testSession(t);

  const result = await session.send({ method: 'HEAD', url: server.url('/'), headers: [], body: null });

  assert.equal(result.error, null);
  assert.equal(result.response?.body.byteLength, 0);
  assert.equal(result.response?.text, '');
});

test('a send stopped in the middle of a large body keeps the text that had arrived', async (t) => {
  const first = Buffer.from('ü'.repeat(MB));
  const server = await startHttpServer({
    '/': (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': 4 * MB });
      res.write(first); // then nothing more: the timeout stops the send
    },
  });
  t.after(() => server.close());
  const session = testSession(t);

  const result = await session.send(get(server.url('/')), { timeoutMs: 500 });

  assert.equal(result.error?.code, 'TIMEOUT');
  assert.equal(result.response?.body.byteLength, first.length);
  assert.equal(result.response?.text, 'ü'.repeat(MB));
});
