// Whole-document parsing, and re-parsing after an edit by re-reading only
// the blocks the edit touched: a `###` line always ends a block, so blocks
// never influence each other's reading.
import { matchSeparator, splitLines } from './lines';
import type {
  Directive,
  HttpDocument,
  HttpRequest,
  ParseDiagnostic,
  Range,
  VariableDefinition,
} from './model';
import { parseSegment, type SegmentResult } from './segment';

/** Directives that, written before the first request line, apply to every request of the file. */
export const FILE_LEVEL_DIRECTIVES: ReadonlySet<string> = new Set(['session', 'default-header']);

interface Segment {
  /** The `###` line opening it, or -1 for the block at the top of the file. */
  separator: number;
  start: number;
  end: number;
  result: SegmentResult;
}

export function parseHttp(text: string): HttpDocument {
  return new HttpDocumentParser(text).document;
}

/** Keeps the lines and blocks of one document so that edits re-parse only what they touch. */
export class HttpDocumentParser {
  private lines: string[];
  private segments: Segment[];
  private current: HttpDocument;

  constructor(text: string) {
    this.lines = splitLines(text);
    this.segments = readSegments(this.lines, 0, this.lines.length, -1);
    this.current = assemble(this.segments, this.lines.length);
  }

  get document(): HttpDocument {
    return this.current;
  }

  /**
   * Replaces `deleteCount` whole lines starting at `startLine` with `newLines`
   * (an edit inside one line is 1 line replaced by 1) and returns the new model.
   */
  applyEdit(startLine: number, deleteCount: number, newLines: readonly string[]): HttpDocument {
    const lines = this.lines;
    const n = lines.length;
    startLine = Math.max(0, Math.min(startLine, n));
    deleteCount = Math.max(0, Math.min(deleteCount, n - startLine));
    lines.splice(startLine, deleteCount, ...newLines);
    let delta = newLines.length - deleteCount;
    // A document always has at least one (possibly empty) line.
    if (lines.length === 0) {
      lines.push('');
      delta++;
    }

    // Blocks overlapping [startLine, startLine + deleteCount], widened by one block
    // each side: the edit may have added or removed the `###` line between them.
    const segs = this.segments;
    let first = findSegment(segs, startLine);
    let last = findSegment(segs, startLine + deleteCount);
    if (first > 0) first--;
    if (last < segs.length - 1) last++;
    const from = segs[first].separator >= 0 ? segs[first].separator : segs[first].start;
    const to = segs[last].end + delta;
    const separatorAbove = first === 0 ? -1 : segs[first].separator;
    const replaced = readSegments(lines, from, to, separatorAbove >= 0 ? -2 : -1);
    for (let k = last + 1; k < segs.length; k++) shiftSegment(segs[k], delta);
    segs.splice(first, last - first + 1, ...replaced);
    this.current = assemble(segs, lines.length);
    return this.current;
  }
}

/**
 * Splits lines[from, to) into blocks. `leading` = -1 means lines[from] starts a
 * block without separator (top of file); -2 means lines[from] is a `###` line.
 */
function readSegments(lines: readonly string[], from: number, to: number, leading: number): Segment[] {
  const out: Segment[] = [];
  let separator = leading === -2 ? from : -1;
  let start = leading === -2 ? from + 1 : from;
  for (let i = start; i < to; i++) {
    if (lines[i].charCodeAt(0) === 35 && matchSeparator(lines[i]) !== null) {
      if (i > start || separator >= 0) {
        out.push({ separator, start, end: i, result: parseSegment(lines, start, i, separator) });
      }
      separator = i;
      start = i + 1;
    }
  }
  out.push({ separator, start, end: to, result: parseSegment(lines, start, to, separator) });
  return out;
}

function findSegment(segs: readonly Segment[], line: number): number {
  let lo = 0;
  let hi = segs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const begin = segs[mid].separator >= 0 ? segs[mid].separator : segs[mid].start;
    if (begin <= line) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function shiftSegment(seg: Segment, delta: number): void {
  if (delta === 0) return;
  if (seg.separator >= 0) seg.separator += delta;
  seg.start += delta;
  seg.end += delta;
  for (const r of seg.result.ranges) {
    (r.start as { line: number }).line += delta;
    (r.end as { line: number }).line += delta;
  }
}

function assemble(segs: readonly Segment[], lineCount: number): HttpDocument {
  const requests: HttpRequest[] = [];
  const variables: VariableDefinition[] = [];
  const fileDirectives: Directive[] = [];
  const diagnostics: ParseDiagnostic[] = [];
  const names = new Map<string, HttpRequest>();
  for (const seg of segs) {
    const r = seg.result;
    for (const v of r.variables) variables.push(v);
    for (const d of r.diagnostics) diagnostics.push(d);
    if (requests.length === 0) {
      for (const d of r.orphanDirectives) if (FILE_LEVEL_DIRECTIVES.has(d.name)) fileDirectives.push(d);
    }
    let request = r.request;
    if (!request) continue;
    if (requests.length === 0 && request.directives.some((d) => FILE_LEVEL_DIRECTIVES.has(d.name))) {
      const own: Directive[] = [];
      for (const d of request.directives) (FILE_LEVEL_DIRECTIVES.has(d.name) ? fileDirectives : own).push(d);
      request = { ...request, directives: own };
    }
    if (request.name !== null) {
      const earlier = names.get(request.name);
      if (earlier) {
        diagnostics.push({
          range: nameRange(request),
          severity: 'warning',
          code: 'duplicate-name',
          message: `Another request above (line ${earlier.ranges.requestLine.start.line + 1}) is already named "${request.name}"; references use the first.`,
        });
      } else names.set(request.name, request);
    }
    requests.push(request);
  }
  return { requests, variables, fileDirectives, diagnostics, lineCount };
}

function nameRange(request: HttpRequest): Range {
  for (const d of request.directives) if (d.name === 'name') return d.range;
  return request.ranges.requestLine;
}
