// Sequential keep-alive GETs to a local server (in its own process), measured
// two ways, each against raw undici doing the same work in the same run:
//
//  1. engine: Session.send() in one process versus undici's request() with the
//     same Agent options, the same request headers, bodies read fully. Batches
//     of 50 alternate (and alternate which goes first); the ratio of the sums
//     is the engine's sending overhead.
//  2. whole run: `http-session run FILE --all --json` (parse, variables, jar,
//     timing, JSON output) versus an undici loop printing one JSON line per
//     response. Both are child processes and pay Node's start-up.
//
// Run: node bench/requests.mjs   (bundles the engine and the CLI into bench/.tmp itself; the CLI
// keeps its code cache in bench/.tmp/code-cache, see src/cli/codeCache.ts)
// REQUESTS=1000 ROUNDS=7 CLI_ROUNDS=5 by default (part 1 sends ROUNDS × REQUESTS per side);
// CLI_ROUNDS=0 skips part 2.
import { execFileSync, fork, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as esbuild from 'esbuild';
import { sessionSrc, swapSession } from './swapSession.mjs';

const N = Number(process.env.REQUESTS ?? 1000);
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const CLI_ROUNDS = Number(process.env.CLI_ROUNDS ?? 5);
const tmp = resolve('bench/.tmp');
mkdirSync(tmp, { recursive: true });

// SESSION_SRC=/path/to/core/session bundles another copy of the engine (into both parts), e.g. to
// compare before/after.
writeFileSync(join(tmp, 'session-entry.ts'), `export { Session } from ${JSON.stringify(sessionSrc)};\n`);
await Promise.all([
  esbuild.build({
    entryPoints: [join(tmp, 'session-entry.ts')],
    outfile: join(tmp, 'session.cjs'),
    bundle: true,
    nodePaths: [resolve('node_modules')],
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  }),
  // As shipped: the command (cli.cjs, like dist/cli.js) loads the CLI (cli-main.js) with its code cache.
  CLI_ROUNDS > 0
    ? esbuild.build({
        entryPoints: ['src/cli/main.ts'],
        outfile: join(tmp, 'cli-main.js'),
        bundle: true,
        nodePaths: [resolve('node_modules')],
        plugins: [swapSession],
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        logLevel: 'warning',
      })
    : null,
  CLI_ROUNDS > 0
    ? esbuild.build({
        entryPoints: ['src/cli/bin.ts'],
        outfile: join(tmp, 'cli.cjs'),
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        logLevel: 'warning',
      })
    : null,
]);
const require = createRequire(import.meta.url);
const { Session } = require('./.tmp/session.cjs');
const { Agent, request } = require('undici');

// The server runs in its own process so that its work is not billed to either side.
const serverScript = join(tmp, 'requests-server.cjs');
writeFileSync(
  serverScript,
  `const { createServer } = require('node:http');
let connections = 0;
const body = JSON.stringify({ ok: true, items: [1, 2, 3], note: 'a small JSON body' });
const server = createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json', 'Set-Cookie': 'seen=1; Path=/' });
  res.end(body);
});
server.keepAliveTimeout = 60000;
// Gone with the benchmark, even when it fails.
process.on('disconnect', () => process.exit());
server.on('connection', () => connections++);
process.on('message', (m) => { if (m === 'connections') process.send({ connections }); });
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
`,
);
const server = fork(serverScript, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const port = await new Promise((r) => server.once('message', (m) => r(m.port)));
const base = `http://127.0.0.1:${port}`;
const connections = () =>
  new Promise((r) => {
    server.once('message', (m) => r(m.connections));
    server.send('connections');
  });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

// --- 1. The engine in process versus undici's request() -------------------------------------

const session = new Session('bench');
// What the engine puts on the wire for these requests (Host is added by undici on both sides).
const probe = await session.send({ method: 'GET', url: `${base}/`, headers: [], body: null });
const wireHeaders = {};
for (const [name, value] of probe.sent.headers) {
  if (name.toLowerCase() !== 'host') wireHeaders[name.toLowerCase()] = value;
}
wireHeaders.accept = 'application/json';
const agent = new Agent({
  keepAliveTimeout: session.config.keepAliveMs,
  maxHeaderSize: session.config.maxHeaderBytes,
  headersTimeout: 0,
  bodyTimeout: 0,
});

async function engineLoop(from, count) {
  let chars = 0;
  for (let i = from; i < from + count; i++) {
    const result = await session.send({
      method: 'GET',
      url: `${base}/items/${i}`,
      headers: [['Accept', 'application/json']],
      body: null,
    });
    if (result.error || result.response.status !== 200) throw new Error(`engine: ${result.error?.message}`);
    chars += result.response.text.length;
  }
  return chars;
}

async function floorLoop(from, count) {
  let chars = 0;
  for (let i = from; i < from + count; i++) {
    const r = await request(`${base}/items/${i}`, { dispatcher: agent, headers: wireHeaders });
    chars += (await r.body.text()).length;
  }
  return chars;
}

await engineLoop(0, 300); // warm-up: JIT, and the first connection of each side
await floorLoop(0, 300);
const loadBefore = load();
// Short batches that alternate (and alternate which goes first) so that both sides see the same
// load from other processes; the ratio is taken over the sums and per batch.
const BATCH = 50;
const engine = [];
const floor = [];
const before = await connections();
for (let batch = 0; batch < (ROUNDS * N) / BATCH; batch++) {
  const order = batch % 2 === 0 ? [engineLoop, floorLoop] : [floorLoop, engineLoop];
  for (const loop of order) {
    const t0 = performance.now();
    await loop(batch * BATCH, BATCH);
    (loop === engineLoop ? engine : floor).push(performance.now() - t0);
  }
}
const opened = (await connections()) - before;
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const version = execFileSync(process.execPath, ['--version']).toString().trim();
console.log(`machine: ${cpus().length} × ${cpus()[0].model}, node ${version}, load ${loadBefore}`);
console.log(
  `1. ${ROUNDS} × ${N} sequential GETs per side in one process, alternating in batches of ${BATCH}:`,
);
console.log(
  `  engine (Session.send):      ${sum(engine).toFixed(0)} ms  (median ${((median(engine) / BATCH) * 1000).toFixed(0)} µs/request)`,
);
console.log(
  `  floor  (undici request()):  ${sum(floor).toFixed(0)} ms  (median ${((median(floor) / BATCH) * 1000).toFixed(0)} µs/request)`,
);
console.log(
  `  ratio engine/floor: ${(sum(engine) / sum(floor)).toFixed(2)}× (median of batch ratios ${median(engine.map((e, i) => e / floor[i])).toFixed(2)}×)`,
);
console.log(`  new TCP connections during the measured batches (both sides): ${opened}`);
await session.dispose();
await agent.close();

// --- 2. The whole CLI run versus an undici loop, as child processes -------------------------

if (CLI_ROUNDS > 0) {
  const httpFile = join(tmp, 'requests.http');
  const lines = [`@base = ${base}`, ''];
  for (let i = 0; i < N; i++) lines.push('###', `GET {{base}}/items/${i}`, 'Accept: application/json', '');
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

  const codeCache = join(tmp, 'code-cache');
  const timeChild = (args) =>
    new Promise((done, fail) => {
      const t0 = performance.now();
      const child = spawn(process.execPath, args, {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, HTTP_SESSION_CODE_CACHE: codeCache },
      });
      let count = 0;
      child.stdout.on('data', (chunk) => {
        for (const b of chunk) if (b === 10) count++;
      });
      child.on('error', fail);
      child.on('close', (code) => {
        if (code !== 0) fail(new Error(`${args.join(' ')} exited ${code}`));
        else done({ ms: performance.now() - t0, lines: count });
      });
    });

  const cliLoad = load();
  const run = [];
  const loop = [];
  let runConnections = 0;
  // The first run compiles the CLI and leaves its code cache (in a folder of the benchmark's own,
  // emptied first); the rounds measure the runs after it.
  rmSync(codeCache, { recursive: true, force: true });
  const first = await timeChild([join(tmp, 'cli.cjs'), 'run', httpFile, '--all', '--json']);
  for (let round = 0; round < CLI_ROUNDS; round++) {
    const before = await connections();
    const e = await timeChild([join(tmp, 'cli.cjs'), 'run', httpFile, '--all', '--json']);
    runConnections = Math.max(runConnections, (await connections()) - before);
    const f = await timeChild([floorScript]);
    if (e.lines !== N || f.lines !== N) throw new Error(`expected ${N} lines, got ${e.lines} / ${f.lines}`);
    run.push(e.ms);
    loop.push(f.ms);
  }
  console.log(
    `2. the same GETs as child processes, ${CLI_ROUNDS} alternating rounds, medians (load ${cliLoad}):`,
  );
  console.log(
    `  http-session run --all --json: ${median(run).toFixed(0)} ms (the first run, without a code cache: ${first.ms.toFixed(0)} ms)`,
  );
  console.log(`  undici loop printing JSON:     ${median(loop).toFixed(0)} ms`);
  console.log(`  ratio run/loop: ${(median(run) / median(loop)).toFixed(2)}×`);
  console.log(`  TCP connections opened by the run: ${runConnections}`);
}
server.kill();
