// A block of a `.http` file as read, with its ranges kept as numbers relative
// to the block's first line and made into `Range` objects only when read. A
// parse then stores four integers per range, not three objects, and lines
// inserted or deleted above a block move all its ranges by changing `base`.
// Model objects that carry a range are small classes whose `range` getter
// builds it (once per position of the block); everything else is plain data.
//
// A parse reads only the head of each block (comments, directives, file
// variables, the request line): the request's name, method and URL, what the
// code lenses and the outline show. The rest (headers, body, scripts, the
// block's diagnostics) is read when first asked for, from the same source,
// by the same code: the head is read the same way both times, so ranges
// stored by the first reading keep their offsets.
import type {
  BodyPart,
  Directive,
  FileReference,
  Header,
  HttpRequest,
  OutputRedirect,
  ParseDiagnostic,
  Range,
  RequestBody,
  RequestRanges,
  ScriptBlock,
  Severity,
  VariableDefinition,
} from './model';
import type { Source } from './source';

/** Numbers of the blocks being read, copied into one exact-size array when they are done. */
class RangeBuilder {
  data = new Int32Array(4096);
  length = 0;
  /** A reading is under way (begin called, finish not yet). */
  busy = false;
  /** Where the numbers of the head are, while a block whose head was read is read whole. */
  headOffset = 0;
  /** How many blocks `readRest` has started to read again. */
  restarted = 0;

  /** Makes room for `n` more numbers. */
  reserve(n: number): void {
    if (this.length + n > this.data.length) {
      const grown = new Int32Array(Math.max(this.data.length * 2, this.length + n));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
  }
}

const builder = new RangeBuilder();

/** The numbers of blocks read together; blocks whose rest is read later append theirs. */
class Numbers {
  constructor(
    public data: Int32Array,
    public length: number,
  ) {}

  /** Appends from[start, start + n); returns where it now starts. */
  append(from: Int32Array, start: number, n: number): number {
    if (this.length + n > this.data.length) {
      const grown = new Int32Array(Math.max(this.data.length * 2, this.length + n, 64));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    const data = this.data;
    const at = this.length;
    for (let k = 0; k < n; k++) data[at + k] = from[start + k];
    this.length = at + n;
    return at;
  }
}

const NO_NUMBERS = new Numbers(new Int32Array(0), 0);

/** Shared by every request and block that has none of a kind; frozen so no one can fill it. */
export const NONE: readonly never[] = Object.freeze([]);

/** What reading a block whole adds to its head: the request's other parts, the block's diagnostics. */
export class BlockRest {
  constructor(
    /** Directives of a block without a request line (they can only be file-level). */
    readonly orphanDirectives: readonly Directive[],
    readonly diagnostics: readonly ParseDiagnostic[],
    readonly headers: readonly Header[],
    readonly body: RequestBody | null,
    readonly directives: readonly Directive[],
    readonly preRequestScripts: readonly ScriptBlock[],
    readonly responseHandlers: readonly ScriptBlock[],
    readonly outputRedirects: readonly OutputRedirect[],
    /** Offsets of the ranges of the block, the headers and the body (-1: none). */
    readonly blockAt: number,
    readonly headersAt: number,
    readonly bodyAt: number,
  ) {}

  static withoutRequest(
    directives: readonly Directive[],
    diagnostics: readonly ParseDiagnostic[],
  ): BlockRest {
    return new BlockRest(directives, diagnostics, NONE, null, NONE, NONE, NONE, NONE, -1, -1, -1);
  }
}

/** One block of the document: the `###` line (if any) and the lines up to the next one, read. */
export class Block {
  /** Document line of the block's first line (its `###` separator, if it has one). */
  base: number;
  /** The source the block is in, and the source line of its first line: the rest is read from there. */
  readonly source: Source;
  readonly firstLine: number;
  /** Four numbers per range: start line − first line, start character, end line − first line, end character. */
  #numbers = NO_NUMBERS;
  /** Where the block's numbers start: in the builder while it is read, then in #numbers. */
  #offset: number;
  /** How many numbers the block has. */
  #size = 0;
  /** Ranges built so far, by offset / 4. */
  #built: (Range | undefined)[] | null = null;
  #builtBase = -1;
  request: RequestNode | null = null;
  variables: readonly VariableDefinition[] = NONE;
  /** Set when the block is read whole; until then, the block has a request and only its head is read. */
  rest: BlockRest | null = null;
  // Offsets of the ranges the head stores (-1: none): the request line, method, URL.
  requestLineAt = -1;
  methodAt = -1;
  urlAt = -1;
  /** Source line after the request line and its continuation lines. */
  restLine = -1;

  constructor(
    source: Source,
    firstLine: number,
    /** Lines from the first line to the end of the block, separator included (if it has one). */
    readonly lineCount: number,
  ) {
    this.source = source;
    this.firstLine = firstLine;
    this.base = firstLine;
    this.#offset = builder.length;
  }

  /** The block's lines joined with `\n` (a CRLF file's blocks keep their `\r`): an edit re-reads them. */
  get text(): string {
    const { source, firstLine } = this;
    return source.text.slice(source.starts[firstLine], source.endOf(firstLine + this.lineCount - 1));
  }

  /** Starts reading blocks of `lineCount` lines: ranges added from now on are kept by `finish`. */
  static begin(lineCount: number): void {
    if (builder.busy) throw new Error('blocks are already being read');
    builder.busy = true;
    builder.length = 0;
    // Most lines hold at most one range; the rest grows by doubling.
    builder.reserve(2 * lineCount + 64);
  }

  /**
   * Gives the blocks read since `begin`, in the order they were read, their
   * numbers: blocks read together share one exact-size array, and a block
   * read again alone appends its numbers to the array it had.
   */
  static finish(blocks: readonly Block[]): void {
    const alone = blocks.length === 1 && blocks[0].#numbers !== NO_NUMBERS;
    const shared = alone ? null : new Numbers(builder.data.slice(0, builder.length), builder.length);
    for (let k = 0; k < blocks.length; k++) {
      const block = blocks[k];
      const size = (k + 1 < blocks.length ? blocks[k + 1].#offset : builder.length) - block.#offset;
      block.#size = size;
      if (shared !== null) block.#numbers = shared;
      else block.#offset = block.#numbers.append(builder.data, block.#offset, size);
    }
    // Do not hold on to a whole document's worth of scratch space.
    if (builder.data.length > 65536) builder.data = new Int32Array(4096);
    builder.busy = false;
  }

  /** Reads blocks whole, in order (segment.ts sets it: it imports this module, so this one cannot import it). */
  static readWhole: (blocks: readonly Block[]) => void;

  /** Reads the rest of those blocks that have not been read whole, in one go. */
  static readRest(blocks: readonly Block[]): void {
    const pending =
      blocks.length === 1 && blocks[0].rest === null ? blocks : blocks.filter((b) => b.rest === null);
    if (pending.length === 0) return;
    let lines = 0;
    for (const block of pending) lines += block.lineCount;
    Block.begin(lines);
    builder.restarted = 0;
    try {
      Block.readWhole(pending);
    } catch (e) {
      // Keep the blocks read so far, and the one that failed as far as it got (its rest stays unread).
      Block.finish(pending.slice(0, builder.restarted));
      throw e;
    }
    Block.finish(pending);
  }

  /** Before a block whose head was read is read again whole: it stores its numbers in the builder again. */
  restart(): void {
    builder.restarted++;
    builder.headOffset = this.#offset;
    this.#offset = builder.length;
    this.#built = null;
  }

  /** What reading the whole block adds, read if it has not been. */
  whole(): BlockRest {
    if (this.rest === null) Block.readRest([this]);
    return this.rest!;
  }

  /** Forgets what the block stored since it began, to read it again. */
  rewind(): void {
    builder.length = this.#offset;
  }

  /** Stores a range given in source lines; returns its offset among the block's numbers. */
  add(startLine: number, startChar: number, endLine: number, endChar: number): number {
    builder.reserve(7);
    const data = builder.data;
    // Ranges sit at multiples of four from the block's start, so `range` can index its cache by offset / 4.
    let at = builder.length;
    while ((at - this.#offset) & 3) at++;
    data[at] = startLine - this.firstLine;
    data[at + 1] = startChar;
    data[at + 2] = endLine - this.firstLine;
    data[at + 3] = endChar;
    builder.length = at + 4;
    return at - this.#offset;
  }

  /** Stores again the range the head stored at `o`, while the whole block is read: at the same offset. */
  addAgain(o: number): number {
    const data = this.#numbers.data;
    const k = builder.headOffset + o;
    const at = this.add(this.firstLine + data[k], data[k + 1], this.firstLine + data[k + 2], data[k + 3]);
    if (at !== o) throw new Error(`block at line ${this.base} read again out of step`);
    return at;
  }

  /** The range stored at `o`, built on first read and again after the block moved. */
  range(o: number): Range {
    if (this.#built === null || this.#builtBase !== this.base) {
      this.#built = new Array((this.#size + 3) >> 2);
      this.#builtBase = this.base;
    }
    let r = this.#built[o >> 2];
    if (r === undefined) {
      const data = this.#numbers.data;
      const k = this.#offset + o;
      const base = this.base;
      r = {
        start: { line: base + data[k], character: data[k + 1] },
        end: { line: base + data[k + 2], character: data[k + 3] },
      };
      this.#built[o >> 2] = r;
    }
    return r;
  }

  /** Where a duplicate name is reported: the first `# @name` line, or the request line. */
  nameRange(): Range {
    for (const d of this.whole().directives) if (d.name === 'name') return d.range;
    return this.range(this.requestLineAt);
  }
}

// Each kind below is a class of its own with the same two private fields: a
// shared base class would see every kind's shape in one constructor and make
// its stores megamorphic, which a parse of 100,000 nodes notices.

export class HeaderNode implements Header {
  readonly #block: Block;
  readonly #at: number;

  constructor(
    readonly name: string,
    readonly value: string,
    block: Block,
    at: number,
  ) {
    this.#block = block;
    this.#at = at;
  }

  get range(): Range {
    return this.#block.range(this.#at);
  }

  toJSON(): object {
    return { ...this, range: this.range };
  }
}

export class DirectiveNode implements Directive {
  readonly #block: Block;
  readonly #at: number;

  constructor(
    readonly name: string,
    readonly value: string | true,
    block: Block,
    at: number,
  ) {
    this.#block = block;
    this.#at = at;
  }

  get range(): Range {
    return this.#block.range(this.#at);
  }

  toJSON(): object {
    return { ...this, range: this.range };
  }
}

export class ScriptNode implements ScriptBlock {
  readonly #block: Block;
  readonly #at: number;

  constructor(
    readonly kind: 'inline' | 'file',
    readonly content: string,
    block: Block,
    at: number,
  ) {
    this.#block = block;
    this.#at = at;
  }

  get range(): Range {
    return this.#block.range(this.#at);
  }

  toJSON(): object {
    return { ...this, range: this.range };
  }
}

export class RedirectNode implements OutputRedirect {
  readonly #block: Block;
  readonly #at: number;

  constructor(
    readonly path: string,
    readonly overwrite: boolean,
    block: Block,
    at: number,
  ) {
    this.#block = block;
    this.#at = at;
  }

  get range(): Range {
    return this.#block.range(this.#at);
  }

  toJSON(): object {
    return { ...this, range: this.range };
  }
}

export class FileReferenceNode implements FileReference {
  readonly #block: Block;
  readonly #at: number;

  constructor(
    readonly path: string,
    readonly processVariables: boolean,
    readonly encoding: string | null,
    block: Block,
    at: number,
  ) {
    this.#block = block;
    this.#at = at;
  }

  get range(): Range {
    return this.#block.range(this.#at);
  }

  toJSON(): object {
    return { ...this, range: this.range };
  }
}

/** A `< path` line among the parts of a body. */
export class FilePartNode implements FileReference {
  readonly kind = 'file';
  readonly #block: Block;
  readonly #at: number;

  constructor(
    readonly path: string,
    readonly processVariables: boolean,
    readonly encoding: string | null,
    block: Block,
    at: number,
  ) {
    this.#block = block;
    this.#at = at;
  }

  get range(): Range {
    return this.#block.range(this.#at);
  }

  toJSON(): object {
    return { ...this, range: this.range };
  }
}

export class BodyNode implements RequestBody {
  readonly #block: Block;
  readonly #at: number;
  #parts: readonly BodyPart[] | null;

  constructor(
    readonly text: string,
    /** null: the body is one text run (the common case), and the list is made when read. */
    parts: readonly BodyPart[] | null,
    readonly file: FileReference | null,
    block: Block,
    at: number,
  ) {
    this.#block = block;
    this.#at = at;
    this.#parts = parts;
  }

  get parts(): readonly BodyPart[] {
    if (this.#parts === null) this.#parts = [{ kind: 'text', text: this.text }];
    return this.#parts;
  }

  get range(): Range {
    return this.#block.range(this.#at);
  }

  toJSON(): object {
    return { ...this, parts: this.parts, range: this.range };
  }
}

export class DiagnosticNode implements ParseDiagnostic {
  readonly #block: Block;
  readonly #at: number;

  constructor(
    readonly severity: Severity,
    readonly code: string,
    readonly message: string,
    block: Block,
    at: number,
  ) {
    this.#block = block;
    this.#at = at;
  }

  get range(): Range {
    return this.#block.range(this.#at);
  }

  toJSON(): object {
    return { ...this, range: this.range };
  }
}

export class VariableNode implements VariableDefinition {
  readonly #block: Block;
  readonly #at: number;
  readonly #nameAt: number;

  constructor(
    readonly name: string,
    readonly value: string,
    block: Block,
    at: number,
    nameAt: number,
  ) {
    this.#block = block;
    this.#at = at;
    this.#nameAt = nameAt;
  }

  get range(): Range {
    return this.#block.range(this.#at);
  }

  get nameRange(): Range {
    return this.#block.range(this.#nameAt);
  }

  toJSON(): object {
    return { ...this, range: this.range, nameRange: this.nameRange };
  }
}

/** The request of a block: name, method and URL from the head, the rest read when first asked for. */
export class RequestNode implements HttpRequest {
  readonly #block: Block;
  #ranges: RequestRangesNode | null = null;

  constructor(
    block: Block,
    readonly name: string | null,
    readonly method: string,
    readonly url: string,
    readonly httpVersion: string | null,
    readonly fromCurl: boolean,
  ) {
    this.#block = block;
  }

  get headers(): readonly Header[] {
    return this.#block.whole().headers;
  }
  get body(): RequestBody | null {
    return this.#block.whole().body;
  }
  get directives(): readonly Directive[] {
    return this.#block.whole().directives;
  }
  get preRequestScripts(): readonly ScriptBlock[] {
    return this.#block.whole().preRequestScripts;
  }
  get responseHandlers(): readonly ScriptBlock[] {
    return this.#block.whole().responseHandlers;
  }
  get outputRedirects(): readonly OutputRedirect[] {
    return this.#block.whole().outputRedirects;
  }
  get ranges(): RequestRanges {
    this.#ranges ??= new RequestRangesNode(this.#block);
    return this.#ranges;
  }

  /** The same request with other directives (the block, and what is read of it, are shared). */
  withDirectives(directives: readonly Directive[]): RequestNode {
    return new RequestWithDirectives(this.#block, this, directives);
  }

  toJSON(): object {
    return {
      name: this.name,
      method: this.method,
      url: this.url,
      httpVersion: this.httpVersion,
      headers: this.headers,
      body: this.body,
      directives: this.directives,
      preRequestScripts: this.preRequestScripts,
      responseHandlers: this.responseHandlers,
      outputRedirects: this.outputRedirects,
      fromCurl: this.fromCurl,
      ranges: this.ranges,
    };
  }
}

/** The first request of a file, without the file-level directives written above it. */
class RequestWithDirectives extends RequestNode {
  readonly #directives: readonly Directive[];

  constructor(block: Block, request: RequestNode, directives: readonly Directive[]) {
    super(block, request.name, request.method, request.url, request.httpVersion, request.fromCurl);
    this.#directives = directives;
  }

  override get directives(): readonly Directive[] {
    return this.#directives;
  }
}

/** Request line, method and URL come from the head; the others need the whole block. */
export class RequestRangesNode implements RequestRanges {
  readonly #block: Block;

  constructor(block: Block) {
    this.#block = block;
  }

  #get(o: number): Range | null {
    return o < 0 ? null : this.#block.range(o);
  }

  get block(): Range {
    return this.#block.range(this.#block.whole().blockAt);
  }
  get requestLine(): Range {
    return this.#block.range(this.#block.requestLineAt);
  }
  get method(): Range | null {
    return this.#get(this.#block.methodAt);
  }
  get url(): Range {
    return this.#block.range(this.#block.urlAt);
  }
  get headers(): Range | null {
    return this.#get(this.#block.whole().headersAt);
  }
  get body(): Range | null {
    return this.#get(this.#block.whole().bodyAt);
  }

  toJSON(): RequestRanges {
    return {
      block: this.block,
      requestLine: this.requestLine,
      method: this.method,
      url: this.url,
      headers: this.headers,
      body: this.body,
    };
  }
}
