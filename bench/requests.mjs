// 1,000 sequential GETs to a local keep-alive server: through the whole
// engine (`http-session run --all --json`: parse, variables, jar, timing,
// JSON output) versus the same loop written directly against undici (the
// floor). Both run as child processes, so both pay Node's start-up; runs
// alternate and the medians are compared in one run of this script.
// Run: npm run build && node bench/requests.mjs
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

const N = Number(process.env.REQUESTS ?? 1000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const tmp = resolve('bench/.tmp');
mkdirSync(tmp, { recursive: true });

let connections = 0;
const body = JSON.stringify({ ok: true, items: [1, 2, 3], note: 'a small JSON body' });
const server = createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Set-Cookie': 'seen=1; Path=/' });
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.on('connection', () => connections++);
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

const httpFile = join(tmp, 'requests.http');
const lines = ['@base = ' + base, ''];
for (let i = 0; i < N; i++) lines.push(`###`, `GET {{base}}/items/${i}`, 'Accept: application/json', '');
writeFileSync(httpFile, lines.join('\n'));

const floorScript = join(tmp, 'floor.cjs');
writeFileSync(
  floorScript,
  `const { Agent, request } = require(${JSON.stringify(resolve('node_modules/undici'))});
const agent = new Agent({ keepAliveTimeout: 60000 });
(async () => {
  for (let i = 0; i < ${N}; i++) {
    const r = await request('${base}/items/' + i, { dispatcher: agent, headers: { accept: 'application/json' } });
    const text = await r.body.text();
    process.stdout.write(JSON.stringify({ status: r.statusCode, headers: r.headers, body: text }) + '\\n');
  }
  await agent.close();
})();
`,
);

function timeChild(args) {
  return new Promise((done, fail) => {
    const before = connections;
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let lines = 0;
    child.stdout.on('data', (chunk) => {
      for (const b of chunk) if (b === 10) lines++;
    });
    child.on('error', fail);
    child.on('close', (code) => {
      if (code !== 0) fail(new Error(`${args.join(' ')} exited ${code}`));
      else done({ ms: performance.now() - t0, lines, connections: connections - before });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const engine = [];
const floor = [];
let engineConnections = 0;
for (let round = 0; round < ROUNDS; round++) {
  const e = await timeChild([resolve('dist/cli.js'), 'run', httpFile, '--all', '--json']);
  const f = await timeChild([floorScript]);
  if (e.lines !== N || f.lines !== N) throw new Error(`expected ${N} lines, got ${e.lines} / ${f.lines}`);
  engine.push(e.ms);
  floor.push(f.ms);
  engineConnections = Math.max(engineConnections, e.connections);
}
server.close();

const version = execFileSync(process.execPath, ['--version']).toString().trim();
console.log(`machine: ${cpus().length} × ${cpus()[0].model}, node ${version}`);
console.log(`${N} sequential GETs, ${ROUNDS} alternating rounds, medians:`);
console.log(
  `  engine (http-session run --all --json): ${median(engine).toFixed(0)} ms  (${(median(engine) / N).toFixed(3)} ms/request)`,
);
console.log(
  `  floor  (raw undici loop):               ${median(floor).toFixed(0)} ms  (${(median(floor) / N).toFixed(3)} ms/request)`,
);
console.log(`  ratio engine/floor: ${(median(engine) / median(floor)).toFixed(2)}×`);
console.log(`  TCP connections opened by the engine per run: ${engineConnections}`);
