// Property tests: random and mutated `.http` text never throws, every range
// lies inside the document, requests come in source order, re-parsing after
// an edit gives exactly what a full parse of the new text gives, and the
// scans that read common lines agree with the expressions they stand for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  type HttpDocument,
  HttpDocumentParser,
  parseHttp,
  type Range,
  splitLines,
} from '../../../src/core/parser';
import {
  matchDirectiveIn,
  matchDirectiveByExpression,
  matchHeader,
  matchHeaderIn,
} from '../../../src/core/parser/lines';
import {
  parseRequestLine,
  parseRequestLineByExpression,
  parseRequestLineIn,
} from '../../../src/core/parser/requestLine';
import { documentText, FRAGMENTS } from './arbitraries';
import { snapshot } from './snapshot';

function assertInside(doc: HttpDocument, text: string): void {
  const lines = splitLines(text);
  const check = (r: Range | null, what: string) => {
    if (!r) return;
    for (const p of [r.start, r.end]) {
      assert.ok(
        p.line >= 0 && p.line < lines.length,
        `${what}: line ${p.line} outside 0..${lines.length - 1}`,
      );
      assert.ok(p.character >= 0 && p.character <= lines[p.line].length, `${what}: character ${p.character}`);
    }
    const ordered =
      r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character);
    assert.ok(ordered, `${what}: start after end`);
  };
  let previous = -1;
  for (const req of doc.requests) {
    for (const k of ['block', 'requestLine', 'method', 'url', 'headers', 'body'] as const)
      check(req.ranges[k], k);
    for (const h of req.headers) check(h.range, 'header');
    for (const d of req.directives) check(d.range, 'directive');
    if (req.body) check(req.body.range, 'body');
    for (const s of [...req.preRequestScripts, ...req.responseHandlers]) check(s.range, 'script');
    for (const o of req.outputRedirects) check(o.range, 'redirect');
    assert.ok(req.ranges.requestLine.start.line > previous, 'requests out of source order');
    previous = req.ranges.requestLine.start.line;
  }
  for (const v of doc.variables) {
    check(v.range, 'variable');
    check(v.nameRange, 'variable name');
  }
  for (const d of doc.diagnostics) check(d.range, 'diagnostic');
}

test('random documents parse without exception and ranges stay inside', () => {
  fc.assert(
    fc.property(documentText, (text) => {
      assertInside(parseHttp(text), text);
    }),
    { numRuns: 3000 },
  );
});

test('mutated documents (bytes inserted, deleted, swapped) parse without exception', () => {
  const base =
    'POST https://x.org/a\n    ?q=1\nContent-Type: application/json\n\n{"a":1}\n\n> {% x %}\n###\n# @name b\nGET /b\nHost: h\n';
  const mutation = fc.array(fc.tuple(fc.nat(base.length), fc.nat(4), fc.string({ maxLength: 4 })), {
    maxLength: 8,
  });
  fc.assert(
    fc.property(mutation, (edits) => {
      let text = base;
      for (const [at, del, ins] of edits) text = text.slice(0, at) + ins + text.slice(at + del);
      assertInside(parseHttp(text), text);
    }),
    { numRuns: 3000 },
  );
});

test('incremental re-parse after an edit equals a full parse', () => {
  const edit = fc.tuple(
    fc.nat(60),
    fc.nat(3),
    fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 3 }),
    fc.constantFrom('all', 'some', 'lines'),
  );
  fc.assert(
    // Editor lines never hold a CR: VS Code splits on it.
    fc.property(documentText, fc.array(edit, { minLength: 1, maxLength: 5 }), (crlfText, edits) => {
      const text = crlfText.replace(/\r/g, '');
      const parser = new HttpDocumentParser(text);
      let lines = splitLines(text);
      for (const [at, del, ins, read] of edits) {
        const start = Math.min(at, lines.length);
        const count = Math.min(del, lines.length - start);
        lines = [...lines.slice(0, start), ...ins, ...lines.slice(start + count)];
        const got = parser.applyEdit(start, count, ins);
        if (lines.length === 0) lines = [''];
        const want = parseHttp(lines.join('\n'));
        // Read all of the model, some requests whole, or the request lines only, so that later
        // edits meet blocks read whole or up to their request line, and ranges built before them.
        if (read === 'all') {
          assert.deepEqual(got, want);
          assert.deepEqual(snapshot(got), snapshot(want));
        } else {
          assert.deepEqual(
            got.requests.map((r) => [r.name, r.method, r.url, snapshot(r.ranges.requestLine)]),
            want.requests.map((r) => [r.name, r.method, r.url, snapshot(r.ranges.requestLine)]),
          );
          if (read === 'some')
            for (const [k, r] of got.requests.entries()) if (k % 2 === 0) assert.ok(r.headers);
        }
      }
      assert.deepEqual(snapshot(parser.document), snapshot(parseHttp(lines.join('\n'))));
    }),
    { numRuns: 2000 },
  );
});

/** Lines made of the characters where the scans and the expressions could part ways. */
const trickyLine = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc
    .tuple(
      fc.constantFrom('', ' ', '\t', '  ', '\u00a0', '\u2000'),
      fc.constantFrom(...FRAGMENTS, 'get /x http/1.1', 'PUT  a  HTTP/2 ', 'X {{a}}: b', '# @a = b', '//@x=1'),
      fc.string({
        unit: fc.constantFrom(
          ' ',
          '\t',
          ':',
          '=',
          '@',
          '#',
          '/',
          '{',
          '}',
          'a',
          'H',
          '1',
          '.',
          '\r',
          '\u2028',
          '\u00a0',
          '\u3000',
        ),
        maxLength: 8,
      }),
    )
    .map(([a, b, c]) => a + b + c),
);

/** Request lines with other white space and non-ASCII letters in each place the scan looks at, and between. */
const trickyRequestLine = fc
  .tuple(
    fc.constantFrom('', ' ', '\t', '\u00a0', ' \u2000'),
    fc.constantFrom('', 'GET', 'get', 'FROB', 'DELETE', 'ſearch', 'ıNFO', 'G\u00a0ET', 'ﬀ', 'https://x'),
    fc.constantFrom('', ' ', '\t', '\u00a0', ' \u00a0', '\u3000 '),
    fc.array(fc.constantFrom('https://', 'x.org', '/', '{{a}}', ' ', '\u00a0', '\u2000', 'é', '?q=1', 'H'), {
      maxLength: 6,
    }),
    fc.constantFrom(
      '',
      ' HTTP/1.1',
      '\u00a0HTTP/1.1',
      ' \u00a0HTTP/2',
      'HTTP/1.1',
      ' http/1.1',
      ' HTTP/1.\u0661',
    ),
    fc.constantFrom('', ' ', '\t', '\u00a0', ' \u00a0', '\ufeff'),
  )
  .map(([a, b, c, d, e, f]) => a + b + c + d.join('') + e + f);

test('the request line scan agrees with the expressions, in plain texts too', () => {
  fc.assert(
    fc.property(trickyRequestLine, (line) => {
      const byExpression = parseRequestLineByExpression(line);
      assert.deepEqual(parseRequestLine(line), byExpression);
      assert.deepEqual(parseRequestLineIn(line, 0, line.length, true), byExpression);
    }),
    { numRuns: 20000 },
  );
});

test('scans for headers, directives and request lines agree with the expressions', () => {
  fc.assert(
    fc.property(trickyLine, (line) => {
      assert.deepEqual(matchHeaderIn(line, 0, line.length), matchHeader(line));
      assert.deepEqual(matchDirectiveIn(line, 0, line.length), matchDirectiveByExpression(line));
      const byExpression = parseRequestLineByExpression(line);
      assert.deepEqual(parseRequestLine(line), byExpression);
      // In a text without `\r`, U+2028 or U+2029 the scan checks fewer characters.
      if (!/[\r\u2028\u2029]/.test(line))
        assert.deepEqual(parseRequestLineIn(line, 0, line.length, true), byExpression);
    }),
    { numRuns: 20000 },
  );
});
