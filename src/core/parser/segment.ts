// One block of a `.http` file: the lines between two `###` separators.
// Reads, in order: a preamble (comments, directives, `@var = value`,
// pre-request scripts), the request line and its continuation lines,
// headers, a body, then response handlers and output redirects. Lines are
// read in place in the source text; strings are made only for what the
// model keeps, and for the rare lines the regular expressions read.
// A parse reads each block up to its request line; the rest is read when
// first asked for, by running the same code over the whole block (block.ts).
import {
  Block,
  BlockRest,
  BodyNode,
  DiagnosticNode,
  DirectiveNode,
  FilePartNode,
  FileReferenceNode,
  HeaderNode,
  NONE,
  RedirectNode,
  RequestNode,
  ScriptNode,
  VariableNode,
} from './block';
import { parseCurl } from './curl';
import {
  indentIn,
  isBlankIn,
  isSeparatorIn,
  isCommentIn,
  matchDirectiveIn,
  matchHeaderIn,
  matchSeparatorIn,
  matchVariable,
  skipWs,
  trimmedEndIn,
  trimWsEnd,
} from './lines';
import type {
  BodyPart,
  Directive,
  FileReference,
  Header,
  OutputRedirect,
  ParseDiagnostic,
  RequestBody,
  ScriptBlock,
  Severity,
  VariableDefinition,
} from './model';
import { parseRequestLineIn, splitVersion } from './requestLine';
import { Source } from './source';
import { useWords } from './words';

const HANDLER_INLINE = /^\s*>\s*\{%/;
const REDIRECT = /^\s*>>(!?)\s*(\S.*?)\s*$/;
const HANDLER_FILE = /^\s*>\s*(\S.*?)\s*$/;
const PRE_SCRIPT_INLINE = /^\s*<\s*\{%/;
const PRE_SCRIPT_FILE = /^\s*<\s+(\S.*?)\s*$/;
const FILE_REFERENCE = /^<(?:@(\w*))?\s+(\S.*?)\s*$/;
const CURL = /^\s*curl(?:\s|$)/;

const NO_SOURCE = new Source('');
const NO_BLOCK = new Block(NO_SOURCE, 0, 1);

/** Reads blocks, one at a time; state shared by the steps of reading a block. */
class SegmentReader {
  source = NO_SOURCE;
  text = '';
  starts = NO_SOURCE.starts;
  ends = NO_SOURCE.ends;
  block = NO_BLOCK;
  /** The line after the block. */
  end = 0;
  diagnostics: ParseDiagnostic[] | null = null;
  scripts: ScriptBlock[] | null = null;
  /** Last line of the last script read after the request line (an unclosed one runs to the block's end). */
  lastScriptLine = -1;
  // What readRequestLine read.
  method = '';
  url = '';
  httpVersion: string | null = null;
  methodAt = -1;
  urlAt = -1;

  /** Starts reading `block`. */
  begin(block: Block): void {
    const source = block.source;
    if (source !== this.source) {
      this.source = source;
      this.text = source.text;
      this.starts = source.starts;
      this.ends = source.ends;
      useWords(source === NO_SOURCE ? null : source.words, source.text);
    }
    this.block = block;
    this.end = block.firstLine + block.lineCount;
    this.diagnostics = null;
    this.scripts = null;
    this.lastScriptLine = -1;
  }

  /** Offset of line i's first non-white-space character in the text, or -1 for a blank line. */
  indent(i: number): number {
    return indentIn(this.text, this.starts[i], this.ends[i]);
  }

  isBlank(i: number): boolean {
    return isBlankIn(this.text, this.starts[i], this.ends[i]);
  }

  isComment(i: number): boolean {
    return isCommentIn(this.text, this.starts[i], this.ends[i]);
  }

  /** `>` first on the line: a response handler or output redirect, which ends the body. */
  isHandlerLine(i: number): boolean {
    const k = this.indent(i);
    return k >= 0 && this.text.charCodeAt(k) === 62 /* > */;
  }

  /** `< {%` first on the line: a pre-request script starts here (never a file reference). */
  isPreScript(i: number): boolean {
    const k = this.indent(i);
    if (k < 0 || this.text.charCodeAt(k) !== 60 /* < */) return false;
    const e = this.ends[i];
    const m = skipWs(this.text, k + 1, e);
    return m + 1 < e && this.text.charCodeAt(m) === 123 /* { */ && this.text.charCodeAt(m + 1) === 37 /* % */;
  }

  isIndented(i: number): boolean {
    if (this.starts[i] >= this.ends[i]) return false;
    const c = this.text.charCodeAt(this.starts[i]);
    return c === 32 || c === 9;
  }

  length(i: number): number {
    return this.ends[i] - this.starts[i];
  }

  /** Range of the line's text without its leading and trailing white space. */
  trimmed(i: number, indent = this.indent(i)): number {
    const start = this.starts[i];
    const first = indent < 0 ? 0 : indent - start;
    return this.block.add(i, first, i, trimmedEndIn(this.text, start, this.ends[i]) - start);
  }

  /** Lets go of the last block and its source. */
  release(): void {
    this.begin(NO_BLOCK);
  }

  report(at: number, severity: Severity, code: string, message: string): void {
    this.diagnostics = append(this.diagnostics, new DiagnosticNode(severity, code, message, this.block, at));
  }

  /** Reads a `{% ... %}` script starting on line i; returns its content and last line. */
  readScript(i: number): { content: string; last: number } {
    const source = this.source;
    const first = source.line(i);
    const open = first.indexOf('{%') + 2;
    const closeSame = first.indexOf('%}', open);
    if (closeSame >= 0) return { content: first.slice(open, closeSame).trim(), last: i };
    const body = [first.slice(open)];
    for (let k = i + 1; k < this.end; k++) {
      const line = source.line(k);
      const close = line.indexOf('%}');
      if (close >= 0) {
        body.push(line.slice(0, close));
        return { content: body.join('\n').trim(), last: k };
      }
      body.push(line);
    }
    this.report(
      this.trimmed(i),
      'error',
      'unterminated-script',
      'Script block `{%` is never closed with `%}` in this request.',
    );
    return { content: body.join('\n').trim(), last: this.end - 1 };
  }

  /** A `< {% ... %}` script at line i; returns its last line. */
  preScript(i: number): number {
    const { content, last } = this.readScript(i);
    const at = this.block.add(i, 0, last, this.length(last));
    this.scripts = append(this.scripts, new ScriptNode('inline', content, this.block, at));
    return last;
  }

  /** A `< {% ... %}` script after the request line: kept as the request's script, with a warning; returns its last line. */
  misplacedScript(i: number): number {
    const last = this.preScript(i);
    this.report(
      this.trimmed(i),
      'warning',
      'misplaced-script',
      'A pre-request script belongs above the request line; this one is read as the request’s script, not sent.',
    );
    this.lastScriptLine = last;
    return last;
  }

  /** A response handler or output redirect before any request line: it has no request to run for. */
  orphanHandler(i: number): number {
    const last = HANDLER_INLINE.test(this.source.line(i)) ? this.readScript(i).last : i;
    this.report(
      this.trimmed(i),
      'warning',
      'handler-without-request',
      'A response handler or output redirect needs a request line above it in its block; this one is ignored.',
    );
    return last;
  }

  /** Reads the request line i and its continuation lines into method, url, ...; returns the line after them. */
  readRequestLine(i: number): number {
    const { text, starts, ends, end, block } = this;
    const plain = this.source.plain;
    const parts = parseRequestLineIn(text, starts[i], ends[i], plain);
    const method = parts.method;
    let httpVersion = parts.httpVersion;
    const methodAt =
      parts.methodStart >= 0 ? block.add(i, parts.methodStart, i, parts.methodStart + method.length) : -1;
    let url = parts.url;
    let urlEndLine = i;
    let urlEndChar = parts.urlStart + parts.url.length;
    // Continuation lines: `?`/`&` (REST Client) or any indented line (JetBrains) that is not a header.
    let j = i + 1;
    for (; j < end; j++) {
      const s = starts[j];
      const e = ends[j];
      if (isBlankIn(text, s, e)) break;
      const c = text.charCodeAt(s);
      // Most lines start with a letter: a header, not a continuation.
      if (c > 32 && c < 127 && c !== 63 /* ? */ && c !== 38 /* & */) break;
      const from = skipWs(text, s, e);
      const to = trimWsEnd(text, from, e);
      const lead = from < to ? text.charCodeAt(from) : -1;
      const continues =
        lead === 63 ||
        lead === 38 ||
        (this.isIndented(j) && !this.isComment(j) && !matchHeaderIn(text, from, to, plain));
      if (!continues) break;
      const { rest, version } = splitVersion(text.slice(from, to));
      url += rest.trimEnd();
      if (version) httpVersion = version;
      urlEndLine = j;
      urlEndChar = from - s + rest.trimEnd().length;
    }
    this.method = method;
    this.url = url;
    this.httpVersion = httpVersion;
    this.methodAt = methodAt;
    this.urlAt = block.add(i, parts.urlStart, urlEndLine, urlEndChar);
    return j;
  }

  /** The body from line `from` on, its range's offset, and the line after it. */
  readBody(from: number): { body: RequestBody | null; at: number; next: number } {
    const { source, text, starts, ends, end, block } = this;
    let first = from;
    for (;;) {
      while (first < end && this.isBlank(first)) first++;
      // A script between the headers and the body is not body.
      if (first < end && this.isPreScript(first)) first = this.misplacedScript(first) + 1;
      else break;
    }
    let stop = first;
    while (stop < end && !this.isHandlerLine(stop) && !this.isPreScript(stop)) stop++;
    let last = stop - 1;
    while (last >= first && this.isBlank(last)) last--;
    // Comment lines after a blank line at the end of a block are notes, not body:
    // JetBrains and httpYac files put them there, and a JSON body never ends so.
    let tail = last;
    while (tail >= first && (this.isComment(tail) || this.isBlank(tail))) tail--;
    if (tail < first) return { body: null, at: -1, next: stop };
    for (let k = tail + 1; k <= last; k++) {
      if (this.isBlank(k)) {
        last = k - 1;
        break;
      }
    }
    const bodyText = source.join(first, last);
    let parts: BodyPart[] | null = null;
    let file: FileReference | null = null;
    let runStart = first;
    // Text runs keep the newlines around a file line, so the parts concatenate to the body as sent.
    let prefix = '';
    for (let k = first; k <= last; k++) {
      if (starts[k] >= ends[k] || text.charCodeAt(starts[k]) !== 60 /* < */) continue;
      const ref = FILE_REFERENCE.exec(source.line(k));
      if (!ref) continue;
      parts ??= [];
      if (k > runStart) parts.push({ kind: 'text', text: `${prefix}${source.join(runStart, k - 1)}\n` });
      else if (prefix) parts.push({ kind: 'text', text: prefix });
      const path = ref[2];
      const processVariables = ref[1] !== undefined;
      const encoding = ref[1] ? ref[1] : null;
      const at = this.trimmed(k);
      file = new FileReferenceNode(path, processVariables, encoding, block, at);
      parts.push(new FilePartNode(path, processVariables, encoding, block, at));
      runStart = k + 1;
      prefix = k < last ? '\n' : '';
    }
    if (parts !== null && runStart <= last) {
      parts.push({ kind: 'text', text: prefix + source.join(runStart, last) });
    }
    const onlyFile = first === last && file !== null ? file : null;
    const at = block.add(first, 0, last, this.length(last));
    return { body: new BodyNode(bodyText, parts, onlyFile, block, at), at, next: stop };
  }
}

/**
 * Reads source lines [start, end) into a block; `separatorLine` is the `###`
 * line before them, or -1. Unless `whole`, reads up to the request line only.
 */
export function parseSegment(
  source: Source,
  start: number,
  end: number,
  separatorLine: number,
  whole: boolean,
): Block {
  const first = separatorLine >= 0 ? separatorLine : start;
  const block = new Block(source, first, end - first);
  if (whole || !read(block, false)) {
    block.rewind();
    read(block, true);
  }
  return block;
}

/** One reader for every block: it is told which block to read. */
const reader = new SegmentReader();

/** Lets go of the last block read and its source. */
export function forgetReader(): void {
  reader.release();
}

Block.readWhole = (blocks) => {
  try {
    for (const block of blocks) {
      block.restart();
      read(block, true);
    }
  } finally {
    reader.release();
  }
};

/**
 * Reads the block up to and including its request line, or (`whole`) all of
 * it; returns false when the head alone cannot stand for the block (no
 * request line, a curl command: both are read whole). A block whose head
 * was read is read again from its first line, so the head is read by the
 * same steps both times and stores the same ranges at the same offsets.
 */
function read(block: Block, whole: boolean): boolean {
  const source = block.source;
  const { text, starts, ends, plain } = source;
  // Only a source's first block can start on a line that is not `###`.
  const separated = isSeparatorIn(text, starts[block.firstLine], ends[block.firstLine], plain);
  const separatorLine = separated ? block.firstLine : -1;
  const start = separated ? block.firstLine + 1 : block.firstLine;
  const end = block.firstLine + block.lineCount;
  /** The head was read before: the request and the file variables exist already. */
  const again = block.request !== null;
  reader.begin(block);
  let variables: VariableDefinition[] | null = null;
  let directives: Directive[] | null = null;
  /** Value of the last `# @name`. */
  let nameValue: string | true | null = null;

  // Preamble.
  let i = start;
  for (; i < end; i++) {
    const s = starts[i];
    const e = ends[i];
    const first = indentIn(text, s, e);
    if (first < 0) continue;
    const lead = text.charCodeAt(first);
    if (lead === 35 /* # */ || (lead === 47 /* / */ && first + 1 < e && text.charCodeAt(first + 1) === 47)) {
      const d = matchDirectiveIn(text, s, e, plain);
      if (d) {
        const at = reader.trimmed(i, first);
        let value = d.value;
        if (d.name === 'name') {
          nameValue = value;
          // The request's name and its directive share one string.
          if (again && value === block.request!.name) value = block.request!.name;
        }
        if (whole) directives = append(directives, new DirectiveNode(d.name, value, block, at));
      }
      continue;
    }
    if (lead === 62 /* > */) {
      i = reader.orphanHandler(i);
      continue;
    }
    if (lead !== 64 /* @ */ && lead !== 60 /* < */) break;
    const line = source.line(i);
    const v = matchVariable(line);
    if (v) {
      const range = reader.trimmed(i);
      const nameRange = block.add(i, v.nameStart, i, v.nameStart + v.name.length);
      if (!again) variables = append(variables, new VariableNode(v.name, v.value, block, range, nameRange));
      continue;
    }
    if (lead === 64) {
      reader.report(
        reader.trimmed(i),
        'error',
        'bad-variable',
        'A file variable is written `@name = value`.',
      );
      continue;
    }
    if (PRE_SCRIPT_INLINE.test(line)) {
      i = reader.preScript(i);
      continue;
    }
    const pre = PRE_SCRIPT_FILE.exec(line);
    if (pre) {
      reader.scripts = append(reader.scripts, new ScriptNode('file', pre[1], block, reader.trimmed(i)));
      continue;
    }
    break;
  }
  const preRequestScripts = reader.scripts;
  reader.scripts = null;
  if (i >= end) {
    if (!whole) return false;
    block.variables = variables ?? NONE;
    block.rest = BlockRest.withoutRequest(exact(directives), reader.diagnostics ?? NONE);
    return true;
  }

  const requestLineNo = i;
  let headers: Header[] | null = null;
  let method: string;
  let url: string;
  let httpVersion: string | null;
  let requestLineAt: number;
  let methodAt = -1;
  let urlAt: number;
  let headersAt = -1;
  let body: RequestBody | null = null;
  let bodyAt = -1;
  let fromCurl = false;
  let next: number;

  const lineStart = starts[i];
  const first = indentIn(text, lineStart, ends[i]);
  const c0 = text.charCodeAt(first);
  // CURL.test, run only on lines that can match it.
  if ((c0 === 99 /* c */ || c0 === 10 || c0 > 127) && CURL.test(source.line(i))) {
    if (!whole) return false;
    // A curl command runs until a line that does not end in a backslash.
    let last = i;
    while (last + 1 < end && source.line(last).trimEnd().endsWith('\\')) last++;
    const lines: string[] = [];
    for (let k = i; k <= last; k++) lines.push(source.line(k));
    const curl = parseCurl(lines.join('\n'));
    const requestLineText = lines[0];
    const command = block.add(
      i,
      requestLineText.length - requestLineText.trimStart().length,
      last,
      reader.length(last),
    );
    requestLineAt = reader.trimmed(i);
    fromCurl = true;
    method = curl.method;
    url = curl.url;
    httpVersion = curl.httpVersion;
    urlAt = command;
    for (const [name, value] of curl.headers)
      headers = append(headers, new HeaderNode(name, value, block, command));
    if (curl.headers.length > 0) headersAt = command;
    if (curl.body !== null) {
      body = new BodyNode(curl.body, null, null, block, command);
      bodyAt = command;
    }
    if (curl.insecure) directives = append(directives, new DirectiveNode('insecure', true, block, command));
    for (const w of curl.warnings) reader.report(command, 'warning', 'curl-option', w);
    if (!url) reader.report(command, 'error', 'missing-url', 'The curl command has no URL.');
    next = last + 1;
  } else {
    let j: number;
    if (again) {
      // The head was read: store its ranges again, in the same order, instead of reading the lines again.
      const request = block.request!;
      method = request.method;
      url = request.url;
      httpVersion = request.httpVersion;
      if (block.methodAt >= 0) methodAt = block.addAgain(block.methodAt);
      urlAt = block.addAgain(block.urlAt);
      requestLineAt = block.addAgain(block.requestLineAt);
      j = block.restLine;
    } else {
      j = reader.readRequestLine(i);
      method = reader.method;
      url = reader.url;
      httpVersion = reader.httpVersion;
      methodAt = reader.methodAt;
      urlAt = reader.urlAt;
      requestLineAt = reader.trimmed(i);
    }
    if (!url)
      reader.report(
        requestLineAt,
        'error',
        'missing-url',
        `The request line has a method (${method}) but no URL.`,
      );

    if (!whole) {
      const name = requestName(source, separatorLine, nameValue);
      block.request = new RequestNode(block, name, method, url, httpVersion, false);
      block.variables = variables ?? NONE;
      block.requestLineAt = requestLineAt;
      block.methodAt = methodAt;
      block.urlAt = urlAt;
      block.restLine = j;
      return true;
    }

    // Headers, up to the blank line.
    let firstHeader = -1;
    let lastHeader = -1;
    let bodyStart = -1;
    for (; j < end; j++) {
      const s = starts[j];
      const e = ends[j];
      const indent = indentIn(text, s, e);
      if (indent < 0) {
        bodyStart = j + 1;
        break;
      }
      const c = text.charCodeAt(indent);
      if (c === 62 /* > */) break;
      if (c === 35 /* # */ || (c === 47 /* / */ && indent + 1 < e && text.charCodeAt(indent + 1) === 47))
        continue;
      if (c === 60 /* < */ && reader.isPreScript(j)) {
        j = reader.misplacedScript(j);
        continue;
      }
      const h = matchHeaderIn(text, reader.isIndented(j) ? skipWs(text, s, e) : s, e, plain);
      if (h) {
        headers = append(headers, new HeaderNode(h.name, h.value, block, reader.trimmed(j, indent)));
        if (firstHeader < 0) firstHeader = j;
        lastHeader = j;
        continue;
      }
      reader.report(
        reader.trimmed(j),
        'warning',
        'missing-blank-line',
        'This line is not a header (`Name: value`), so it starts the body; put a blank line between headers and body.',
      );
      bodyStart = j;
      break;
    }
    if (firstHeader >= 0) {
      const lastEnd = trimmedEndIn(text, starts[lastHeader], ends[lastHeader]) - starts[lastHeader];
      headersAt = block.add(firstHeader, 0, lastHeader, lastEnd);
    }
    next = j;
    if (bodyStart >= 0) {
      const parsed = reader.readBody(bodyStart);
      body = parsed.body;
      bodyAt = parsed.at;
      next = parsed.next;
    }
  }

  // Response handlers and output redirects; nothing after them is sent.
  let responseHandlers: ScriptBlock[] | null = null;
  let outputRedirects: OutputRedirect[] | null = null;
  let lastContent = next - 1;
  while (lastContent > requestLineNo && reader.isBlank(lastContent)) lastContent--;
  if (reader.lastScriptLine > lastContent) lastContent = reader.lastScriptLine;
  for (let k = next; k < end; k++) {
    if (reader.isBlank(k)) continue;
    lastContent = k;
    if (reader.isComment(k)) continue;
    const line = source.line(k);
    if (HANDLER_INLINE.test(line)) {
      const { content, last } = reader.readScript(k);
      const at = block.add(k, 0, last, reader.length(last));
      responseHandlers = append(responseHandlers, new ScriptNode('inline', content, block, at));
      k = lastContent = last;
      continue;
    }
    const redirect = REDIRECT.exec(line);
    if (redirect) {
      const at = reader.trimmed(k);
      outputRedirects = append(
        outputRedirects,
        new RedirectNode(redirect[2], redirect[1] === '!', block, at),
      );
      continue;
    }
    const handler = HANDLER_FILE.exec(line);
    if (handler) {
      responseHandlers = append(
        responseHandlers,
        new ScriptNode('file', handler[1], block, reader.trimmed(k)),
      );
      continue;
    }
    if (PRE_SCRIPT_INLINE.test(line)) {
      k = lastContent = reader.misplacedScript(k);
      continue;
    }
    reader.report(
      reader.trimmed(k),
      'warning',
      'ignored-line',
      'This line comes after a response handler or script and is ignored.',
    );
  }

  const blockAt = block.add(block.firstLine, 0, lastContent, reader.length(lastContent));
  if (!again) {
    const name = requestName(source, separatorLine, nameValue);
    block.request = new RequestNode(block, name, method, url, httpVersion, fromCurl);
    block.variables = variables ?? NONE;
    block.requestLineAt = requestLineAt;
    block.methodAt = methodAt;
    block.urlAt = urlAt;
  }
  block.rest = new BlockRest(
    NONE,
    reader.diagnostics ?? NONE,
    exact(headers),
    body,
    exact(directives),
    concat(preRequestScripts, reader.scripts),
    responseHandlers ?? NONE,
    outputRedirects ?? NONE,
    blockAt,
    headersAt,
    bodyAt,
  );
  return true;
}

/** `# @name` wins over the `###` separator's text. */
function requestName(source: Source, separatorLine: number, nameValue: string | true | null): string | null {
  if (typeof nameValue === 'string') return nameValue;
  if (separatorLine < 0) return null;
  return matchSeparatorIn(source.text, source.starts[separatorLine], source.ends[separatorLine]) || null;
}

/** Lists are made on their first item: most blocks have no diagnostics, variables or scripts. */
function append<T>(list: T[] | null, item: T): T[] {
  if (list === null) return [item];
  list.push(item);
  return list;
}

/** The list without the spare room pushing leaves in it, or the shared empty list. */
function exact<T>(list: T[] | null): readonly T[] {
  return list === null ? NONE : list.slice();
}

function concat<T>(a: readonly T[] | null, b: readonly T[] | null): readonly T[] {
  if (a === null) return b ?? NONE;
  return b === null ? a : [...a, ...b];
}
