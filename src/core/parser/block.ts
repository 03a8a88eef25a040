// A block of a `.http` file as read, with its ranges kept as numbers relative
// to the block's first line and made into `Range` objects only when read. A
// parse then stores four integers per range, not three objects, and lines
// inserted or deleted above a block move all its ranges by changing `base`.
// Model objects that carry a range are small classes whose `range` getter
// builds it (once per position of the block); everything else is plain data.
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
import { forgetWords } from './words';

/** Numbers of the blocks being read, copied into one exact-size array when they are done. */
class RangeBuilder {
  data = new Int32Array(4096);
  length = 0;

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

/** Shared by every request and block that has none of a kind; frozen so no one can fill it. */
export const NONE: readonly never[] = Object.freeze([]);

/** One block of the document: the `###` line (if any) and the lines up to the next one, read. */
export class Block {
  /** Document line of the block's first line (its `###` separator, if it has one). */
  base: number;
  /** The block's text is source[from, to). */
  #source = '';
  #from = 0;
  #to = 0;
  /** Four numbers per range: start line − base, start character, end line − base, end character. */
  #data: Int32Array = builder.data;
  #offset: number;
  /** How many numbers the block has (its ranges come first, four numbers each). */
  #size = 0;
  /** Ranges built so far, by offset / 4. */
  #built: (Range | undefined)[] | null = null;
  #builtBase = -1;
  request: HttpRequest | null = null;
  /** Directives of a block without a request line (they can only be file-level). */
  orphanDirectives: readonly Directive[] = NONE;
  variables: readonly VariableDefinition[] = NONE;
  diagnostics: readonly ParseDiagnostic[] = NONE;

  constructor(
    base: number,
    /** Lines from the first line to the end of the block, separator included. */
    readonly lineCount: number,
  ) {
    this.base = base;
    this.#offset = builder.length;
  }

  /** The block's lines joined with `\n` (a CRLF file's blocks keep their `\r`): an edit re-reads them. */
  get text(): string {
    if (this.#from > 0 || this.#to < this.#source.length) {
      this.#source = this.#source.slice(this.#from, this.#to);
      this.#from = 0;
      this.#to = this.#source.length;
    }
    return this.#source;
  }

  /** The block's text is source[from, to): kept as offsets, sliced only if an edit needs it. */
  textIn(source: string, from: number, to: number): void {
    this.#source = source;
    this.#from = from;
    this.#to = to;
  }

  /** Starts reading blocks of `lineCount` lines: ranges added from now on are kept by `finish`. */
  static begin(lineCount: number): void {
    builder.length = 0;
    // Most lines hold at most one range; the rest grows by doubling.
    builder.reserve(2 * lineCount + 64);
  }

  /** Gives the blocks read since `begin` their numbers. */
  static finish(blocks: readonly Block[]): void {
    const data = builder.data.slice(0, builder.length);
    for (let k = 0; k < blocks.length; k++) {
      const block = blocks[k];
      block.#data = data;
      block.#size = (k + 1 < blocks.length ? blocks[k + 1].#offset : builder.length) - block.#offset;
    }
    // Do not hold on to a whole document's worth of scratch space.
    if (builder.data.length > 65536) builder.data = new Int32Array(4096);
    forgetWords();
  }

  /** Stores a range given in document lines; returns its offset among the block's numbers. */
  add(startLine: number, startChar: number, endLine: number, endChar: number): number {
    builder.reserve(7);
    const data = builder.data;
    // Ranges sit at multiples of four from the block's start, so `range` can index its cache by offset / 4.
    let at = builder.length;
    while ((at - this.#offset) & 3) at++;
    data[at] = startLine - this.base;
    data[at + 1] = startChar;
    data[at + 2] = endLine - this.base;
    data[at + 3] = endChar;
    builder.length = at + 4;
    return at - this.#offset;
  }

  /** Stores a number that is not a range; returns its offset. */
  addNumber(n: number): number {
    builder.reserve(1);
    builder.data[builder.length] = n;
    return builder.length++ - this.#offset;
  }

  number(o: number): number {
    return this.#data[this.#offset + o];
  }

  /** The range stored at `o`, built on first read and again after the block moved. */
  range(o: number): Range {
    if (this.#built === null || this.#builtBase !== this.base) {
      this.#built = new Array((this.#size + 3) >> 2);
      this.#builtBase = this.base;
    }
    let r = this.#built[o >> 2];
    if (r === undefined) {
      const data = this.#data;
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

export class RequestRangesNode implements RequestRanges {
  readonly #block: Block;
  /** Where the block holds the offsets of block, requestLine, method, url, headers, body (-1: none). */
  readonly #table: number;

  constructor(block: Block, table: number) {
    this.#block = block;
    this.#table = table;
  }

  #get(k: number): Range | null {
    const o = this.#block.number(this.#table + k);
    return o < 0 ? null : this.#block.range(o);
  }

  get block(): Range {
    return this.#get(0)!;
  }
  get requestLine(): Range {
    return this.#get(1)!;
  }
  get method(): Range | null {
    return this.#get(2);
  }
  get url(): Range {
    return this.#get(3)!;
  }
  get headers(): Range | null {
    return this.#get(4);
  }
  get body(): Range | null {
    return this.#get(5);
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
