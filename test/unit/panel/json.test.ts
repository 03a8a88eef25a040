// The JSON printer: pretty-printing from tokens (never JSON.parse), colour
// classes, fold markers, and a grammar check that agrees with JSON.parse.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { type JsonRange, renderJson, scanJson } from '../../../src/extension/panel/jsonPrinter';
import { jsonLines } from './tags';

const WHOLE = (text: string): JsonRange => ({ start: 0, end: text.length, until: 'final' });

const pretty = (text: string) => jsonLines(renderJson(text, WHOLE(text)).html).join('\n');

describe('pretty-printing', () => {
  test('two-space indentation, one member per line, empty containers inline', () => {
    assert.equal(
      pretty('{"a":[1,2,{"b":null}],"e":{},"f":[ ],"s":"x"}'),
      '{\n  "a": [\n    1,\n    2,\n    {\n      "b": null\n    }\n  ],\n  "e": {},\n  "f": [],\n  "s": "x"\n}',
    );
  });

  test('same layout as JSON.stringify(value, null, 2) for any JSON value, however it was spaced', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.constantFrom(0, 2, '\t', ' \r\n '), (value, space) => {
        const expected = JSON.stringify(value, null, 2);
        assert.equal(pretty(JSON.stringify(value, null, space)), expected);
      }),
      { numRuns: 300 },
    );
  });

  test('numbers, key order and duplicate keys stay exactly as sent', () => {
    assert.equal(
      pretty('{"id":123456789012345678901234567890,"x":1e400,"b":1,"a":2,"a":3}'),
      '{\n  "id": 123456789012345678901234567890,\n  "x": 1e400,\n  "b": 1,\n  "a": 2,\n  "a": 3\n}',
    );
  });

  test('strings keep their escapes as written', () => {
    assert.equal(pretty('["\\u00e9\\n\\"q\\"", "é"]'), '[\n  "\\u00e9\\n\\"q\\"",\n  "é"\n]');
  });

  test('a top-level scalar, and a leading byte-order mark', () => {
    assert.equal(pretty(' 42 '), '42');
    assert.equal(pretty('\ufeff{"a":true}'), '{\n  "a": true\n}');
  });
});

describe('markup', () => {
  test('colour classes: keys, strings, numbers, booleans, null', () => {
    const html = renderJson('{"k":"v","n":-1.5e3,"t":true,"f":false,"z":null}', WHOLE('x'.repeat(49))).html;
    for (const [cls, token] of [
      ['k', '&quot;k&quot;'],
      ['s', '&quot;v&quot;'],
      ['n', '-1.5e3'],
      ['b', 'true'],
      ['b', 'false'],
      ['z', 'null'],
    ]) {
      assert.ok(html.includes(`<span class="${cls}">${token}</span>`), `${cls}: ${token}`);
    }
  });

  test('fold markers: opener lines carry a fold button and data-f, closing lines the same id in data-e', () => {
    const html = renderJson('{"a":[1],"b":{},"c":{"d":[]}}', WHOLE('x'.repeat(29))).html;
    const openers = [...html.matchAll(/data-f="(\d+)"/g)].map((m) => m[1]);
    const closers = [...html.matchAll(/data-e="(\d+)"/g)].map((m) => m[1]);
    assert.deepEqual(openers, ['0', '1', '2']);
    assert.deepEqual(closers.sort(), ['0', '1', '2']);
    assert.equal(
      html.match(/<button type="button" class="f" aria-expanded="true" aria-label="Fold"><\/button>/g)
        ?.length,
      3,
    );
  });

  test('a 100,000-deep array renders without recursion and with bounded indentation', () => {
    const depth = 100_000;
    const text = '['.repeat(depth) + ']'.repeat(depth);
    const run = renderJson(text, WHOLE(text));
    assert.equal(run.complete, true);
    const lines = jsonLines(run.html);
    assert.equal(lines.length, 2 * depth - 1);
    assert.ok(Math.max(...lines.slice(0, 1000).map((l) => l.length)) <= 2 * 40 + 40);
  });

  test('invalid input in a render: the rest of the range is shown as it is, marked', () => {
    const run = renderJson('{"a": 1, "b": oops}', WHOLE('x'.repeat(19)));
    assert.equal(run.ok, false);
    assert.match(run.html, /<div class="x">oops}<\/div>$/);
  });
});

describe('grammar check', () => {
  const parses = (s: string) => {
    try {
      JSON.parse(s);
      return true;
    } catch {
      return false;
    }
  };

  test('agrees with JSON.parse on valid JSON and on single-character mutations of it', () => {
    const significant = [
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '"',
      '\\',
      '-',
      '.',
      'e',
      '0',
      '1',
      ' ',
      't',
      'n',
      '\u0001',
    ];
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 4 }),
        fc.nat(),
        fc.constantFrom(...significant),
        fc.constantFrom('insert', 'replace', 'delete'),
        (value, at, char, how) => {
          const valid = JSON.stringify(value);
          const i = at % (valid.length + 1);
          const text =
            how === 'insert'
              ? valid.slice(0, i) + char + valid.slice(i)
              : how === 'replace'
                ? valid.slice(0, i) + char + valid.slice(i + 1)
                : valid.slice(0, i) + valid.slice(i + 1);
          assert.equal(scanJson(valid, WHOLE(valid)).complete, true, valid);
          assert.equal(scanJson(text, WHOLE(text)).complete, parses(text), JSON.stringify(text));
        },
      ),
      { numRuns: 2000 },
    );
  });

  test('agrees with JSON.parse on short strings over the JSON alphabet', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[{}[\]",:0-9.eE+\-tfrulasn \\\n]{0,12}$/), (text) => {
        assert.equal(scanJson(text, WHOLE(text)).complete, parses(text), JSON.stringify(text));
      }),
      { numRuns: 3000 },
    );
  });

  test('a prefix of valid JSON is fine when the range is open, not when it is final', () => {
    const text = '{"items":[{"id":1,"name":"ab';
    assert.equal(scanJson(text, { start: 0, end: text.length, until: 'open' }).ok, true);
    assert.equal(scanJson(text, WHOLE(text)).ok, false);
  });

  test('at an open cut, a number, literal or escape that may go on is left for the next page', () => {
    for (const [text, end] of [
      ['[1,23', 3],
      ['[1,23.', 3],
      ['[1,tr', 3],
      ['["ab\\u00', 4],
    ] as const) {
      const run = scanJson(text, { start: 0, end: text.length, until: 'open' });
      assert.equal(run.ok, true, text);
      assert.equal(run.end, end, text);
    }
  });
});
