// Every system variable under both dialects' names, with a fixed clock
// (2024-02-29T13:45:30.123Z) and a fixed random source.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { testContext, sequence, resolveValue } from './context';

// A zone without daylight saving time, so local formats are the same all year.
process.env.TZ = 'Asia/Kolkata';

const T = 1709214330;

describe('$timestamp: Unix seconds with REST Client offsets', () => {
  const cases: [string, string][] = [
    ['$timestamp', String(T)],
    ['$timestamp -1 d', String(T - 86400)],
    ['$timestamp 1 w', String(T + 7 * 86400)],
    ['$timestamp 3 h', String(T + 3 * 3600)],
    ['$timestamp -15 m', String(T - 15 * 60)],
    ['$timestamp 30 s', String(T + 30)],
    ['$timestamp -1000 ms', String(T - 1)],
    ['$timestamp 1 M', '1711719930'],
    ['$timestamp 2 Q', '1724939130'],
    ['$timestamp 1 y', '1740750330'],
  ];
  for (const [expr, want] of cases) test(expr, async () => assert.equal(await resolveValue(expr), want));

  test('an unknown unit is a syntax error, not a silent zero offset', async () => {
    assert.match(await resolveValue('$timestamp 1 x'), /^ERROR .*\$timestamp \[offset unit\]/);
  });
});

describe('$datetime / $isoTimestamp: UTC', () => {
  const cases: [string, string][] = [
    ['$isoTimestamp', '2024-02-29T13:45:30.123Z'],
    ['$datetime iso8601', '2024-02-29T13:45:30.123Z'],
    ['$datetime rfc1123', 'Thu, 29 Feb 2024 13:45:30 GMT'],
    ['$datetime iso8601 1 d', '2024-03-01T13:45:30.123Z'],
    ['$datetime rfc1123 -1 y', 'Tue, 28 Feb 2023 13:45:30 GMT'],
    ['$datetime "YYYY-MM-DD"', '2024-02-29'],
    ["$datetime 'DD/MM/YYYY HH:mm' -2 h", '29/02/2024 11:45'],
    ['$datetime "X"', String(T)],
    ['$datetime "YYYY-MM-DDTHH:mm:ssZ"', '2024-02-29T13:45:30+00:00'],
  ];
  for (const [expr, want] of cases) test(expr, async () => assert.equal(await resolveValue(expr), want));

  test('a format is required', async () => {
    assert.match(await resolveValue('$datetime'), /^ERROR/);
    assert.match(await resolveValue('$datetime unix'), /^ERROR/);
  });
});

describe('$localDatetime: the local time zone (Asia/Kolkata, +05:30, in this test)', () => {
  const cases: [string, string][] = [
    ['$localDatetime rfc1123', 'Thu, 29 Feb 2024 19:15:30 +0530'],
    ['$localDatetime iso8601', '2024-02-29T19:15:30.123+05:30'],
    ['$localDatetime "YYYY-MM-DD HH:mm" 5 h', '2024-03-01 00:15'],
  ];
  for (const [expr, want] of cases) test(expr, async () => assert.equal(await resolveValue(expr), want));
});

describe('random numbers: min included, max excluded', () => {
  const cases: [string, number, string][] = [
    ['$randomInt 10 20', 0.5, '15'],
    ['$randomInt 10 20', 0, '10'],
    ['$randomInt 10 20', 0.999999, '19'],
    ['$randomInt -5 5', 0, '-5'],
    ['$randomInt', 0.5, '500'],
    ['$random.integer(1, 3)', 0.99, '2'],
    ['$random.integer(-10,10)', 0.5, '0'],
    ['$random.integer', 0.25, '250'],
    ['$random.float(0, 10)', 0.25, '2.5'],
    ['$random.float(-1.5, 1.5)', 0.5, '0'],
  ];
  for (const [expr, r, want] of cases) {
    test(`${expr} with random() = ${r}`, async () => {
      assert.equal(await resolveValue(expr, testContext({ random: () => r })), want);
    });
  }
  test('an empty range is refused', async () => {
    assert.match(await resolveValue('$randomInt 5 5'), /ERROR .*5 is not below 5/);
    assert.match(await resolveValue('$random.integer(3, 1)'), /ERROR .*3 is not below 1/);
  });
  test('property: $randomInt stays in [min, max) for any random value', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        async (min, width, r) => {
          const v = Number(
            await resolveValue(`$randomInt ${min} ${min + width}`, testContext({ random: () => r })),
          );
          return Number.isInteger(v) && v >= min && v < min + width;
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('random strings and UUIDs', () => {
  const cases: [string, number, string][] = [
    ['$guid', 0, '00000000-0000-4000-8000-000000000000'],
    ['$uuid', 0.999999, 'ffffffff-ffff-4fff-bfff-ffffffffffff'],
    ['$random.uuid', 0, '00000000-0000-4000-8000-000000000000'],
    ['$random.alphabetic(5)', 0, 'AAAAA'],
    ['$random.alphabetic(3)', 0.999999, 'zzz'],
    ['$random.alphanumeric(3)', 0.999999, '___'],
    ['$random.hexadecimal(4)', 0.999999, 'ffff'],
    ['$random.hexadecimal(0)', 0.5, ''],
    ['$random.email', 0, 'aaaaaaaaaa@example.com'],
  ];
  for (const [expr, r, want] of cases) {
    test(`${expr} with random() = ${r}`, async () => {
      assert.equal(await resolveValue(expr, testContext({ random: () => r })), want);
    });
  }
  test('each {{$guid}} is a new value', async () => {
    const a = await resolveValue('$guid', testContext({ random: sequence(0.1, 0.9) }));
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.notEqual(a, '00000000-0000-4000-8000-000000000000');
  });
  test('a length is required', async () => {
    assert.match(await resolveValue('$random.alphabetic'), /^ERROR .*\$random\.alphabetic\(length\)/);
  });
});

test('an unknown $name is reported, not sent', async () => {
  assert.match(await resolveValue('$nope'), /^ERROR \{\{\$nope\}\}: \$nope is not a system variable/);
});
