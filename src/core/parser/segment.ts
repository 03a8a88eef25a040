// One block of a `.http` file: the lines between two `###` separators.
// Reads, in order: a preamble (comments, directives, `@var = value`,
// pre-request scripts), the request line and its continuation lines,
// headers, a body, then response handlers and output redirects. Lines are
// read in place in the source text; strings are made only for what the
// model keeps, and for the rare lines the regular expressions read.
import {
  Block,
  BodyNode,
  DiagnosticNode,
  DirectiveNode,
  FilePartNode,
  FileReferenceNode,
  HeaderNode,
  NONE,
  RedirectNode,
  RequestRangesNode,
  ScriptNode,
  VariableNode,
} from './block';
import { parseCurl } from './curl';
import {
  indentIn,
  isBlankIn,
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
import type { Source } from './source';

const HANDLER_INLINE = /^\s*>\s*\{%/;
const REDIRECT = /^\s*>>(!?)\s*(\S.*?)\s*$/;
const HANDLER_FILE = /^\s*>\s*(\S.*?)\s*$/;
const PRE_SCRIPT_INLINE = /^\s*<\s*\{%/;
const PRE_SCRIPT_FILE = /^\s*<\s+(\S.*?)\s*$/;
const FILE_REFERENCE = /^<(?:@(\w*))?\s+(\S.*?)\s*$/;
const CURL = /^\s*curl(?:\s|$)/;

/** Reads one block; state shared by the steps of reading it. */
class SegmentReader {
  readonly text: string;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  diagnostics: ParseDiagnostic[] | null = null;

  constructor(
    readonly source: Source,
    readonly end: number,
    readonly block: Block,
  ) {
    this.text = source.text;
    this.starts = source.starts;
    this.ends = source.ends;
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

  isHandlerLine(i: number): boolean {
    const k = this.indent(i);
    return k >= 0 && this.text.charCodeAt(k) === 62 /* > */;
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

  /** The body from line `from` on, its range's offset, and the line after it. */
  readBody(from: number): { body: RequestBody | null; at: number; next: number } {
    const { source, text, starts, ends, end, block } = this;
    let first = from;
    while (first < end && this.isBlank(first)) first++;
    let stop = first;
    while (stop < end && !this.isHandlerLine(stop)) stop++;
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

/** Parses lines [start, end) of the source; `separatorLine` is the `###` line before them, or -1. */
export function parseSegment(source: Source, start: number, end: number, separatorLine: number): Block {
  const { text, starts, ends, plain } = source;
  const blockStart = separatorLine >= 0 ? separatorLine : start;
  const block = new Block(blockStart, end - blockStart);
  const reader = new SegmentReader(source, end, block);
  let variables: VariableDefinition[] | null = null;
  const directives: Directive[] = [];
  let preRequestScripts: ScriptBlock[] | null = null;

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
      if (d) directives.push(new DirectiveNode(d.name, d.value, block, reader.trimmed(i, first)));
      continue;
    }
    if (lead !== 64 /* @ */ && lead !== 60 /* < */) break;
    const line = source.line(i);
    const v = matchVariable(line);
    if (v) {
      const range = reader.trimmed(i);
      const nameRange = block.add(i, v.nameStart, i, v.nameStart + v.name.length);
      variables = append(variables, new VariableNode(v.name, v.value, block, range, nameRange));
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
      const start = i;
      const { content, last } = reader.readScript(i);
      const at = block.add(start, 0, last, reader.length(last));
      preRequestScripts = append(preRequestScripts, new ScriptNode('inline', content, block, at));
      i = last;
      continue;
    }
    const pre = PRE_SCRIPT_FILE.exec(line);
    if (pre) {
      preRequestScripts = append(preRequestScripts, new ScriptNode('file', pre[1], block, reader.trimmed(i)));
      continue;
    }
    break;
  }
  if (variables !== null) block.variables = variables;
  if (i >= end) {
    block.orphanDirectives = exact(directives);
    if (reader.diagnostics !== null) block.diagnostics = reader.diagnostics;
    return block;
  }

  const requestLineNo = i;
  const headers: Header[] = [];
  let method: string;
  let url: string;
  let httpVersion: string | null;
  let methodRange = -1;
  let urlRange: number;
  let headersRange = -1;
  let body: RequestBody | null = null;
  let bodyRange = -1;
  let fromCurl = false;
  let next: number;

  const lineStart = starts[i];
  const first = indentIn(text, lineStart, ends[i]);
  const c0 = text.charCodeAt(first);
  // CURL.test, run only on lines that can match it.
  if ((c0 === 99 /* c */ || c0 === 10 || c0 > 127) && CURL.test(source.line(i))) {
    // A curl command runs until a line that does not end in a backslash.
    let last = i;
    while (last + 1 < end && source.line(last).trimEnd().endsWith('\\')) last++;
    const lines: string[] = [];
    for (let k = i; k <= last; k++) lines.push(source.line(k));
    const curl = parseCurl(lines.join('\n'));
    const requestLineText = lines[0];
    const whole = block.add(
      i,
      requestLineText.length - requestLineText.trimStart().length,
      last,
      reader.length(last),
    );
    fromCurl = true;
    method = curl.method;
    url = curl.url;
    httpVersion = curl.httpVersion;
    urlRange = whole;
    for (const [name, value] of curl.headers) headers.push(new HeaderNode(name, value, block, whole));
    if (curl.headers.length > 0) headersRange = whole;
    if (curl.body !== null) {
      body = new BodyNode(curl.body, null, null, block, whole);
      bodyRange = whole;
    }
    if (curl.insecure) directives.push(new DirectiveNode('insecure', true, block, whole));
    for (const w of curl.warnings) reader.report(whole, 'warning', 'curl-option', w);
    if (!url) reader.report(whole, 'error', 'missing-url', 'The curl command has no URL.');
    next = last + 1;
  } else {
    const parts = parseRequestLineIn(text, lineStart, ends[i]);
    method = parts.method;
    httpVersion = parts.httpVersion;
    if (parts.methodStart >= 0) {
      methodRange = block.add(i, parts.methodStart, i, parts.methodStart + parts.method.length);
    }
    url = parts.url;
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
        (reader.isIndented(j) && !reader.isComment(j) && !matchHeaderIn(text, from, to, plain));
      if (!continues) break;
      const { rest, version } = splitVersion(text.slice(from, to));
      url += rest.trimEnd();
      if (version) httpVersion = version;
      urlEndLine = j;
      urlEndChar = from - s + rest.trimEnd().length;
    }
    urlRange = block.add(i, parts.urlStart, urlEndLine, urlEndChar);
    if (!url)
      reader.report(
        reader.trimmed(i),
        'error',
        'missing-url',
        `The request line has a method (${method}) but no URL.`,
      );

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
      const h = matchHeaderIn(text, reader.isIndented(j) ? skipWs(text, s, e) : s, e, plain);
      if (h) {
        headers.push(new HeaderNode(h.name, h.value, block, reader.trimmed(j, indent)));
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
      headersRange = block.add(firstHeader, 0, lastHeader, lastEnd);
    }
    next = j;
    if (bodyStart >= 0) {
      const parsed = reader.readBody(bodyStart);
      body = parsed.body;
      bodyRange = parsed.at;
      next = parsed.next;
    }
  }

  // Response handlers and output redirects; nothing after them is sent.
  let responseHandlers: ScriptBlock[] | null = null;
  let outputRedirects: OutputRedirect[] | null = null;
  let lastContent = next - 1;
  while (lastContent > requestLineNo && reader.isBlank(lastContent)) lastContent--;
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
    reader.report(
      reader.trimmed(k),
      'warning',
      'ignored-line',
      'This line comes after the response handler and is ignored.',
    );
  }

  const nameDirective = findLast(directives, 'name');
  const separatorName =
    separatorLine >= 0 ? matchSeparatorIn(text, starts[separatorLine], ends[separatorLine]) : null;
  const name =
    nameDirective && nameDirective.value !== true
      ? nameDirective.value
      : separatorName
        ? separatorName
        : null;

  const blockRange = block.add(blockStart, 0, lastContent, reader.length(lastContent));
  const requestLineRange = reader.trimmed(requestLineNo);
  // The request's six ranges, in the order RequestRangesNode reads them.
  const table = block.addNumber(blockRange);
  block.addNumber(requestLineRange);
  block.addNumber(methodRange);
  block.addNumber(urlRange);
  block.addNumber(headersRange);
  block.addNumber(bodyRange);

  block.request = {
    name,
    method,
    url,
    httpVersion,
    headers: exact(headers),
    body,
    directives: exact(directives),
    preRequestScripts: preRequestScripts ?? NONE,
    responseHandlers: responseHandlers ?? NONE,
    outputRedirects: outputRedirects ?? NONE,
    fromCurl,
    ranges: new RequestRangesNode(block, table),
  };
  if (reader.diagnostics !== null) block.diagnostics = reader.diagnostics;
  return block;
}

/** Lists are made on their first item: most blocks have no diagnostics, variables or scripts. */
function append<T>(list: T[] | null, item: T): T[] {
  if (list === null) return [item];
  list.push(item);
  return list;
}

/** The list without the spare room pushing leaves in it, or the shared empty list. */
function exact<T>(list: T[]): readonly T[] {
  return list.length === 0 ? NONE : list.slice();
}

function findLast(directives: readonly Directive[], name: string): Directive | undefined {
  for (let k = directives.length - 1; k >= 0; k--) if (directives[k].name === name) return directives[k];
  return undefined;
}
