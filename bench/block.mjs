// How long sending a ~50 MB JSON response blocks the event loop (the
// extension host's, in the editor). A local server in its own process serves
// the body three ways: with Content-Length, chunked (no length), and gzip.
// Each is fetched through Session.send(), through the Runner (`# @name`d, as
// the editor sends it: variables, session, chain record), and with raw
// undici (request() + body.text(): the floor). A 1 ms interval timer and
// perf_hooks.monitorEventLoopDelay measure the longest stretch the loop was
// blocked during each fetch; fetches alternate and the medians are reported.
// Also timed: the first read of the text afterwards (a text the engine left
// as parts is joined then, in one go).
// Run: node --expose-gc bench/block.mjs   (bundles the engine into bench/.tmp itself)
// SIZE_MB=50 RUNS=7 by default; SESSION_SRC=/path/to/core/session bundles another copy of the engine.
import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import * as esbuild from 'esbuild';
import { swapSession } from './swapSession.mjs';

const SIZE_MB = Number(process.env.SIZE_MB ?? 50);
const RUNS = Number(process.env.RUNS ?? 7);
const tmp = resolve('bench/.tmp');
mkdirSync(tmp, { recursive: true });

writeFileSync(
  join(tmp, 'block-entry.ts'),
  `export { Session, SessionRegistry } from '../../src/core/session';
export { Runner } from '../../src/core/run';
export { parseHttp } from '../../src/core/parser';
export { nodeFileSystem } from '../../src/core/variables/nodeFileSystem';
`,
);
await esbuild.build({
  entryPoints: [join(tmp, 'block-entry.ts')],
  outfile: join(tmp, 'block.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  nodePaths: [resolve('node_modules')],
  plugins: [swapSession],
  logLevel: 'warning',
});
const require = createRequire(import.meta.url);
const { Session, SessionRegistry, Runner, parseHttp, nodeFileSystem } = require('./.tmp/block.cjs');
const { Agent, request } = require('undici');

const serverScript = join(tmp, 'block-server.cjs');
writeFileSync(
  serverScript,
  `const { createServer } = require('node:http');
const zlib = require('node:zlib');
// Decimal megabytes: 50 MB stays under the engine's default 50 MiB body cap.
const size = ${SIZE_MB} * 1000 * 1000;
const parts = [];
let length = 1;
for (let i = 0; ; i++) {
  const item = JSON.stringify({ id: i, name: 'item ' + i, tags: ['a', 'b', 'ü'], nested: { x: i % 7, y: 'text ' + (i * 31) % 1000 } });
  if (length + Buffer.byteLength(item) + 1 > size) break;
  parts.push(item);
  length += Buffer.byteLength(item) + 1;
}
const body = Buffer.from('[' + parts.join(',') + ']');
const gzipped = zlib.gzipSync(body, { level: 1 });
const server = createServer((req, res) => {
  const type = { 'Content-Type': 'application/json; charset=utf-8' };
  if (req.url === '/length') {
    res.writeHead(200, { ...type, 'Content-Length': body.length });
    res.end(body);
  } else if (req.url === '/chunked') {
    res.writeHead(200, type);
    for (let at = 0; at < body.length; at += 1 << 20) res.write(body.subarray(at, at + (1 << 20)));
    res.end();
  } else {
    res.writeHead(200, { ...type, 'Content-Encoding': 'gzip', 'Content-Length': gzipped.length });
    res.end(gzipped);
  }
});
server.keepAliveTimeout = 60000;
// Gone with the benchmark, even when it fails.
process.on('disconnect', () => process.exit());
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port, bytes: body.length, gzipped: gzipped.length }));
`,
);
const server = fork(serverScript, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const info = await new Promise((r) => server.once('message', r));
const base = `http://127.0.0.1:${info.port}`;

// --- The ways of fetching ---------------------------------------------------------------------

const session = new Session('block');
const agent = new Agent({ keepAliveTimeout: 60000, headersTimeout: 0, bodyTimeout: 0 });
const registry = new SessionRegistry();
const runner = new Runner({ registry, fs: nodeFileSystem, workspaceRoot: tmp, trusted: true });
const documents = new Map();
const documentFor = (path) => {
  let doc = documents.get(path);
  if (!doc) {
    doc = parseHttp(`# @name big\nGET ${base}${path}\nAccept: application/json\n`);
    documents.set(path, doc);
  }
  return doc;
};

const ways = {
  floor: async (path) => {
    const r = await request(`${base}${path}`, {
      dispatcher: agent,
      headers: { accept: 'application/json', 'accept-encoding': 'identity' },
    });
    // undici's body.text() does not undo Content-Encoding; decompress like the engine does.
    if (path === '/gzip') {
      const { createGunzip } = await import('node:zlib');
      const gunzip = createGunzip();
      const chunks = [];
      r.body.pipe(gunzip);
      for await (const c of gunzip) chunks.push(c);
      return new TextDecoder().decode(Buffer.concat(chunks));
    }
    return await r.body.text();
  },
  session: async (path) => {
    const r = await session.send({
      method: 'GET',
      url: `${base}${path}`,
      headers: [['Accept', 'application/json']],
      body: null,
    });
    if (r.error) throw new Error(r.error.message);
    return r.response.text;
  },
  runner: async (path) => {
    const document = documentFor(path);
    const outcome = await runner.run({ document, request: document.requests[0], httpFile: null });
    if (outcome.problem || outcome.result?.error) {
      throw new Error(outcome.problem?.message ?? outcome.result.error.message);
    }
    return outcome.result.response.text;
  },
};

// --- Measuring --------------------------------------------------------------------------------

async function measure(way, path) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let last = performance.now();
  let longest = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  histogram.enable();
  const t0 = performance.now();
  const text = await ways[way](path);
  const ms = performance.now() - t0;
  // One more tick so a stretch at the very end is counted.
  await new Promise((r) => setTimeout(r, 5));
  clearInterval(tick);
  histogram.disable();
  if (text.length < info.bytes * 0.9) throw new Error(`${way} ${path}: ${text.length} characters`);
  // The first look at the text: joins a text left as parts (once; a plain string costs nothing here).
  const r0 = performance.now();
  text.charCodeAt(text.length >> 1);
  const read = performance.now() - r0;
  return { ms, gap: longest, delay: histogram.max / 1e6, read };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const paths = ['/length', '/chunked', '/gzip'];
const order = ['floor', 'session', 'runner'];
const results = {};
for (const path of paths) for (const way of order) await measure(way, path); // warm-up
const loadBefore = loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
for (let run = 0; run < RUNS; run++) {
  for (const path of paths) {
    for (const way of run % 2 === 0 ? order : [...order].reverse()) {
      const r = await measure(way, path);
      const key = `${path} ${way}`;
      results[key] = [...(results[key] ?? []), r];
      global.gc?.();
    }
  }
}

const version = execFileSync(process.execPath, ['--version']).toString().trim();
console.log(`machine: ${cpus().length} × ${cpus()[0].model}, node ${version}, load ${loadBefore}`);
console.log(
  `body: ${(info.bytes / 1024 / 1024).toFixed(1)} MB JSON (gzip: ${(info.gzipped / 1024 / 1024).toFixed(1)} MB), ${RUNS} runs, medians (max over runs in brackets)`,
);
console.log(
  'body      way       total ms   longest block ms (interval gap / loop delay)   first read of the text ms',
);
for (const path of paths) {
  for (const way of order) {
    const rs = results[`${path} ${way}`];
    const gap = rs.map((r) => r.gap);
    const delay = rs.map((r) => r.delay);
    console.log(
      `${path.slice(1).padEnd(9)} ${way.padEnd(9)} ${median(rs.map((r) => r.ms))
        .toFixed(0)
        .padStart(8)}   ${median(gap).toFixed(0).padStart(4)} [${Math.max(...gap).toFixed(0)}] / ${median(
        delay,
      )
        .toFixed(0)
        .padStart(4)} [${Math.max(...delay).toFixed(0)}]   ${median(rs.map((r) => r.read)).toFixed(1)}`,
    );
  }
}
await session.dispose();
await registry.disposeAll();
await agent.close();
server.kill();
