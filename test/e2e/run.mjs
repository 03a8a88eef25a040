#!/usr/bin/env node
// End-to-end tests of the extension in a real VS Code (code-server + Debian Chromium), in two layers:
//   host: mocha tests inside the extension host, real `vscode` API   (test/e2e/host/*.test.js)
//   ui:   Playwright tests against the workbench, as a user sees it  (test/e2e/ui/*.mjs)
// Usage: node test/e2e/run.mjs [--layer host|ui] [--grep TEXT] [--verbose]
// Needs `bash scripts/e2e-setup.sh` and `npm run build` first. Scratch files go to test/e2e/.run/.
import { mkdirSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { launchBrowser } from './lib/browser.mjs';
import { runHostLayer } from './lib/hostLayer.mjs';
import { checkPrerequisites, runDir } from './lib/paths.mjs';
import { killAllSync, stopAll } from './lib/processes.mjs';
import { runUiLayer } from './lib/uiLayer.mjs';

const WATCHDOG_MS = Number(process.env.E2E_WATCHDOG_MS ?? 15 * 60_000);

const { values: options } = parseArgs({
  options: {
    layer: { type: 'string' },
    grep: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});
if (options.layer && !['host', 'ui'].includes(options.layer)) {
  console.error(`e2e: unknown --layer ${options.layer} (host or ui)`);
  process.exit(2);
}

const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;

// Whatever happens, the processes this run started (by pid, in their own groups) do not outlive it.
process.on('exit', killAllSync);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    console.error(`\ne2e: ${signal}, stopping`);
    stopAll(1000, { final: true }).finally(() => process.exit(130));
  });
}
const watchdog = setTimeout(() => {
  console.error(`\ne2e: watchdog: still running after ${WATCHDOG_MS / 1000}s, stopping everything`);
  stopAll(1000, { final: true }).finally(() => {
    // Printed last, right before exiting, so no late layer output follows the closing line.
    console.log('0 passed, 1 failed');
    process.exit(1);
  });
}, WATCHDOG_MS);

async function main() {
  checkPrerequisites();
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true });
  const totals = { passed: 0, failed: 0, skipped: 0 };
  const add = (results) => {
    totals.passed += results.passed;
    totals.failed += results.failed;
    totals.skipped += results.skipped;
  };
  const browser = await launchBrowser();
  try {
    for (const [layer, runLayer] of [
      ['host', runHostLayer],
      ['ui', runUiLayer],
    ]) {
      if (options.layer && options.layer !== layer) continue;
      try {
        add(await runLayer({ browser, grep: options.grep, verbose: options.verbose }));
      } catch (error) {
        // The layer could not run at all (code-server did not start, …): one failure, and go on.
        console.log(`  ✗ ${layer} layer could not run: ${error?.stack ?? error}`);
        add({ passed: 0, failed: 1, skipped: 0 });
      }
    }
  } finally {
    await browser.close();
    await stopAll();
  }
  if (totals.passed + totals.failed === 0) {
    console.log('e2e: no test ran (check --grep)');
    totals.failed++;
  }
  console.log(`\ne2e: done in ${seconds()}`);
  const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
  console.log(`${totals.passed} passed, ${totals.failed} failed${skipped}`);
  return totals.failed === 0 ? 0 : 1;
}

main()
  .then((code) => {
    clearTimeout(watchdog);
    // Exit now rather than when idle keep-alive sockets time out.
    process.exit(code);
  })
  .catch(async (error) => {
    clearTimeout(watchdog);
    console.error(`e2e: ${error?.message ?? error}`);
    console.log('0 passed, 1 failed');
    await stopAll(1000);
    process.exit(1);
  });
