// Re-parsing after an edit, one case per kind of edit the editor sends. Each
// edit is checked against a full parse of the new text, then for what the
// case is about.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type HttpDocument, HttpDocumentParser, parseHttp, splitLines } from '../../../src/core/parser';
import { snapshot } from './snapshot';

/** Applies the edit to a parser and to the text; asserts the two models agree. */
function edit(parser: HttpDocumentParser, text: string, start: number, deleteCount: number, lines: string[]) {
  const old = splitLines(text);
  const all = old.slice(0, start).concat(lines, old.slice(start + deleteCount));
  const newText = (all.length === 0 ? [''] : all).join('\n');
  const doc = parser.applyEdit(start, deleteCount, lines);
  assert.deepEqual(snapshot(doc), snapshot(parseHttp(newText)));
  return { doc, text: newText };
}

const five = [
  '### a',
  'GET /a',
  '',
  '### b',
  'GET /b',
  '',
  '### c',
  'GET /c',
  '',
  '### d',
  'GET /d',
  '',
  '### e',
  'GET /e',
].join('\n');
const urls = (doc: HttpDocument) => doc.requests.map((r) => r.url);

test('typing in one request re-reads its neighbours only', () => {
  const parser = new HttpDocumentParser(five);
  const before = parser.document;
  const { doc } = edit(parser, five, 7, 1, ['GET /c2']);
  assert.deepEqual(urls(doc), ['/a', '/b', '/c2', '/d', '/e']);
  assert.equal(doc.requests[0], before.requests[0]);
  assert.equal(doc.requests[4], before.requests[4]);
  assert.notEqual(doc.requests[2], before.requests[2]);
});

test('deleting a ### line joins two blocks', () => {
  const parser = new HttpDocumentParser(five);
  const { doc } = edit(parser, five, 6, 1, []);
  assert.deepEqual(urls(doc), ['/a', '/b', '/d', '/e']);
  assert.deepEqual(doc.requests[1].ranges.block, {
    start: { line: 3, character: 0 },
    end: { line: 6, character: 6 },
  });
});

test('typing ### splits a block', () => {
  const parser = new HttpDocumentParser(five);
  const { doc } = edit(parser, five, 5, 1, ['###', 'GET /new']);
  assert.deepEqual(urls(doc), ['/a', '/b', '/new', '/c', '/d', '/e']);
  assert.equal(doc.requests[5].ranges.requestLine.start.line, 14);
});

test('edits on the first line, the last line and after the last line', () => {
  const parser = new HttpDocumentParser(five);
  let text = five;
  ({ text } = edit(parser, text, 0, 1, ['# @name first', '### a']));
  ({ text } = edit(parser, text, 0, 1, []));
  const last = splitLines(text).length - 1;
  ({ text } = edit(parser, text, last, 1, ['GET /last']));
  const { doc } = edit(parser, text, last + 1, 0, ['Accept: */*']);
  assert.deepEqual(
    doc.requests[4].headers.map((h) => [h.name, h.value, h.range.start.line]),
    [['Accept', '*/*', last + 1]],
  );
});

test('a first line that is ### starts the first block', () => {
  const parser = new HttpDocumentParser('GET /a\n###\nGET /b');
  const { doc } = edit(parser, 'GET /a\n###\nGET /b', 0, 1, ['###']);
  assert.deepEqual(urls(doc), ['/b']);
});

test('deleting every line leaves one empty line', () => {
  const parser = new HttpDocumentParser(five);
  const { doc } = edit(parser, five, 0, 14, []);
  assert.equal(doc.lineCount, 1);
  assert.equal(doc.requests.length, 0);
});

test('CRLF text, then edits in the editor (lines without CR)', () => {
  const crlf = 'POST /a\r\nA: 1\r\n\r\n{"x":1}\r\n\r\n###\r\nGET /b\r\nB: 2\r\n';
  const parser = new HttpDocumentParser(crlf);
  let text = crlf.replace(/\r/g, '');
  ({ text } = edit(parser, text, 3, 1, ['{"x":2}']));
  ({ text } = edit(parser, text, 5, 1, []));
  const { doc } = edit(parser, text, 6, 0, ['C: 3']);
  // The ### line was deleted, so the second request is now body of the first.
  assert.equal(doc.requests.length, 1);
  assert.equal(doc.requests[0].body?.text, '{"x":2}\n\nGET /b\nC: 3\nB: 2');
  assert.deepEqual(doc.requests[0].body?.range, {
    start: { line: 3, character: 0 },
    end: { line: 7, character: 4 },
  });
});

test('lines inserted above move the ranges of requests the edit did not touch', () => {
  const parser = new HttpDocumentParser(five);
  const request = parser.document.requests[4];
  const before = request.ranges.requestLine;
  assert.equal(before.start.line, 13);
  const { doc } = edit(parser, five, 1, 0, ['X-A: 1', 'X-B: 2']);
  assert.equal(doc.requests[4], request);
  assert.equal(request.ranges.requestLine.start.line, 15);
  assert.equal(request.ranges.block.start.line, 14);
  assert.equal(before.start.line, 13, 'a range read before the edit is not changed under its reader');
  const moved = splitLines(five);
  moved.splice(1, 0, 'X-A: 1', 'X-B: 2');
  edit(parser, moved.join('\n'), 0, 3, []);
  assert.equal(request.ranges.requestLine.start.line, 12);
});

test('a duplicate name appears and goes away with edits', () => {
  const text = '# @name a\nGET /1\n###\n# @name b\nGET /2\n###\n# @name c\nGET /3';
  const parser = new HttpDocumentParser(text);
  assert.equal(parser.document.diagnostics.length, 0);
  let { doc, text: t } = edit(parser, text, 6, 1, ['# @name a']);
  assert.deepEqual(
    doc.diagnostics.map((d) => [d.code, d.range.start.line]),
    [['duplicate-name', 6]],
  );
  ({ doc, text: t } = edit(parser, t, 0, 0, ['', '']));
  assert.match(doc.diagnostics[0].message, /line 4\)/);
  ({ doc } = edit(parser, t, 8, 1, ['# @name z']));
  assert.equal(doc.diagnostics.length, 0);
});

test('a paste of more lines than fit in one call', () => {
  const parser = new HttpDocumentParser(five);
  const paste: string[] = [];
  for (let i = 0; i < 12_000; i++) paste.push(i % 3 === 0 ? '###' : `GET /p${i}`);
  const { doc } = edit(parser, five, 2, 0, paste);
  assert.equal(doc.requests.length, 5 + 4_000);
  assert.equal(doc.lineCount, 14 + 12_000);
});

test('the model as JSON has every range', () => {
  const doc = parseHttp(
    '@host = x\n# @name a\nPOST /a\nA: 1\n\n< ./f.json\n\n> {% x %}\n>> out.json\n###\ncurl -k https://x.org\n',
  );
  assert.deepEqual(JSON.parse(JSON.stringify(doc)), snapshot(doc));
});
