// Parse benchmark: a generated 10,000-request file (~3 MB), parsed whole,
// then re-parsed after one-line edits. Prints medians over repeated runs,
// wall-clock and CPU time (the machine is shared: the load average is printed
// too). A parse reads each block up to its request line and the rest when
// first asked for, and ranges are built when first read: so a parse followed
// by reading every request's headers, the document's diagnostics, or every
// range once is measured too.
// Run: node bench/parse.mjs   (builds the parser itself with esbuild)
// PARSER=<other checkout>/src/core/parser/index.ts runs it on another version.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import * as esbuild from 'esbuild';

mkdirSync('bench/.tmp', { recursive: true });
await esbuild.build({
  entryPoints: [process.env.PARSER ?? 'src/core/parser/index.ts'],
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
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn(i);
    samples.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { median: median(samples), min: Math.min(...samples), cpu: median(cpu) };
}

/** Reads every range of the model once, as the editor features together would. */
function readAllRanges(doc) {
  let n = 0;
  for (const r of doc.requests) {
    const { block, requestLine, method, url, headers, body } = r.ranges;
    n += block.start.line + requestLine.end.character + (method?.start.line ?? 0) + url.end.line;
    n += (headers?.end.line ?? 0) + (body?.end.line ?? 0);
    for (const h of r.headers) n += h.range.end.character;
    for (const d of r.directives) n += d.range.end.character;
    for (const s of r.responseHandlers) n += s.range.end.line;
  }
  for (const v of doc.variables) n += v.range.end.character + v.nameRange.end.character;
  for (const d of doc.diagnostics) n += d.range.end.character;
  return n;
}

const text = generate(REQUESTS);
const mb = Buffer.byteLength(text) / (1024 * 1024);
let doc;
for (let i = 0; i < 5; i++) doc = parseHttp(text); // warm-up
const load = loadavg();
const full = time(() => {
  doc = parseHttp(text);
}, 30);
if (doc.requests.length !== REQUESTS)
  throw new Error(`parsed ${doc.requests.length} requests, expected ${REQUESTS}`);
// Older versions take no options and read every block whole anyway.
const parseWhole = time(() => parseHttp(text, { whole: true }).diagnostics.length, 30);
const parseAndHeaders = time(() => {
  let n = 0;
  for (const r of parseHttp(text).requests) n += r.headers.length;
  return n;
}, 30);
const parseAndDiagnostics = time(() => parseHttp(text).diagnostics.length, 30);
const parseAndRead = time(() => readAllRanges(parseHttp(text)), 30);

const parser = new HttpDocumentParser(text);
const middle = Math.floor(doc.lineCount / 2);
const lineAt = (i) => text.split('\n', i + 1)[i];
const original = lineAt(middle + 3);
// Typing in one line: the line count stays the same.
const typing = time((i) => parser.applyEdit(middle + 3, 1, [`${original}${i % 2 ? 'x' : ''}`]), 200);
// Enter / delete line: every block below moves.
const insertOrDelete = (i) =>
  i % 2 === 0 ? parser.applyEdit(middle, 0, ['X-Inserted: 1']) : parser.applyEdit(middle, 1, []);
const insert = time(insertOrDelete, 200);
// The same, then every request line read, as the code lenses do after each change.
const insertAndRead = time((i) => {
  let n = 0;
  for (const r of insertOrDelete(i).requests) n += r.ranges.requestLine.start.line;
  return n;
}, 200);

const ms = (t, digits) =>
  `median ${t.median.toFixed(digits)} ms (min ${t.min.toFixed(digits)}, CPU ${t.cpu.toFixed(digits)})`;
console.log(`machine: ${cpus().length} × ${cpus()[0].model}, node ${process.version}`);
console.log(`load average at start: ${load.map((l) => l.toFixed(2)).join(', ')}`);
console.log(`file: ${REQUESTS} requests, ${mb.toFixed(2)} MB, ${doc.lineCount} lines`);
console.log(`full parse: ${ms(full, 2)}, ${(full.median / mb).toFixed(2)} ms/MB`);
console.log(
  `full parse reading every block whole at once ({ whole: true }), then the diagnostics: ${ms(parseWhole, 2)}`,
);
console.log(`full parse, then reading every request's headers: ${ms(parseAndHeaders, 2)}`);
console.log(`full parse, then reading the diagnostics: ${ms(parseAndDiagnostics, 2)}`);
console.log(`full parse, then reading every range once: ${ms(parseAndRead, 2)}`);
console.log(`re-parse after editing one line: ${ms(typing, 3)}`);
console.log(`re-parse after inserting/deleting a line: ${ms(insert, 3)}`);
console.log(`  and reading every request line after it: ${ms(insertAndRead, 3)}`);
