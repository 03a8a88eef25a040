// Whole-document parsing, and re-parsing after an edit by re-reading only
// the blocks the edit touched: a `###` line always ends a block, so blocks
// never influence each other's reading. Each block keeps where its text is,
// so the document is never held as an array of lines: an edit splits only
// the blocks it touches. Blocks below an edit that adds or removes lines
// move by one number each (see block.ts); the document's arrays are then
// rebuilt from the blocks, which costs a few pointer copies per block and
// no parsing. Blocks are read up to their request line; the document's
// diagnostics, which need every block read whole, are gathered when first
// asked for.
import { Block } from './block';
import { isSeparatorIn, splitLines } from './lines';
import type { Directive, HttpDocument, HttpRequest, ParseDiagnostic, VariableDefinition } from './model';
import { forgetReader, parseSegment } from './segment';
import { Source } from './source';

/** Directives that, written before the first request line, apply to every request of the file. */
export const FILE_LEVEL_DIRECTIVES: ReadonlySet<string> = new Set(['session', 'default-header']);

export function parseHttp(text: string, options?: ParseOptions): HttpDocument {
  return new HttpDocumentParser(text, options).document;
}

export interface ParseOptions {
  /**
   * Read every block whole now, not up to its request line with the rest
   * read when first asked for: cheaper for a caller that reads every part
   * of every request at once.
   */
  readonly whole?: boolean;
}

/** Keeps the blocks of one document so that edits re-parse only what they touch. */
export class HttpDocumentParser {
  private readonly blocks: Block[];
  private lineCount: number;
  private readonly names = new NameCounts();
  private current: HttpDocument;
  private readonly whole: boolean;

  constructor(text: string, options: ParseOptions = {}) {
    this.whole = options.whole ?? false;
    this.blocks = readBlocks(new Source(text), 0, this.whole);
    const last = this.blocks[this.blocks.length - 1];
    this.lineCount = last.base + last.lineCount;
    for (const block of this.blocks) this.names.add(block.request);
    this.current = assemble(this.blocks, this.lineCount, this.names);
  }

  get document(): HttpDocument {
    return this.current;
  }

  /**
   * Replaces `deleteCount` whole lines starting at `startLine` with `newLines`
   * (lines without their line break; an edit inside one line is 1 line replaced
   * by 1) and returns the new model.
   * Models returned earlier keep their arrays, but requests the edit did not
   * touch are shared with the new model and report their new positions.
   */
  applyEdit(startLine: number, deleteCount: number, newLines: readonly string[]): HttpDocument {
    const blocks = this.blocks;
    const n = this.lineCount;
    startLine = Math.max(0, Math.min(startLine, n));
    deleteCount = Math.max(0, Math.min(deleteCount, n - startLine));
    // Blocks overlapping [startLine, startLine + deleteCount], widened by one block
    // each side: the edit may have added or removed the `###` line between them.
    let first = blockAt(blocks, startLine);
    let last = blockAt(blocks, startLine + deleteCount);
    if (first > 0) first--;
    if (last < blocks.length - 1) last++;
    const from = blocks[first].base;

    const lines: string[] = [];
    for (let k = first; k <= last; k++) for (const line of splitLines(blocks[k].text)) lines.push(line);
    const before = lines.length;
    replaceLines(lines, startLine - from, deleteCount, newLines);
    // A document always has at least one (possibly empty) line.
    if (lines.length === 0) lines.push('');
    const delta = lines.length - before;

    const replaced = readBlocks(new Source(lines.join('\n')), from, this.whole);
    if (delta !== 0) for (let k = last + 1; k < blocks.length; k++) blocks[k].base += delta;
    for (let k = first; k <= last; k++) this.names.remove(blocks[k].request);
    for (const block of replaced) this.names.add(block.request);
    if (replaced.length === last - first + 1) {
      for (let k = 0; k < replaced.length; k++) blocks[first + k] = replaced[k];
    } else blocks.splice(first, last - first + 1, ...replaced);
    this.lineCount += delta;
    this.current = assemble(blocks, this.lineCount, this.names);
    return this.current;
  }
}

/** lines.splice(start, deleteCount, ...newLines), without spreading a large paste onto the stack. */
function replaceLines(
  lines: string[],
  start: number,
  deleteCount: number,
  newLines: readonly string[],
): void {
  if (newLines.length === 1 && deleteCount === 1) lines[start] = newLines[0];
  else if (newLines.length < 10_000) lines.splice(start, deleteCount, ...newLines);
  else {
    const tail = lines.splice(start + deleteCount);
    lines.length = start;
    for (const line of newLines) lines.push(line);
    for (const line of tail) lines.push(line);
  }
}

/**
 * Splits the source into blocks and reads them (up to their request lines,
 * unless `whole`); the source's first line is document line `firstLine`.
 * Only the top of the file can start without a `###` line: an edit's source
 * always starts at one, or at line 0.
 */
function readBlocks(source: Source, firstLine: number, whole: boolean): Block[] {
  const { text, starts, ends, lineCount, plain } = source;
  Block.begin(lineCount);
  const blocks: Block[] = [];
  let separator = -1;
  let start = 0;
  try {
    for (let i = 0; i < lineCount; i++) {
      if (text.charCodeAt(starts[i]) === 35 && isSeparatorIn(text, starts[i], ends[i], plain)) {
        if (i > start || separator >= 0) blocks.push(parseSegment(source, start, i, separator, whole));
        separator = i;
        start = i + 1;
      }
    }
    blocks.push(parseSegment(source, start, lineCount, separator, whole));
  } finally {
    Block.finish(blocks);
    forgetReader();
  }
  if (firstLine !== 0) for (const block of blocks) block.base += firstLine;
  return blocks;
}

/** Index of the block that holds `line`. */
function blockAt(blocks: readonly Block[], line: number): number {
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (blocks[mid].base <= line) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** How many requests carry each name, so that a document without duplicates is not searched for them. */
class NameCounts {
  private readonly counts = new Map<string, number>();
  /** Names used by more than one request. */
  duplicated = 0;

  add(request: HttpRequest | null): void {
    if (request === null || request.name === null) return;
    const n = (this.counts.get(request.name) ?? 0) + 1;
    this.counts.set(request.name, n);
    if (n === 2) this.duplicated++;
  }

  remove(request: HttpRequest | null): void {
    if (request === null || request.name === null) return;
    const n = (this.counts.get(request.name) ?? 0) - 1;
    if (n > 0) this.counts.set(request.name, n);
    else this.counts.delete(request.name);
    if (n === 1) this.duplicated--;
  }

  isDuplicated(name: string): boolean {
    return (this.counts.get(name) ?? 0) > 1;
  }
}

function assemble(blocks: readonly Block[], lineCount: number, names: NameCounts): HttpDocument {
  const requests: HttpRequest[] = [];
  const variables: VariableDefinition[] = [];
  const fileDirectives: Directive[] = [];
  /** Duplicate-name warnings, by block: made now, so they say where the first request is now. */
  let duplicates: Map<Block, ParseDiagnostic> | null = null;
  const firstNamed = names.duplicated > 0 ? new Map<string, HttpRequest>() : null;
  for (let b = 0; b < blocks.length; b++) {
    const block = blocks[b];
    for (let k = 0; k < block.variables.length; k++) variables.push(block.variables[k]);
    if (requests.length === 0 && block.request === null) {
      // Blocks without a request are read whole.
      for (const d of block.rest!.orphanDirectives)
        if (FILE_LEVEL_DIRECTIVES.has(d.name)) fileDirectives.push(d);
    }
    let request: HttpRequest | null = block.request;
    if (request === null) continue;
    if (requests.length === 0 && request.directives.some((d) => FILE_LEVEL_DIRECTIVES.has(d.name))) {
      const own: Directive[] = [];
      for (const d of request.directives) (FILE_LEVEL_DIRECTIVES.has(d.name) ? fileDirectives : own).push(d);
      request = block.request!.withDirectives(own);
    }
    if (firstNamed !== null && request.name !== null && names.isDuplicated(request.name)) {
      const earlier = firstNamed.get(request.name);
      if (earlier) {
        duplicates ??= new Map();
        duplicates.set(block, {
          range: block.nameRange(),
          severity: 'warning',
          code: 'duplicate-name',
          message: `Another request above (line ${earlier.ranges.requestLine.start.line + 1}) is already named "${request.name}"; references use the first.`,
        });
      } else firstNamed.set(request.name, request);
    }
    requests.push(request);
  }
  // The blocks of this model, as they are now: later edits change the parser's list.
  const own = blocks.slice();
  let diagnostics: ParseDiagnostic[] | null = null;
  return {
    requests,
    variables,
    fileDirectives,
    get diagnostics(): ParseDiagnostic[] {
      diagnostics ??= gatherDiagnostics(own, duplicates);
      return diagnostics;
    },
    lineCount,
  };
}

/** Every block's diagnostics in order, each request's duplicate-name warning after its block's. */
function gatherDiagnostics(
  blocks: readonly Block[],
  duplicates: ReadonlyMap<Block, ParseDiagnostic> | null,
): ParseDiagnostic[] {
  Block.readRest(blocks);
  const diagnostics: ParseDiagnostic[] = [];
  for (let b = 0; b < blocks.length; b++) {
    const block = blocks[b];
    const own = block.rest!.diagnostics;
    for (let k = 0; k < own.length; k++) diagnostics.push(own[k]);
    const duplicate = duplicates?.get(block);
    if (duplicate) diagnostics.push(duplicate);
  }
  return diagnostics;
}
