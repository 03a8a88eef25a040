// Fuzz: generated `.http` documents (dialect syntax mixed with garbage, CRLF,
// unicode, curl blocks, every kind of `{{variable}}`) through parse →
// variables → the request as the session would put it on the wire, nothing
// sent. Counts exceptions, accepted requests HTTP could not carry and
// refusals not placed in the document (all must be 0); prints inputs/s.
// The generator and the checks are test/unit/hardening/fuzzHarness.ts.
// Run: node bench/fuzz.mjs            (DOCUMENTS=100000, SEED=random by default)
//      SEED=123 node bench/fuzz.mjs   replays a run
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import * as esbuild from 'esbuild';

mkdirSync('bench/.tmp', { recursive: true });
await esbuild.build({
  entryPoints: ['test/unit/hardening/fuzzHarness.ts'],
  outfile: 'bench/.tmp/fuzz.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  logLevel: 'warning',
});
const { fuzz, describeFailure } = createRequire(import.meta.url)('./.tmp/fuzz.cjs');

const DOCUMENTS = Number(process.env.DOCUMENTS ?? 100_000);
const SEED = Number(process.env.SEED ?? Math.floor(Math.random() * 2 ** 31));
const CHUNK = 10_000;

console.log(
  `machine: ${cpus().length} × ${cpus()[0].model}, node ${process.version}, load ${loadavg()[0].toFixed(1)}`,
);
console.log(`seed ${SEED}, ${DOCUMENTS} documents`);
const totals = {
  documents: 0,
  requests: 0,
  sendable: 0,
  ms: 0,
  exception: 0,
  'invalid-request': 0,
  'misplaced-problem': 0,
};
const failures = [];
let slowest = { ms: 0 };
// Chunks of one seed each (SEED, SEED+1, …) so a failure names the seed that replays it quickly.
for (let done = 0, chunk = 0; done < DOCUMENTS; done += CHUNK, chunk++) {
  const s = await fuzz(SEED + chunk, Math.min(CHUNK, DOCUMENTS - done), 3);
  totals.documents += s.documents;
  totals.requests += s.requests;
  totals.sendable += s.sendable;
  totals.ms += s.ms;
  for (const [k, v] of Object.entries(s.counts)) totals[k] += v;
  for (const f of s.failures) if (failures.length < 5) failures.push({ ...f, seed: s.seed });
  if (s.slowest.ms > slowest.ms) slowest = { ...s.slowest, seed: s.seed };
  process.stdout.write(
    `  ${String(totals.documents).padStart(7)} documents, ${Math.round((totals.documents / totals.ms) * 1000)} inputs/s, failures so far ${totals.exception + totals['invalid-request'] + totals['misplaced-problem']}\n`,
  );
}
console.log(
  `${totals.documents} documents (${totals.requests} requests, ${totals.sendable} accepted and checked on the wire) in ${(totals.ms / 1000).toFixed(1)} s: ${Math.round((totals.documents / totals.ms) * 1000)} inputs/s`,
);
console.log(
  `exceptions ${totals.exception}, accepted-but-unsendable ${totals['invalid-request']}, misplaced problems ${totals['misplaced-problem']}`,
);
console.log(
  `slowest document: ${slowest.ms.toFixed(1)} ms (${slowest.length} chars, #${slowest.index} of seed ${slowest.seed})`,
);
for (const f of failures)
  console.log(`\nseed ${f.seed} (replay: SEED=${f.seed} DOCUMENTS=${CHUNK}):\n${await describeFailure(f)}`);
process.exitCode = failures.length > 0 ? 1 : 0;
