// A parse reads each block up to its request line; headers, bodies, scripts
// and diagnostics are read when first asked for. Whatever is read first, and
// in whatever order, the model is the one a whole read gives.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { type HttpDocument, HttpDocumentParser, parseHttp, splitLines } from '../../../src/core/parser';
import { documentText } from './arbitraries';
import { snapshot } from './snapshot';

/** What a parse reads at once: the request lines, names, file variables and file-level directives. */
function head(doc: HttpDocument): unknown {
  return {
    requests: doc.requests.map((r) => ({
      name: r.name,
      method: r.method,
      url: r.url,
      httpVersion: r.httpVersion,
      fromCurl: r.fromCurl,
      ranges: snapshot({ requestLine: r.ranges.requestLine, method: r.ranges.method, url: r.ranges.url }),
    })),
    variables: snapshot(doc.variables),
    fileDirectives: snapshot(doc.fileDirectives),
    lineCount: doc.lineCount,
  };
}

test('what a parse reads at once is the same after the rest is read', () => {
  fc.assert(
    fc.property(documentText, (text) => {
      const doc = parseHttp(text);
      const before = head(doc);
      // Reading the diagnostics reads every block whole.
      assert.ok(doc.diagnostics);
      assert.deepEqual(head(doc), before);
      assert.deepEqual(snapshot(doc), snapshot(parseHttp(text, { whole: true })));
    }),
    { numRuns: 2000 },
  );
});

test('requests read one at a time, in any order, equal a whole read', () => {
  fc.assert(
    fc.property(documentText, fc.array(fc.nat(), { maxLength: 20 }), (text, picks) => {
      const doc = parseHttp(text);
      const n = doc.requests.length;
      // Some requests first, by one part or another, then the rest.
      for (const [k, p] of picks.entries()) {
        const r = doc.requests[p % Math.max(n, 1)];
        if (!r) break;
        if (k % 3 === 0) assert.ok(r.headers);
        else if (k % 3 === 1) assert.ok(r.ranges.block);
        else assert.ok(r.directives);
      }
      assert.deepEqual(snapshot(doc), snapshot(parseHttp(text, { whole: true })));
    }),
    { numRuns: 2000 },
  );
});

test('a model from before an edit reads the rest of its requests as they were', () => {
  const text = ['### a', 'POST /a', 'A: 1', '', 'one', '', '### b', 'POST /b', 'B: 2', '', 'two'].join('\n');
  const parser = new HttpDocumentParser(text);
  const before = parser.document;
  // One line for one: the untouched requests keep their positions in both models.
  const after = parser.applyEdit(8, 1, ['B: 3']);
  assert.equal(after.requests[1].headers[0].value, '3');
  assert.equal(before.requests[1].headers[0].value, '2');
  assert.deepEqual(snapshot(before), snapshot(parseHttp(text)));
});

test('a copy of the model made by spreading it keeps the diagnostics', () => {
  const doc = parseHttp('GET\n###\n# @name a\nGET /a\n###\n# @name a\nGET /b\n');
  const copy = { ...doc, variables: [] };
  assert.deepEqual(
    copy.diagnostics.map((d) => [d.code, d.range.start.line]),
    [
      ['missing-url', 0],
      ['duplicate-name', 5],
    ],
  );
});

test('a document read whole and one read on demand agree after edits too', () => {
  const lines = splitLines(['# @name a', 'GET /a', 'X: 1', '', '###', 'POST /b', '', '{}'].join('\n'));
  const lazy = new HttpDocumentParser(lines.join('\n'));
  const whole = new HttpDocumentParser(lines.join('\n'), { whole: true });
  for (const [at, del, ins] of [
    [2, 1, ['X: 2', 'Y: 3']],
    [5, 0, ['###', 'GET /c']],
    [0, 1, []],
  ] as const) {
    assert.deepEqual(snapshot(lazy.applyEdit(at, del, ins)), snapshot(whole.applyEdit(at, del, ins)));
  }
});
