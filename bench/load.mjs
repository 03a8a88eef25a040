// Load: `http-session run FILE --all --json` (the CLI's Send All) over a
// generated file of 5,000 requests alternating between two local keep-alive
// servers (two origins). The CLI runs in a child process that samples its own
// RSS as it goes; the servers count the TCP connections they accept. Runs a
// smaller file too, so peak RSS can be compared across sizes.
// Run: npm run build && node bench/load.mjs     (REQUESTS=5000 SMALL=1000 by default)
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const N = Number(process.env.REQUESTS ?? 5000);
const SMALL = Number(process.env.SMALL ?? 1000);
const tmp = resolve('bench/.tmp');
mkdirSync(tmp, { recursive: true });

function origin(name) {
  let connections = 0;
  let served = 0;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      served++;
      // A rotating session cookie: the jar stays one cookie per origin however long the run.
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Set-Cookie': `sid-${name}=${served}; Path=/; HttpOnly`,
      });
      res.end(
        JSON.stringify({ origin: name, n: served, token: 'tok-123', got: Buffer.concat(chunks).length }),
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', () => connections++);
  return {
    server,
    stats: () => ({ connections, served }),
    reset() {
      connections = 0;
      served = 0;
    },
  };
}

const a = origin('a');
const b = origin('b');
await Promise.all([a, b].map((o) => new Promise((r) => o.server.listen(0, '127.0.0.1', r))));
const base = (o) => `http://127.0.0.1:${o.server.address().port}`;

function generate(n, file) {
  const lines = [`@a = ${base(a)}`, `@b = ${base(b)}`, '', '# @name login', 'POST {{a}}/login', ''];
  for (let i = 1; i < n; i++) {
    const o = i % 2 === 0 ? 'a' : 'b';
    lines.push(`### request ${i}`);
    if (i % 3 === 0) {
      lines.push(
        `POST {{${o}}}/items?i=${i}`,
        'Content-Type: application/json',
        'Authorization: Bearer {{login.response.body.$.token}}',
        '',
      );
      lines.push(`{"i": ${i}, "id": "{{$guid}}", "at": {{$timestamp}}}`, '');
    } else {
      lines.push(`GET {{${o}}}/items/${i}?page=${i % 50}`, 'Accept: application/json', `X-Request: ${i}`, '');
    }
  }
  writeFileSync(file, lines.join('\n'));
}

const childScript = join(tmp, 'load-child.cjs');
writeFileSync(
  childScript,
  `const { writeFileSync } = require('node:fs');
const { main } = require(${JSON.stringify(resolve('dist/cli.js'))});
const [summary, ...args] = process.argv.slice(2);
let done = 0;
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => { done++; return write(chunk, ...rest); };
const samples = [];
const t0 = performance.now();
// Live heap after a full GC at 10/25/50/75/100 % of the requests: what the run holds on to.
const total = Number(process.env.LOAD_REQUESTS);
const marks = [0.1, 0.25, 0.5, 0.75].map((f) => Math.round(total * f));
const sample = () => {
  let live = null;
  if (marks.length > 0 && done >= marks[0]) {
    marks.shift();
    global.gc();
    live = process.memoryUsage().heapUsed;
  }
  const m = process.memoryUsage();
  samples.push({ ms: performance.now() - t0, done, rss: m.rss, heap: m.heapUsed, live });
};
const timer = setInterval(sample, 100);
main(args).then((code) => {
  clearInterval(timer);
  global.gc();
  const m = process.memoryUsage();
  samples.push({ ms: performance.now() - t0, done, rss: m.rss, heap: m.heapUsed, live: m.heapUsed });
  writeFileSync(summary, JSON.stringify({ code, ms: performance.now() - t0, maxRSS: process.resourceUsage().maxRSS * 1024, samples }));
  process.exitCode = code;
});
`,
);

async function run(n) {
  const file = join(tmp, `load-${n}.http`);
  const summaryFile = join(tmp, `load-${n}.json`);
  generate(n, file);
  a.reset();
  b.reset();
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    ['--expose-gc', childScript, summaryFile, 'run', file, '--all', '--json'],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOAD_REQUESTS: String(n) } },
  );
  let rest = '';
  let records = 0;
  let ok = 0;
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop();
    for (const line of lines) {
      records++;
      if (JSON.parse(line).status === 200) ok++;
    }
  });
  const code = await new Promise((r) => child.on('close', r));
  const wall = performance.now() - t0;
  const s = JSON.parse(readFileSync(summaryFile, 'utf8'));
  return { n, code, wall, records, ok, run: s, a: a.stats(), b: b.stats() };
}

const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const at = (samples, fraction, n) => samples.find((s) => s.done >= n * fraction) ?? samples.at(-1);

console.log(
  `machine: ${cpus().length} × ${cpus()[0].model}, node ${process.version}, load ${loadavg()[0].toFixed(1)}`,
);
const results = [];
for (const n of [SMALL, N]) {
  const r = await run(n);
  results.push(r);
  if (r.code !== 0 || r.records !== n || r.ok !== n)
    throw new Error(`run of ${n}: exit ${r.code}, ${r.records} records, ${r.ok} with status 200`);
  const rps = n / (r.run.ms / 1000);
  console.log(`\n${n} requests over 2 origins (http-session run --all --json, one child process):`);
  console.log(
    `  wall time ${(r.wall / 1000).toFixed(2)} s (process start to exit); run ${(r.run.ms / 1000).toFixed(2)} s → ${rps.toFixed(0)} requests/s`,
  );
  console.log(`  peak RSS ${mb(r.run.maxRSS)}`);
  const points = [0.1, 0.25, 0.5, 0.75, 1].map(
    (f) => `${Math.round(f * 100)}% ${mb(at(r.run.samples, f, n).rss)}`,
  );
  console.log(`  RSS by requests done: ${points.join(', ')}`);
  const live = r.run.samples.filter((s) => s.live !== null).map((s) => `${s.done}: ${mb(s.live)}`);
  console.log(`  live heap after GC, by requests done: ${live.join(', ')}`);
  console.log(
    `  server sockets: origin a ${r.a.connections} (${r.a.served} requests), origin b ${r.b.connections} (${r.b.served} requests)`,
  );
}
const [small, big] = results;
console.log(
  `\npeak RSS ${mb(small.run.maxRSS)} for ${small.n} requests vs ${mb(big.run.maxRSS)} for ${big.n} (${((big.run.maxRSS / small.run.maxRSS - 1) * 100).toFixed(0)}% more for ${(big.n / small.n).toFixed(0)}× the requests)`,
);
for (const o of [a, b]) o.server.close();
process.exitCode = results.every((r) => r.a.connections === 1 && r.b.connections === 1) ? 0 : 1;
