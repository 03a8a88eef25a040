// Parse benchmark: a generated 10,000-request file (~2 MB), parsed whole,
// then re-parsed after one-line edits. Prints medians over repeated runs.
// Run: node bench/parse.mjs   (builds the parser itself with esbuild)
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import * as esbuild from 'esbuild';

mkdirSync('bench/.tmp', { recursive: true });
await esbuild.build({
  entryPoints: ['src/core/parser/index.ts'],
  outfile: 'bench/.tmp/parser.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  logLevel: 'warning',
});
const { parseHttp, HttpDocumentParser } = createRequire(import.meta.url)('./.tmp/parser.cjs');

const REQUESTS = Number(process.env.REQUESTS ?? 10_000);
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

function generate(n) {
  const out = ['@host = api.example.com', '@token = abc123', ''];
  for (let i = 0; i < n; i++) {
    const method = METHODS[i % METHODS.length];
    out.push(`### request ${i}`, `# @name req${i}`);
    if (i % 7 === 0) out.push('# @no-redirect', '# @timeout 5s');
    out.push(`${method} https://{{host}}/api/v1/items/${i}?page=${i % 50}&sort=name HTTP/1.1`);
    if (i % 5 === 0) out.push('    &filter=active');
    out.push('Accept: application/json', 'Authorization: Bearer {{token}}', `X-Request-Id: {{$guid}}-${i}`);
    if (method !== 'GET' && method !== 'DELETE') {
      out.push('Content-Type: application/json', '', '{');
      out.push(`  "id": ${i},`, `  "name": "item number ${i} with some text",`, '  "tags": ["a", "b", "c"],');
      out.push(`  "owner": "{{req${Math.max(0, i - 1)}.response.body.$.id}}",`, '  "active": true', '}');
    }
    if (i % 11 === 0)
      out.push('', '> {%', '  client.test("ok", () => client.assert(response.status === 200));', '%}');
    out.push('');
  }
  return out.join('\n');
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn(i);
    samples.push(performance.now() - t0);
  }
  return { median: median(samples), min: Math.min(...samples) };
}

const text = generate(REQUESTS);
const mb = Buffer.byteLength(text) / (1024 * 1024);
let doc;
for (let i = 0; i < 5; i++) doc = parseHttp(text); // warm-up
const full = time(() => {
  doc = parseHttp(text);
}, 30);
if (doc.requests.length !== REQUESTS)
  throw new Error(`parsed ${doc.requests.length} requests, expected ${REQUESTS}`);

const parser = new HttpDocumentParser(text);
const middle = Math.floor(doc.lineCount / 2);
const lineAt = (i) => text.split('\n', i + 1)[i];
const original = lineAt(middle + 3);
// Typing in one line: the line count stays the same.
const typing = time((i) => parser.applyEdit(middle + 3, 1, [`${original}${i % 2 ? 'x' : ''}`]), 200);
// Enter / delete line: every block below moves.
const insert = time((i) => {
  if (i % 2 === 0) parser.applyEdit(middle, 0, ['X-Inserted: 1']);
  else parser.applyEdit(middle, 1, []);
}, 200);

console.log(`machine: ${cpus().length} × ${cpus()[0].model}, node ${process.version}`);
console.log(`file: ${REQUESTS} requests, ${mb.toFixed(2)} MB, ${doc.lineCount} lines`);
console.log(
  `full parse: median ${full.median.toFixed(2)} ms (min ${full.min.toFixed(2)}), ${(full.median / mb).toFixed(2)} ms/MB`,
);
console.log(
  `re-parse after editing one line: median ${typing.median.toFixed(3)} ms (min ${typing.min.toFixed(3)})`,
);
console.log(
  `re-parse after inserting/deleting a line: median ${insert.median.toFixed(3)} ms (min ${insert.min.toFixed(3)})`,
);
