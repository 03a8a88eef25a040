// Layer 1: mocha tests inside the extension host (test/e2e/host/*.test.js), loaded through the workbench's
// `extensionTestsPath` payload, which a built VS Code honours only with the smoke-test driver enabled.
// The workbench reports the tests' console through window.codeAutomationLog and the end of run() through
// window.codeAutomationExit(code).
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startCodeServer } from './codeServer.mjs';
import { e2eDir, repoRoot, runDir } from './paths.mjs';
import { failureScreenshot, printFailureContext } from './report.mjs';

const MARK = '[e2e] ';
const LAYER_TIMEOUT_MS = Number(process.env.E2E_HOST_TIMEOUT_MS ?? 8 * 60_000);

function formatArgs(args) {
  return (Array.isArray(args) ? args : [args])
    .map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg)))
    .join(' ');
}

/** @returns {Promise<{passed: number, failed: number, skipped: number}>} */
export async function runHostLayer({ browser, grep, verbose }) {
  console.log('\n== host layer: extension-host tests (test/e2e/host) ==');
  const resultsFile = path.join(runDir, 'host-results.json');
  const automationLog = path.join(runDir, 'host-automation.log');
  const server = await startCodeServer({
    name: 'host',
    testPayload: true,
    env: { HTTP_SESSION_E2E_RESULTS: resultsFile, HTTP_SESSION_E2E_GREP: grep ?? '' },
  });
  const { context, page } = await browser.newPage();
  const automationTail = [];
  try {
    let onExit;
    const exited = new Promise((resolve) => {
      onExit = resolve;
    });
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = formatArgs(args);
      appendFileSync(automationLog, `[${type}] ${text}\n`);
      if (text.startsWith(MARK)) {
        console.log(text.slice(MARK.length));
      } else {
        automationTail.push(`[${type}] ${text.split('\n')[0]}`);
        if (automationTail.length > 40) automationTail.shift();
        if (verbose) console.log(`  [workbench ${type}] ${text}`);
      }
    });
    await page.exposeFunction('codeAutomationExit', (code) => onExit(code));
    page.on('pageerror', (error) => appendFileSync(automationLog, `[pageerror] ${error.stack ?? error}\n`));

    const remote = (file) => `vscode-remote://${server.host}${file}`;
    const payload = [
      ['extensionDevelopmentPath', remote(repoRoot)],
      ['extensionTestsPath', remote(path.join(e2eDir, 'host/index.js'))],
      ['skipWelcome', 'true'],
    ];
    const url = `${server.url}/?folder=${encodeURIComponent(server.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 90_000 });

    let timer;
    const code = await Promise.race([
      exited,
      new Promise((resolve) => {
        timer = setTimeout(() => resolve('timeout'), LAYER_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);

    const results = existsSync(resultsFile)
      ? JSON.parse(readFileSync(resultsFile, 'utf8'))
      : { passed: 0, failed: 0, skipped: 0 };
    let problem = null;
    if (code === 'timeout') problem = `the tests did not finish within ${LAYER_TIMEOUT_MS / 1000}s`;
    else if (!existsSync(resultsFile))
      problem = `run() ended (exit ${code}) before mocha reported any result`;
    else if (code !== 0 && results.failed === 0) problem = `run() failed (exit ${code})`;
    if (problem) {
      // A failure of the layer itself counts as one failed test, so the summary cannot read green.
      results.failed++;
      console.log(`  ✗ host layer: ${problem}`);
    }
    if (results.failed > 0) {
      await failureScreenshot(page, 'host');
      console.log(`  --- workbench log tail (all of it: ${path.relative(repoRoot, automationLog)}) ---`);
      console.log(automationTail.map((line) => `  ${line}`).join('\n'));
      printFailureContext(server);
    }
    return results;
  } finally {
    await context.close().catch(() => {});
    await server.stop();
  }
}
