// Numbers for BENCHMARKS.md, measured where they happen: the extension's own activation time, and how long
// the extension host's event loop is blocked at a stretch while a 50 MB JSON response is sent and shown.
// Printed as `BENCH` lines; the assertions only check that the measurement itself worked.

const assert = require('node:assert/strict');
const vscode = require('vscode');
const { extensionApi, startLocalServer, writeWorkspaceFile } = require('./helpers.js');

/** Largest gap between timer ticks that should come every `interval` ms: the longest block, roughly. */
function watchEventLoop(interval = 5) {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last - interval);
    last = now;
  }, interval);
  return () => {
    clearInterval(timer);
    return Math.max(0, longest);
  };
}

suite('bench', () => {
  test('activation time', async () => {
    const api = await extensionApi();
    assert.equal(typeof api.activationMs, 'number');
    assert.ok(api.activationMs > 0);
    console.log(`[e2e] BENCH activation-ms ${api.activationMs.toFixed(1)}`);
  });

  test('50 MB JSON response: longest extension-host block', async function () {
    this.timeout(120_000);
    await extensionApi();
    const server = await startLocalServer();
    try {
      const uri = await writeWorkspaceFile('generated/bench-50mb.http', `GET ${server.url}/json-big?mb=50\n`);
      const stop = watchEventLoop();
      const started = performance.now();
      const outcome = await vscode.commands.executeCommand('httpSession.sendRequest', uri, 0);
      const total = performance.now() - started;
      const longest = stop();
      assert.equal(outcome.result.response.status, 200);
      assert.ok(outcome.result.response.bodyBytes > 45_000_000, `${outcome.result.response.bodyBytes} bytes`);
      console.log(
        `[e2e] BENCH host-50mb-longest-block-ms ${longest.toFixed(0)} (send and show: ${total.toFixed(0)} ms)`,
      );
    } finally {
      await server.close();
    }
  });
});
