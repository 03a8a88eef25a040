import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as zlib from 'node:zlib';
import { MAX_ENCODING_LAYERS, supportedEncodings } from '../../../src/core/session/decode';
import { type Handler, startHttpServer } from '../../helpers/servers';
import { get, testSession } from '../../helpers/sessions';

const TEXT = 'hello, compressed world\n'.repeat(2000);

const compressors: Record<string, (data: Buffer) => Buffer> = {
  gzip: (data) => zlib.gzipSync(data),
  deflate: (data) => zlib.deflateSync(data),
  br: (data) => zlib.brotliCompressSync(data),
};
const zstdCompress = (zlib as unknown as { zstdCompressSync?: (data: Buffer) => Buffer }).zstdCompressSync;
if (zstdCompress) {
  compressors['zstd'] = zstdCompress;
}

function sendEncoded(
  encodings: readonly string[],
  data: Buffer,
  compress: (data: Buffer) => Buffer,
): Handler {
  return (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Encoding': encodings.join(', ') });
    res.end(compress(data));
  };
}

const cases: readonly { name: string; encodings: string[]; compress: (data: Buffer) => Buffer }[] = [
  ...Object.entries(compressors).map(([name, compress]) => ({ name, encodings: [name], compress })),
  { name: 'raw deflate (no zlib wrapper)', encodings: ['deflate'], compress: (d) => zlib.deflateRawSync(d) },
  {
    name: 'gzip then br (two layers)',
    encodings: ['gzip', 'br'],
    compress: (d) => zlib.brotliCompressSync(zlib.gzipSync(d)),
  },
];

for (const { name, encodings, compress } of cases) {
  test(`${name} is decoded`, async (t) => {
    const server = await startHttpServer({ '/': sendEncoded(encodings, Buffer.from(TEXT), compress) });
    t.after(() => server.close());
    const session = testSession(t);

    const result = await session.send(get(server.url('/')));

    assert.equal(result.error, null);
    assert.equal(result.response?.text, TEXT);
    assert.ok((result.response?.encodedBytes ?? 0) < TEXT.length / 10);
    assert.equal(result.response?.truncated, false);
  });
}

test('Accept-Encoding offers every decoder the engine has unless the request sets it', async (t) => {
  const server = await startHttpServer({ '/': (req, res) => res.end(req.headers['accept-encoding']) });
  t.after(() => server.close());
  const session = testSession(t);

  const offered = await session.send(get(server.url('/')));
  const written = await session.send(get(server.url('/'), [['accept-encoding', 'identity']]));

  assert.equal(offered.response?.text, supportedEncodings().join(', '));
  assert.equal(written.response?.text, 'identity');
});

test('data that is not what its Content-Encoding says is DECODE', async (t) => {
  const server = await startHttpServer({
    '/': sendEncoded(['gzip'], Buffer.from('this is not gzip at all'), (d) => d),
  });
  t.after(() => server.close());
  const session = testSession(t);

  const result = await session.send(get(server.url('/')));

  assert.equal(result.error?.code, 'DECODE');
  assert.match(
    result.error?.message ?? '',
    /^Response body from 127\.0\.0\.1:\d+ could not be decoded \(gzip: incorrect header check\)/,
  );
  assert.equal(result.response?.status, 200);
});

test(`more than ${MAX_ENCODING_LAYERS} encodings is DECODE`, async (t) => {
  const layers = Array.from({ length: MAX_ENCODING_LAYERS + 1 }, () => 'gzip');
  const server = await startHttpServer({
    '/': sendEncoded(layers, Buffer.from('x'), (d) => layers.reduce((data) => zlib.gzipSync(data), d)),
  });
  t.after(() => server.close());
  const session = testSession(t);

  const result = await session.send(get(server.url('/')));

  assert.equal(result.error?.code, 'DECODE');
  assert.match(result.error?.message ?? '', /more than 5 content encodings/);
});

test('an unknown Content-Encoding is shown as received, with a warning', async (t) => {
  const server = await startHttpServer({ '/': sendEncoded(['compress'], Buffer.from('raw'), (d) => d) });
  t.after(() => server.close());
  const session = testSession(t);

  const result = await session.send(get(server.url('/')));

  assert.equal(result.error, null);
  assert.equal(result.response?.text, 'raw');
  assert.deepEqual(result.warnings, [
    'Content-Encoding "compress" is not supported; the body is shown as received',
  ]);
});

// 200 gzip members of 1 MB of zeros each: ~200 KB on the wire, 200 MB when inflated.
function gzipBomb(megabytes: number): Buffer {
  const member = zlib.gzipSync(Buffer.alloc(1024 * 1024), { level: 9 });
  return Buffer.concat(Array.from({ length: megabytes }, () => member));
}

test('a small gzip that inflates past the cap is cut at the cap without inflating the rest', async (t) => {
  const bomb = gzipBomb(200);
  const server = await startHttpServer({ '/': sendEncoded(['gzip'], Buffer.alloc(0), () => bomb) });
  t.after(() => server.close());
  const session = testSession(t);
  const cap = 1024 * 1024;

  const before = process.memoryUsage();
  const result = await session.send(get(server.url('/')), { maxBodyBytes: cap });
  const after = process.memoryUsage();

  assert.ok(bomb.length < 300 * 1024, `bomb is ${bomb.length} bytes`);
  assert.equal(result.error, null);
  assert.equal(result.response?.truncated, true);
  assert.equal(result.response?.body.byteLength, cap);
  assert.ok(after.rss - before.rss < 64 * 1024 * 1024, `rss grew by ${after.rss - before.rss}`);
  assert.ok(after.arrayBuffers - before.arrayBuffers < 32 * 1024 * 1024);
});

test('a plain body longer than the cap is cut and marked truncated', async (t) => {
  const server = await startHttpServer({ '/': (_req, res) => res.end(Buffer.alloc(300_000, 'a')) });
  t.after(() => server.close());
  const session = testSession(t, { maxBodyBytes: 100_000 });

  const result = await session.send(get(server.url('/')));
  const exact = await session.send(get(server.url('/')), { maxBodyBytes: 300_000 });

  assert.equal(result.response?.truncated, true);
  assert.equal(result.response?.body.byteLength, 100_000);
  assert.equal(exact.response?.truncated, false);
  assert.equal(exact.response?.body.byteLength, 300_000);
});

const charsetCases: readonly { contentType: string | null; bytes: Buffer; text: string; charset: string }[] =
  [
    {
      contentType: 'text/plain; charset=iso-8859-1',
      bytes: Buffer.from('café', 'latin1'),
      text: 'café',
      charset: 'windows-1252',
    },
    {
      contentType: 'text/plain; charset="latin1"',
      bytes: Buffer.from('naïve', 'latin1'),
      text: 'naïve',
      charset: 'windows-1252',
    },
    { contentType: 'application/json', bytes: Buffer.from('{"a":"é"}'), text: '{"a":"é"}', charset: 'utf-8' },
    { contentType: null, bytes: Buffer.from('ünïcode'), text: 'ünïcode', charset: 'utf-8' },
    {
      contentType: 'text/plain; charset=utf-16le',
      bytes: Buffer.from('wide', 'utf16le'),
      text: 'wide',
      charset: 'utf-16le',
    },
  ];

for (const { contentType, bytes, text, charset } of charsetCases) {
  test(`body text follows the charset of ${contentType ?? 'no Content-Type'}`, async (t) => {
    const server = await startHttpServer({
      '/': (_req, res) => {
        if (contentType) res.setHeader('Content-Type', contentType);
        res.end(bytes);
      },
    });
    t.after(() => server.close());
    const session = testSession(t);

    const result = await session.send(get(server.url('/')));

    assert.equal(result.response?.text, text);
    assert.equal(result.response?.charset, charset);
    assert.equal(result.response?.contentType, contentType);
  });
}

test('an unknown charset falls back to utf-8 with a warning', async (t) => {
  const server = await startHttpServer({
    '/': (_req, res) => {
      res.setHeader('Content-Type', 'text/plain; charset=klingon-8');
      res.end('ok');
    },
  });
  t.after(() => server.close());
  const session = testSession(t);

  const result = await session.send(get(server.url('/')));

  assert.equal(result.response?.text, 'ok');
  assert.deepEqual(result.warnings, ['unknown charset "klingon-8"; the body was decoded as utf-8']);
});

test('response headers keep their order and every Set-Cookie separately', async (t) => {
  const server = await startHttpServer({
    '/': (_req, res) => {
      res.writeHead(201, 'Made It', [
        ['X-First', '1'],
        ['Set-Cookie', 'a=1'],
        ['Set-Cookie', 'b=2, c=3'],
        ['X-Last', '2'],
      ]);
      res.end();
    },
  });
  t.after(() => server.close());
  const session = testSession(t);

  const result = await session.send(get(server.url('/')));

  assert.equal(result.response?.status, 201);
  assert.equal(result.response?.statusText, 'Made It');
  assert.equal(result.response?.httpVersion, '1.1');
  assert.deepEqual(
    result.response?.headers.filter(
      ([name]) => !['Date', 'Connection', 'Keep-Alive', 'Transfer-Encoding'].includes(name),
    ),
    [
      ['X-First', '1'],
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2, c=3'],
      ['X-Last', '2'],
    ],
  );
});

test('a request body goes out as given with a computed Content-Length', async (t) => {
  const server = await startHttpServer({ '/': (_req, res, body) => res.end(body) });
  t.after(() => server.close());
  const session = testSession(t);
  const bytes = new Uint8Array([0, 1, 2, 250, 255]);

  const text = await session.send({
    method: 'PUT',
    url: server.url('/'),
    headers: [['Content-Length', '999']],
    body: 'grüße',
  });
  const binary = await session.send({ method: 'POST', url: server.url('/'), headers: [], body: bytes });

  assert.equal(text.response?.text, 'grüße');
  assert.deepEqual(
    text.sent?.headers.filter(([n]) => n === 'Content-Length'),
    [['Content-Length', '7']],
  );
  assert.deepEqual([...(binary.response?.body ?? [])], [...bytes]);
});

test('an empty body with a Content-Encoding (304, HEAD, Content-Length 0) decodes to nothing', async (t) => {
  const server = await startHttpServer({
    '/304': (_req, res) => {
      res.writeHead(304, { 'Content-Encoding': 'gzip', ETag: '"v1"' });
      res.end();
    },
    '/head': (_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'br', 'Content-Length': '20' });
      res.end();
    },
    '/empty': (_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'deflate', 'Content-Length': '0' });
      res.end();
    },
  });
  t.after(() => server.close());
  const session = testSession(t);

  const results = [
    await session.send(get(server.url('/304'))),
    await session.send({ method: 'HEAD', url: server.url('/head'), headers: [], body: null }),
    await session.send(get(server.url('/empty'))),
  ];

  assert.deepEqual(
    results.map((r) => [r.error, r.response?.status, r.response?.body.byteLength]),
    [
      [null, 304, 0],
      [null, 200, 0],
      [null, 200, 0],
    ],
  );
});
