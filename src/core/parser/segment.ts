// One block of a `.http` file: the lines between two `###` separators.
// Reads, in order: a preamble (comments, directives, `@var = value`,
// pre-request scripts), the request line and its continuation lines,
// headers, a body, then response handlers and output redirects.
import { parseCurl } from './curl';
import {
  indentOf,
  isBlank,
  isComment,
  matchDirective,
  matchHeader,
  matchSeparator,
  matchVariable,
  trimmedEnd,
} from './lines';
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
  ScriptBlock,
  Severity,
  VariableDefinition,
} from './model';
import { parseRequestLine, splitVersion } from './requestLine';

export interface SegmentResult {
  request: HttpRequest | null;
  /** Directives of a block without a request line (they can only be file-level). */
  orphanDirectives: Directive[];
  variables: VariableDefinition[];
  diagnostics: ParseDiagnostic[];
  /** Every range object this segment created, so an edit above it can shift them in place. */
  ranges: Range[];
}

const HANDLER_INLINE = /^\s*>\s*\{%/;
const REDIRECT = /^\s*>>(!?)\s*(\S.*?)\s*$/;
const HANDLER_FILE = /^\s*>\s*(\S.*?)\s*$/;
const PRE_SCRIPT_INLINE = /^\s*<\s*\{%/;
const PRE_SCRIPT_FILE = /^\s*<\s+(\S.*?)\s*$/;
const FILE_REFERENCE = /^<(?:@(\w*))?\s+(\S.*?)\s*$/;
const CURL = /^\s*curl(?:\s|$)/;

function isHandlerLine(line: string): boolean {
  const i = indentOf(line);
  return i >= 0 && line.charCodeAt(i) === 62 /* > */;
}

/** Parses lines[start, end); `separatorLine` is the `###` line before them, or -1. */
export function parseSegment(
  lines: readonly string[],
  start: number,
  end: number,
  separatorLine: number,
): SegmentResult {
  const ranges: Range[] = [];
  const diagnostics: ParseDiagnostic[] = [];
  const variables: VariableDefinition[] = [];
  const directives: Directive[] = [];
  const preRequestScripts: ScriptBlock[] = [];

  const range = (sl: number, sc: number, el: number, ec: number): Range => {
    const r = { start: { line: sl, character: sc }, end: { line: el, character: ec } };
    ranges.push(r);
    return r;
  };
  const trimmed = (line: number): Range => {
    const text = lines[line];
    return range(line, Math.max(0, indentOf(text)), line, trimmedEnd(text));
  };
  const report = (r: Range, severity: Severity, code: string, message: string): void => {
    diagnostics.push({ range: r, severity, code, message });
  };
  /** Reads a `{% ... %}` script starting on line i; returns its content and last line. */
  const readScript = (i: number): { content: string; last: number } => {
    const first = lines[i];
    const open = first.indexOf('{%') + 2;
    const closeSame = first.indexOf('%}', open);
    if (closeSame >= 0) return { content: first.slice(open, closeSame).trim(), last: i };
    const body = [first.slice(open)];
    for (let k = i + 1; k < end; k++) {
      const close = lines[k].indexOf('%}');
      if (close >= 0) {
        body.push(lines[k].slice(0, close));
        return { content: body.join('\n').trim(), last: k };
      }
      body.push(lines[k]);
    }
    report(
      trimmed(i),
      'error',
      'unterminated-script',
      'Script block `{%` is never closed with `%}` in this request.',
    );
    return { content: body.join('\n').trim(), last: end - 1 };
  };

  // Preamble.
  let i = start;
  for (; i < end; i++) {
    const line = lines[i];
    const first = indentOf(line);
    if (first < 0) continue;
    if (isComment(line)) {
      const d = matchDirective(line);
      if (d) directives.push({ name: d.name, value: d.value, range: trimmed(i) });
      continue;
    }
    const lead = line.charCodeAt(first);
    if (lead !== 64 /* @ */ && lead !== 60 /* < */) break;
    const v = matchVariable(line);
    if (v) {
      variables.push({
        name: v.name,
        value: v.value,
        range: trimmed(i),
        nameRange: range(i, v.nameStart, i, v.nameStart + v.name.length),
      });
      continue;
    }
    if (lead === 64) {
      report(trimmed(i), 'error', 'bad-variable', 'A file variable is written `@name = value`.');
      continue;
    }
    if (PRE_SCRIPT_INLINE.test(line)) {
      const start = i;
      const { content, last } = readScript(i);
      preRequestScripts.push({ kind: 'inline', content, range: range(start, 0, last, lines[last].length) });
      i = last;
      continue;
    }
    const pre = PRE_SCRIPT_FILE.exec(line);
    if (pre) {
      preRequestScripts.push({ kind: 'file', content: pre[1], range: trimmed(i) });
      continue;
    }
    break;
  }
  if (i >= end) return { request: null, orphanDirectives: directives, variables, diagnostics, ranges };

  const requestLineNo = i;
  const requestLineText = lines[i];
  const headers: Header[] = [];
  let method: string;
  let url: string;
  let httpVersion: string | null;
  let methodRange: Range | null = null;
  let urlRange: Range;
  let headersRange: Range | null = null;
  let body: RequestBody | null = null;
  let fromCurl = false;
  let next: number;

  if (CURL.test(requestLineText)) {
    // A curl command runs until a line that does not end in a backslash.
    let last = i;
    while (last + 1 < end && lines[last].trimEnd().endsWith('\\')) last++;
    const curl = parseCurl(lines.slice(i, last + 1).join('\n'));
    const whole = range(
      i,
      requestLineText.length - requestLineText.trimStart().length,
      last,
      lines[last].length,
    );
    fromCurl = true;
    method = curl.method;
    url = curl.url;
    httpVersion = curl.httpVersion;
    urlRange = whole;
    for (const [name, value] of curl.headers) headers.push({ name, value, range: whole });
    if (curl.headers.length > 0) headersRange = whole;
    if (curl.body !== null) {
      body = { text: curl.body, parts: [{ kind: 'text', text: curl.body }], file: null, range: whole };
    }
    if (curl.insecure) directives.push({ name: 'insecure', value: true, range: whole });
    for (const w of curl.warnings) report(whole, 'warning', 'curl-option', w);
    if (!url) report(whole, 'error', 'missing-url', 'The curl command has no URL.');
    next = last + 1;
  } else {
    const parts = parseRequestLine(requestLineText);
    method = parts.method;
    httpVersion = parts.httpVersion;
    if (parts.methodStart >= 0) {
      methodRange = range(i, parts.methodStart, i, parts.methodStart + parts.method.length);
    }
    url = parts.url;
    let urlEndLine = i;
    let urlEndChar = parts.urlStart + parts.url.length;
    // Continuation lines: `?`/`&` (REST Client) or any indented line (JetBrains) that is not a header.
    let j = i + 1;
    for (; j < end; j++) {
      const line = lines[j];
      if (isBlank(line)) break;
      const text = line.trim();
      const indented = line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9;
      if (text[0] !== '?' && text[0] !== '&' && !(indented && !isComment(line) && !matchHeader(text))) break;
      const { rest, version } = splitVersion(text);
      url += rest.trimEnd();
      if (version) httpVersion = version;
      urlEndLine = j;
      urlEndChar = line.length - line.trimStart().length + rest.trimEnd().length;
    }
    urlRange = range(i, parts.urlStart, urlEndLine, urlEndChar);
    if (!url)
      report(trimmed(i), 'error', 'missing-url', `The request line has a method (${method}) but no URL.`);

    // Headers, up to the blank line.
    let firstHeader = -1;
    let lastHeader = -1;
    let bodyStart = -1;
    for (; j < end; j++) {
      const line = lines[j];
      if (isBlank(line)) {
        bodyStart = j + 1;
        break;
      }
      if (isHandlerLine(line)) break;
      if (isComment(line)) continue;
      const h = matchHeader(line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9 ? line.trimStart() : line);
      if (h) {
        headers.push({ name: h.name, value: h.value, range: trimmed(j) });
        if (firstHeader < 0) firstHeader = j;
        lastHeader = j;
        continue;
      }
      report(
        trimmed(j),
        'warning',
        'missing-blank-line',
        'This line is not a header (`Name: value`), so it starts the body; put a blank line between headers and body.',
      );
      bodyStart = j;
      break;
    }
    if (firstHeader >= 0) {
      headersRange = range(firstHeader, 0, lastHeader, trimmedEnd(lines[lastHeader]));
    }
    next = j;
    if (bodyStart >= 0) {
      const parsed = readBody(bodyStart);
      body = parsed.body;
      next = parsed.next;
    }
  }

  // Response handlers and output redirects; nothing after them is sent.
  const responseHandlers: ScriptBlock[] = [];
  const outputRedirects: OutputRedirect[] = [];
  let lastContent = next - 1;
  while (lastContent > requestLineNo && isBlank(lines[lastContent])) lastContent--;
  for (let k = next; k < end; k++) {
    const line = lines[k];
    if (isBlank(line)) continue;
    lastContent = k;
    if (isComment(line)) continue;
    if (HANDLER_INLINE.test(line)) {
      const { content, last } = readScript(k);
      responseHandlers.push({ kind: 'inline', content, range: range(k, 0, last, lines[last].length) });
      k = lastContent = last;
      continue;
    }
    const redirect = REDIRECT.exec(line);
    if (redirect) {
      outputRedirects.push({ path: redirect[2], overwrite: redirect[1] === '!', range: trimmed(k) });
      continue;
    }
    const handler = HANDLER_FILE.exec(line);
    if (handler) {
      responseHandlers.push({ kind: 'file', content: handler[1], range: trimmed(k) });
      continue;
    }
    report(
      trimmed(k),
      'warning',
      'ignored-line',
      'This line comes after the response handler and is ignored.',
    );
  }

  const nameDirective = findLast(directives, 'name');
  const separatorName = separatorLine >= 0 ? matchSeparator(lines[separatorLine]) : null;
  const name =
    nameDirective && nameDirective.value !== true
      ? nameDirective.value
      : separatorName
        ? separatorName
        : null;
  const blockStart = separatorLine >= 0 ? separatorLine : start;

  const request: HttpRequest = {
    name,
    method,
    url,
    httpVersion,
    headers,
    body,
    directives,
    preRequestScripts,
    responseHandlers,
    outputRedirects,
    fromCurl,
    ranges: {
      block: range(blockStart, 0, lastContent, lines[lastContent].length),
      requestLine: trimmed(requestLineNo),
      method: methodRange,
      url: urlRange,
      headers: headersRange,
      body: body?.range ?? null,
    },
  };
  return { request, orphanDirectives: [], variables, diagnostics, ranges };

  function readBody(from: number): { body: RequestBody | null; next: number } {
    let first = from;
    while (first < end && isBlank(lines[first])) first++;
    let stop = first;
    while (stop < end && !isHandlerLine(lines[stop])) stop++;
    let last = stop - 1;
    while (last >= first && isBlank(lines[last])) last--;
    // Comment lines after a blank line at the end of a block are notes, not body:
    // JetBrains and httpYac files put them there, and a JSON body never ends so.
    let tail = last;
    while (tail >= first && (isComment(lines[tail]) || isBlank(lines[tail]))) tail--;
    if (tail < first) return { body: null, next: stop };
    for (let k = tail + 1; k <= last; k++) {
      if (isBlank(lines[k])) {
        last = k - 1;
        break;
      }
    }
    const text = first === last ? lines[first] : lines.slice(first, last + 1).join('\n');
    const parts: BodyPart[] = [];
    let file: FileReference | null = null;
    let runStart = first;
    // Text runs keep the newlines around a file line, so the parts concatenate to the body as sent.
    let prefix = '';
    for (let k = first; k <= last; k++) {
      const line = lines[k];
      const ref = line.charCodeAt(0) === 60 /* < */ ? FILE_REFERENCE.exec(line) : null;
      if (!ref) continue;
      if (k > runStart)
        parts.push({ kind: 'text', text: `${prefix}${lines.slice(runStart, k).join('\n')}\n` });
      else if (prefix) parts.push({ kind: 'text', text: prefix });
      file = {
        path: ref[2],
        processVariables: ref[1] !== undefined,
        encoding: ref[1] ? ref[1] : null,
        range: trimmed(k),
      };
      parts.push({ kind: 'file', ...file });
      runStart = k + 1;
      prefix = k < last ? '\n' : '';
    }
    if (runStart <= last)
      parts.push({ kind: 'text', text: prefix + lines.slice(runStart, last + 1).join('\n') });
    const onlyFile = first === last && file !== null ? file : null;
    return {
      body: { text, parts, file: onlyFile, range: range(first, 0, last, lines[last].length) },
      next: stop,
    };
  }
}

function findLast(directives: readonly Directive[], name: string): Directive | undefined {
  for (let k = directives.length - 1; k >= 0; k--) if (directives[k].name === name) return directives[k];
  return undefined;
}
