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
  /** `bytes` decoded by the response charset, as they arrived. */
  readonly text: string;
  /** The WHATWG name of the charset used for `text`. */
  readonly charset: string;
  /** Set when the response named a charset this runtime does not know. */
  readonly charsetWarning: string | null;
  readonly truncated: boolean;
  readonly error: DecodeFailure | null;
}

export interface BodyDecoder {
  /** Feed wire bytes; false means wait for `onDrain` before feeding more (let the event loop turn). */
  write(chunk: Buffer): boolean;
  onDrain(listener: () => void): void;
  /** All wire bytes have arrived. */
  end(): void;
  /** Settles once decoding stopped: finished, hit the cap, or failed — possibly before `end()`. */
  readonly done: Promise<DecodedBody>;
  /** Stop now and keep what was decoded so far. */
  abort(): DecodedBody;
}

export interface BodyDecoderOptions {
  /** The charset the response names (Content-Type), or null for utf-8. */
  readonly charset: string | null;
  /** Content-Length of a body that will arrive: a large one is then copied into place as it arrives. */
  readonly expectedBytes?: number | null;
}

// Bodies larger than this are finished in steps between event-loop turns, so the
// editor's extension host is never blocked for long by a large response.
const STEP_BYTES = 8 * 1024 * 1024;
// How much of such a body is copied in one turn (a few milliseconds).
const COPY_STEP_BYTES = 4 * 1024 * 1024;

// Smaller bodies of known length are simply collected: one chunk needs no copy at all.
const PREALLOCATE_BYTES = 64 * 1024;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Zeroed, so a body that ends early exposes no old memory past its end; null when the runtime has no room. */
function allocate(size: number): Buffer | null {
  try {
    return Buffer.alloc(size);
  } catch {
    return null;
  }
}

/** The decoded bytes: copied into place when the length is known, else kept as chunks and joined at the end. */
class ByteCollector {
  private chunks: Buffer[] = [];
  private whole: Buffer | null;
  size = 0;

  constructor(expected: number) {
    this.whole = expected >= PREALLOCATE_BYTES ? allocate(expected) : null;
  }

  /** Keeps `data`; returns where it now is. */
  add(data: Buffer): Buffer {
    if (this.whole) {
      if (this.size + data.length <= this.whole.length) {
        this.whole.set(data, this.size);
        this.size += data.length;
        return this.whole.subarray(this.size - data.length, this.size);
      }
      // More than announced: keep what is in place as the first chunk.
      this.chunks.push(this.whole.subarray(0, this.size));
      this.whole = null;
    }
    this.chunks.push(data);
    this.size += data.length;
    return data;
  }

  /** All bytes in one buffer, now. */
  joinNow(): Buffer {
    if (this.whole) return this.whole.subarray(0, this.size);
    // One chunk (most small responses) needs no copy.
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
  }

  /** All bytes in one buffer, copied a few megabytes per event-loop turn. */
  async join(): Promise<Buffer> {
    if (this.whole || this.size <= STEP_BYTES) return this.joinNow();
    const out = Buffer.allocUnsafe(this.size);
    // Allocating this much external memory may make the runtime collect garbage now: not in the same turn as a copy.
    await nextTurn();
    let at = 0;
    let step = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
      step += chunk.length;
      if (step >= COPY_STEP_BYTES) {
        step = 0;
        await nextTurn();
      }
    }
    return out;
  }
}

/**
 * A decoder for `codings` (in the order the server applied them) that keeps
 * at most `maxBytes` of decoded output and turns it into text as it arrives.
 * Reaching the cap settles `done` with `truncated` and tears the
 * decompressors down, so the rest is never inflated.
 */
export function createBodyDecoder(
  codings: readonly string[],
  maxBytes: number,
  options: BodyDecoderOptions = { charset: null },
): BodyDecoder {
  const expected = options.expectedBytes ?? -1;
  const bytes = new ByteCollector(codings.length === 0 && expected <= maxBytes ? expected : -1);
  const text = new TextCollector(options.charset);
  let ending: { readonly truncated: boolean; readonly error: DecodeFailure | null } | null = null;
  let finished: DecodedBody | null = null;
  let settle: (body: DecodedBody) => void = () => {};
  const done = new Promise<DecodedBody>((resolve) => {
    settle = resolve;
  });
  const stages: Transform[] = [];

  const result = (body: Buffer, bodyText: string): DecodedBody => ({
    bytes: body,
    text: bodyText,
    charset: text.charset,
    charsetWarning: text.warning,
    truncated: ending!.truncated,
    error: ending!.error,
  });

  // Now, in one go: for small bodies, and when the hop is stopped.
  const finishNow = (): DecodedBody => {
    if (!finished) {
      const body = bytes.joinNow();
      finished = result(body, text.end(body));
      settle(finished);
    }
    return finished;
  };

  const finish = (truncated: boolean, error: DecodeFailure | null): void => {
    if (ending) return;
    ending = { truncated, error };
    for (const stage of stages) {
      stage.destroy();
    }
    if (bytes.size <= STEP_BYTES) {
      finishNow();
      return;
    }
    // A large body: copy the bytes and join the text in separate turns.
    void (async () => {
      const body = await bytes.join();
      await nextTurn();
      if (!finished) {
        finished = result(body, text.end(body));
        settle(finished);
      }
    })();
  };

  // True when the bytes took a text batch to decode: the caller should let the event loop turn.
  const take = (data: Buffer): boolean => {
    if (ending) {
      return false;
    }
    if (bytes.size + data.length > maxBytes) {
      const kept = bytes.add(data.subarray(0, maxBytes - bytes.size));
      if (text.incremental) text.write(kept);
      finish(true, null);
      return false;
    }
    const kept = bytes.add(data);
    return text.incremental && text.write(kept);
  };

  if (codings.length > MAX_ENCODING_LAYERS) {
    finish(
      false,
      new DecodeFailure(codings.join(', '), `more than ${MAX_ENCODING_LAYERS} content encodings`),
    );
  }
  // The last coding applied is the first to undo.
  for (let i = codings.length - 1; i >= 0 && !ending; i--) {
    const coding = codings[i]!;
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
      if (ending) {
        return true;
      }
      if (!first) {
        // A socket read can hold megabytes: after decoding a batch, the rest waits for the next turn.
        return !take(chunk);
      }
      return first.write(chunk);
    },
    onDrain(listener) {
      if (first) first.once('drain', listener);
      else setImmediate(listener);
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
      if (!ending) ending = { truncated: false, error: null };
      for (const stage of stages) {
        stage.destroy();
      }
      return finishNow();
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
  const collector = new TextCollector(charset);
  if (collector.incremental) collector.write(bytes);
  return { text: collector.end(bytes), charset: collector.charset, warning: collector.warning };
}

// Decoded in batches of about this many bytes: each call has a cost of its own, and a
// megabyte takes a few milliseconds at most.
const TEXT_BATCH_BYTES = 1024 * 1024;
// Stateless when not streaming: one of each serves every response. The first strips a leading BOM.
const utf8 = new TextDecoder('utf-8');
const utf8KeepBom = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * The bytes of a body turned into text as they arrive, so that a large body is
 * never decoded in one go at the end. The result is exactly what one
 * TextDecoder gives for all the bytes at once.
 */
export class TextCollector {
  /** The WHATWG name of the charset used. */
  readonly charset: string;
  readonly warning: string | null;
  /**
   * Whether the text is decoded as the bytes arrive (utf-8, windows-1252). Other charsets are
   * decoded in one go at the end: the runtime's streaming decoders for them can disagree with the
   * one-shot decoder, and even throw, on bad input.
   */
  readonly incremental: boolean;
  private readonly decoder: TextDecoder;
  private started = false;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private readonly parts: string[] = [];

  /** `batchBytes`: how many bytes to gather before decoding (smaller in tests, to cut often). */
  constructor(
    charset: string | null,
    private readonly batchBytes = TEXT_BATCH_BYTES,
  ) {
    let warning: string | null = null;
    let decoder: TextDecoder | null = null;
    const label = charset?.toLowerCase();
    if (label && label !== 'utf-8' && label !== 'utf8') {
      try {
        decoder = new TextDecoder(label);
      } catch {
        warning = `unknown charset "${charset}"; the body was decoded as utf-8`;
      }
    }
    this.warning = warning;
    this.decoder = decoder ?? utf8;
    this.charset = this.decoder.encoding;
    // utf-8 is cut after whole characters, windows-1252 (one byte a character) anywhere.
    this.incremental = this.charset === 'utf-8' || this.charset === 'windows-1252';
  }

  /** More bytes of the body; only for an incremental collector. True when a batch was decoded now. */
  write(bytes: Uint8Array): boolean {
    if (bytes.length === 0) return false;
    const { pending } = this;
    const last = pending.at(-1);
    if (last && last.buffer === bytes.buffer && last.byteOffset + last.length === bytes.byteOffset) {
      // Right after the previous bytes in the same memory (a body copied into place): one view, no copy later.
      pending[pending.length - 1] = new Uint8Array(last.buffer, last.byteOffset, last.length + bytes.length);
    } else {
      pending.push(bytes);
    }
    this.pendingBytes += bytes.length;
    if (this.pendingBytes < this.batchBytes) return false;
    this.decodePending(false);
    return true;
  }

  /**
   * The whole text, given all the bytes of the body (what was written, for an
   * incremental collector). A large body's text is left as the concatenation
   * of its parts: the runtime joins them when it is first read, so the send
   * itself never copies the whole text in one go.
   */
  end(all: Uint8Array): string {
    if (!this.incremental) return this.decoder.decode(all);
    this.decodePending(true);
    let text = '';
    for (const part of this.parts) text += part;
    return text;
  }

  private decodePending(final: boolean): void {
    const { pending } = this;
    if (pending.length === 0) return;
    const bytes = pending.length === 1 ? pending[0]! : Buffer.concat(pending, this.pendingBytes);
    const cut = final || this.charset !== 'utf-8' ? bytes.length : utf8Boundary(bytes);
    if (cut > 0) {
      // Only the first bytes of the body may start with a BOM to drop.
      const decoder = this.started && this.charset === 'utf-8' ? utf8KeepBom : this.decoder;
      this.parts.push(decoder.decode(bytes.subarray(0, cut)));
      this.started = true;
    }
    this.pending = cut < bytes.length ? [bytes.subarray(cut)] : [];
    this.pendingBytes = bytes.length - cut;
  }
}

/**
 * Where `bytes` can be cut so that decoding the two parts separately gives the
 * same text as decoding them together: after the last complete character.
 * Cutting before any byte that is not a continuation byte (10xxxxxx) is safe,
 * since such a byte ends whatever sequence was open; so is cutting after three
 * continuation bytes, as no sequence has more.
 */
export function utf8Boundary(bytes: Uint8Array): number {
  const length = bytes.length;
  for (let i = length - 1; i >= 0 && i >= length - 4; i--) {
    const b = bytes[i]!;
    if ((b & 0xc0) === 0x80) continue;
    // The sequence this byte starts needs this many bytes in all.
    const need =
      b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 1;
    return length - i >= need ? length : i;
  }
  return length;
}
