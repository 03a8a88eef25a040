import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDuration } from '../../../src/core/session/duration';

const valid: readonly [string, number, string][] = [
  ['500ms', 500, 'ms is milliseconds'],
  ['2s', 2000, 's is seconds'],
  ['2 m', 120_000, 'm is minutes, with an optional space'],
  ['1.5s', 1500, 'fractions are allowed'],
  ['30', 30_000, 'a bare number means seconds'],
  [' 10 MS ', 10, 'units ignore case and the text is trimmed'],
  ['0', 0, 'zero is a duration (it turns a timeout off)'],
];

for (const [text, ms, rule] of valid) {
  test(`duration: ${rule} (${JSON.stringify(text)})`, () => {
    assert.deepEqual(parseDuration(text), { ok: true, ms });
  });
}

const invalid: readonly [string, string][] = [
  ['', 'empty text'],
  ['fast', 'no number'],
  ['5h', 'an unknown unit'],
  ['-1s', 'a negative duration'],
  ['1s 2ms', 'two durations'],
];

for (const [text, rule] of invalid) {
  test(`duration: ${rule} is an error that shows the accepted forms`, () => {
    const result = parseDuration(text);
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error, /write a number with ms, s or m/);
  });
}
