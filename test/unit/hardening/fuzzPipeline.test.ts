// ~2,000 generated `.http` documents through parse → variables → the request
// as it would go on the wire (fuzzHarness.ts; bench/fuzz.mjs runs 100,000+).
// Half use a fixed seed, half a new one each run; FUZZ_SEED=n replays one.
// A failure prints its seed, the input and a shrunk input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPipeline, describeFailure, type FuzzSummary, fuzz } from './fuzzHarness';

const FIXED_SEED = 20261127;

async function check(summary: FuzzSummary, t: { diagnostic(message: string): void }): Promise<void> {
  t.diagnostic(
    `seed ${summary.seed}: ${summary.documents} documents, ${summary.requests} requests (${summary.sendable} sendable), ${Math.round((summary.documents / summary.ms) * 1000)} inputs/s`,
  );
  const reports = await Promise.all(summary.failures.slice(0, 3).map(describeFailure));
  assert.deepEqual(
    summary.counts,
    { exception: 0, 'invalid-request': 0, 'misplaced-problem': 0 },
    `seed ${summary.seed} (replay with FUZZ_SEED=${summary.seed}):\n${reports.join('\n\n')}`,
  );
  assert.ok(summary.sendable > summary.requests / 10, 'a fair share of the requests get all the way through');
}

test('fixed seed: no exception, every accepted request can go on the wire, every refusal is placed', async (t) => {
  await check(await fuzz(Number(process.env.FUZZ_SEED ?? FIXED_SEED), 1000), t);
});

test('a new seed each run: the same', async (t) => {
  const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
  await check(await fuzz(seed, 1000), t);
});

// Minimal inputs of what earlier runs found, kept so each stays fixed.
const FOUND: readonly [string, string][] = [
  ['{{%v}} of a value with a lone surrogate threw URIError', 'GET http://x.test/{{%surrogate}}'],
  ['a dayjs week token without its plugin threw', 'GET http://x.test/{{$datetime "w" 3 M}}'],
  ['a time zone token threw', "GET http://x.test/{{$localDatetime 'z'}}"],
  ['a header value beyond Latin-1 from a variable was accepted', 'GET http://x.test/\nX-A: {{uni}}'],
  ['a lone surrogate written in a header value was accepted', 'GET http://x.test/\nX-A: \ude00'],
  ['two Host headers were accepted', 'GET /\nHost: a.test\nHost: b.test'],
  ['a default header beyond Latin-1 was accepted', '# @default-header X-A: €\nGET http://x.test/'],
];

test('inputs the fuzz found stay fixed', async () => {
  const pipeline = createPipeline();
  for (const [what, input] of FOUND) {
    const { failures, requests } = await pipeline.run(input);
    assert.equal(requests, 1, what);
    assert.deepEqual(failures, [], what);
  }
});
