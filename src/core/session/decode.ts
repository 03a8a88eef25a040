// Response bodies: undo Content-Encoding while the bytes stream in, stop at
// the size cap (a small gzip that inflates to gigabytes is cut, never held),
// and turn the bytes into text by charset.
import { Transform, type TransformCallback } from 'node:stream';
import * as zlib from 'node:zlib';
import { DecodeFailure } from './errors';

/** More layers than this is an attack or a bug, not a real server. */
export const MAX_ENCODING_LAYERS = 5;

type Decompressor = () => Transform;

// zstd arrived in later Node versions than the ones we support; use it when present.
const createZstd = (zlib as unknown as { createZstdDecompress?: () => Transform }).createZstdDecompress;

// Lenient like browsers: a body that ends without the final flush still decodes.
const lenient = { finishFlush: zlib.constants.Z_SYNC_FLUSH };

const DECOMPRESSORS: Readonly<Record<string, Decompressor>> = {
  gzip: () => zlib.createGunzip(lenient),
  'x-gzip': () => zlib.createGunzip(lenient),
  deflate: () => new DeflateDecoder(),
  br: () => zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH }),
  ...(createZstd ? { zstd: () => createZstd() } : {}),
};

export function supportedEncodings(): string[] {
  return Object.keys(DECOMPRESSORS).filter((name) => name !== 'x-gzip');
}

/** Content-Encoding as a list in the order the server applied them, without `identity`. */
export function parseContentEncoding(header: string | null): string[] {
  if (!header) {
    return [];
  }
  return header
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding && coding !== 'identity');
}

export function isSupportedEncoding(coding: string): boolean {
  return Object.hasOwn(DECOMPRESSORS, coding);
}

/**
 * "deflate" is meant to be zlib-wrapped, but some servers send raw deflate;
 * the first two bytes tell them apart (a zlib header is a multiple of 31).
 */
class DeflateDecoder extends Transform {
  private inner: zlib.Inflate | zlib.InflateRaw | null = null;
  private head = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (!this.inner) {
      this.head = Buffer.concat([this.head, chunk]);
      if (this.head.length < 2) {
        done();
        return;
      }
      this.start();
      chunk = this.head;
    }
    this.forward(chunk, done);
  }

  override _flush(done: TransformCallback): void {
    if (!this.inner) {
      this.start();
      this.forward(this.head, () => {});
    }
    const inner = this.inner!;
    inner.once('end', () => done());
    inner.end();
  }

  override _destroy(err: Error | null, done: (error: Error | null) => void): void {
    this.inner?.destroy();
    done(err);
  }

  private start(): void {
    const [a = 0, b = 0] = this.head;
    const zlibWrapped = (a & 0x0f) === 8 && ((a << 8) | b) % 31 === 0;
    this.inner = zlibWrapped ? zlib.createInflate(lenient) : zlib.createInflateRaw(lenient);
    this.inner.on('data', (data: Buffer) => this.push(data));
    this.inner.on('error', (err) => this.destroy(err));
  }

  private forward(chunk: Buffer, done: TransformCallback): void {
    if (this.inner!.write(chunk)) {
      done();
    } else {
      this.inner!.once('drain', () => done());
    }
  }
}

export interface DecodedBody {
  readonly bytes: Buffer;
  readonly truncated: boolean;
  readonly error: DecodeFailure | null;
}

export interface BodyDecoder {
  /** Feed wire bytes; false means wait for `onDrain` before feeding more. */
  write(chunk: Buffer): boolean;
  onDrain(listener: () => void): void;
  /** All wire bytes have arrived. */
  end(): void;
  /** Settles once decoding stopped: finished, hit the cap, or failed — possibly before `end()`. */
  readonly done: Promise<DecodedBody>;
  /** Stop now and keep what was decoded so far. */
  abort(): DecodedBody;
}

/**
 * A decoder for `codings` (in the order the server applied them) that keeps
 * at most `maxBytes` of decoded output. Reaching the cap settles `done` with
 * `truncated` and tears the decompressors down, so the rest is never inflated.
 */
export function createBodyDecoder(codings: readonly string[], maxBytes: number): BodyDecoder {
  const chunks: Buffer[] = [];
  let size = 0;
  let finished: DecodedBody | null = null;
  let settle: (body: DecodedBody) => void = () => {};
  const done = new Promise<DecodedBody>((resolve) => {
    settle = resolve;
  });
  const stages: Transform[] = [];

  const finish = (truncated: boolean, error: DecodeFailure | null): DecodedBody => {
    if (!finished) {
      finished = { bytes: Buffer.concat(chunks, size), truncated, error };
      for (const stage of stages) {
        stage.destroy();
      }
      settle(finished);
    }
    return finished;
  };

  const take = (data: Buffer): void => {
    if (finished) {
      return;
    }
    if (size + data.length > maxBytes) {
      chunks.push(data.subarray(0, maxBytes - size));
      size = maxBytes;
      finish(true, null);
      return;
    }
    chunks.push(data);
    size += data.length;
  };

  if (codings.length > MAX_ENCODING_LAYERS) {
    finish(
      false,
      new DecodeFailure(codings.join(', '), `more than ${MAX_ENCODING_LAYERS} content encodings`),
    );
  }
  // The last coding applied is the first to undo.
  for (const coding of [...codings].reverse()) {
    const make = DECOMPRESSORS[coding];
    if (!make) {
      finish(false, new DecodeFailure(coding, 'unsupported content encoding'));
      break;
    }
    const stage = make();
    stage.on('error', (err: Error) => finish(false, new DecodeFailure(coding, err.message)));
    stages.at(-1)?.pipe(stage);
    stages.push(stage);
  }
  const first = stages[0];
  const last = stages.at(-1);
  last?.on('data', take);
  last?.on('end', () => finish(false, null));

  return {
    write(chunk) {
      if (finished) {
        return true;
      }
      if (!first) {
        take(chunk);
        return true;
      }
      return first.write(chunk);
    },
    onDrain(listener) {
      first?.once('drain', listener);
    },
    end() {
      if (first) {
        first.end();
      } else {
        finish(false, null);
      }
    },
    done,
    abort() {
      return finish(false, null);
    },
  };
}

export function charsetOf(contentType: string | null): string | null {
  const match = contentType ? /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType) : null;
  return match ? match[1]!.trim() : null;
}

export interface DecodedText {
  readonly text: string;
  /** The WHATWG name of the charset actually used (e.g. `windows-1252` for latin1). */
  readonly charset: string;
  readonly warning: string | null;
}

/** Text by the response's charset; utf-8 when there is none or it is unknown. */
export function decodeText(bytes: Uint8Array, charset: string | null): DecodedText {
  if (charset) {
    try {
      const decoder = new TextDecoder(charset);
      return { text: decoder.decode(bytes), charset: decoder.encoding, warning: null };
    } catch {
      const text = new TextDecoder('utf-8').decode(bytes);
      return {
        text,
        charset: 'utf-8',
        warning: `unknown charset "${charset}"; the body was decoded as utf-8`,
      };
    }
  }
  return { text: new TextDecoder('utf-8').decode(bytes), charset: 'utf-8', warning: null };
}
