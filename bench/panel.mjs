// Response panel benchmark: what the extension host does for a 50 MB body.
// Measures the view model (classify + first page scan), the page render
// (first page markup) and one "Load more" page, and prints the page size
// the webview has to parse. The budget is ~100 ms of host work per step.
// Run: node bench/panel.mjs   (builds the panel modules itself with esbuild)
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import * as esbuild from 'esbuild';

mkdirSync('bench/.tmp', { recursive: true });
writeFileSync(
  'bench/.tmp/panel-entry.ts',
  `export { buildResponseView } from '../../src/extension/panel/viewModel';
export { renderResponseHtml } from '../../src/extension/panel/html';
export { nextPage } from '../../src/extension/panel/bodyPages';
`,
);
await esbuild.build({
  entryPoints: ['bench/.tmp/panel-entry.ts'],
  outfile: 'bench/.tmp/panel.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  logLevel: 'warning',
});
const { buildResponseView, renderResponseHtml, nextPage } = createRequire(import.meta.url)(
  './.tmp/panel.cjs',
);

const MB = 1024 * 1024;
const SIZE = Number(process.env.SIZE_MB ?? 50) * MB;
const RUNS = Number(process.env.RUNS ?? 15);

function jsonBody(pretty) {
  const item = {
    id: 123456,
    name: 'item with some text',
    tags: ['a', 'b', 'c'],
    price: 12.5,
    active: true,
    owner: null,
  };
  const one = JSON.stringify(item, null, pretty ? 2 : 0);
  const sep = pretty ? ',\n  ' : ',';
  const count = Math.ceil(SIZE / (one.length + sep.length));
  return `[${pretty ? '\n  ' : ''}${Array(count).fill(one).join(sep)}${pretty ? '\n' : ''}]`;
}

function textBody() {
  const line = '2024-05-01T12:00:00Z INFO request handled path=/api/items status=200 duration=12ms\n';
  return line.repeat(Math.ceil(SIZE / line.length));
}

function sendResult(text, contentType) {
  const body = Buffer.from(text);
  const timing = { dns: 1, connect: 2, tls: 3, sent: 1, firstByte: 50, download: 400, total: 457 };
  const sent = {
    method: 'GET',
    url: 'https://api.example.com/items',
    headers: [['Accept', '*/*']],
    body: null,
  };
  const connection = { id: 1, reused: false, requestsOnConnection: 1, remoteAddress: null };
  return {
    method: 'GET',
    url: sent.url,
    sent,
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: '1.1',
      headers: [['Content-Type', contentType]],
      body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
      text,
      contentType,
      charset: 'utf-8',
      encodedBytes: body.byteLength,
      truncated: false,
    },
    timing,
    connection,
    cookies: { stored: [], rejected: [] },
    redirects: [],
    hops: [{ sent, status: 200, timing, connection }],
    elapsedMs: 457,
    error: null,
    warnings: [],
  };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** The first (cold, before the JIT has seen this code path) run is reported apart from the warm median. */
function time(fn) {
  const samples = [];
  let value;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    value = fn();
    samples.push(performance.now() - t0);
  }
  const warm = samples.slice(1);
  return { value, cold: samples[0], median: median(warm), max: Math.max(...warm) };
}

const resources = {
  asWebviewUri: (p) => `https://file+.vscode-resource.vscode-cdn.net/ext/${p}`,
  cspSource: 'https://*.vscode-cdn.net',
};
const nonce = 'bench0000000000000000000';
const fmt = (t) => `median ${t.median.toFixed(1)} ms (max ${t.max.toFixed(1)}, cold ${t.cold.toFixed(1)})`;

console.log(`machine: ${cpus().length} × ${cpus()[0].model}, node ${process.version}`);
for (const [label, text, type] of [
  ['JSON, minified', jsonBody(false), 'application/json'],
  ['JSON, pretty', jsonBody(true), 'application/json'],
  ['text', textBody(), 'text/plain'],
]) {
  const result = sendResult(text, type);
  const input = { result, sessionName: 'default', requestName: 'items' };
  const model = time(() => buildResponseView(input));
  const view = model.value;
  const page = time(() => renderResponseHtml(view, resources, nonce));
  const more = time(() => nextPage(text, view.body.kind, view.body.next, false));
  console.log(
    `\n${label}: ${(text.length / MB).toFixed(1)} MB body, kind ${view.body.kind}, first page ${(view.body.text.length / 1024).toFixed(0)} KB`,
  );
  console.log(`  view model:       ${fmt(model)}`);
  console.log(`  render page:      ${fmt(page)}, ${(page.value.length / MB).toFixed(2)} MB of HTML`);
  console.log(`  load more (1 pg): ${fmt(more)}, ${(more.value.html.length / MB).toFixed(2)} MB of HTML`);
  console.log(`  host total for the first screen: ${(model.median + page.median).toFixed(1)} ms`);
}
