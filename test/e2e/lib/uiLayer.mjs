// Layer 2: Playwright tests against the workbench, with the extension installed as a user would have it
// (staged as an unpacked folder in a fresh extensions dir).
//
// A test module test/e2e/ui/NAME.mjs exports `tests`: an object whose keys are test names (in run order)
// and whose values are async functions of a context:
//   { page, workspace, codeServer, screenshot(name), startLocalServer(routes), skip(reason) }
// It may export `timeout` (ms per test, default 60 s). Each module gets a fresh page on the workbench;
// after a failed test the next one gets a fresh page too.
import { appendFileSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openWorkbench, startLocalServer } from '../helpers.mjs';
import { startCodeServer } from './codeServer.mjs';
import { e2eDir, repoRoot, runDir, screenshotsDir } from './paths.mjs';
import { isShuttingDown } from './processes.mjs';
import { failureScreenshot, printFailureContext } from './report.mjs';

const DEFAULT_TEST_TIMEOUT_MS = 60_000;

class Skip extends Error {}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000}s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function freshWorkbench(browser, codeServer, log) {
  const { context, page } = await browser.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (error) => log(`[pageerror] ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') log(`[console.error] ${message.text()}`);
  });
  const started = Date.now();
  try {
    await openWorkbench(page, codeServer);
  } catch (error) {
    await context.close().catch(() => {});
    throw error;
  }
  log(`workbench ready in ${Date.now() - started} ms`);
  return { context, page };
}

/** @returns {Promise<{passed: number, failed: number, skipped: number}>} */
export async function runUiLayer({ browser, grep, verbose }) {
  console.log('\n== ui layer: Playwright tests (test/e2e/ui) ==');
  const results = { passed: 0, failed: 0, skipped: 0 };
  const uiDir = path.join(e2eDir, 'ui');
  const modules = readdirSync(uiDir)
    .filter((file) => file.endsWith('.mjs'))
    .sort();
  mkdirSync(screenshotsDir, { recursive: true });
  const codeServer = await startCodeServer({ name: 'ui', stage: true });
  // Browser console errors and page errors: all to a file, first lines to stdout with --verbose.
  const browserLog = path.join(runDir, 'ui-browser.log');
  const log = (line) => {
    appendFileSync(browserLog, `${line}\n`);
    if (verbose) console.log(`  ${line.split('\n')[0]}`);
  };
  try {
    for (const file of modules) {
      const module = await import(pathToFileURL(path.join(uiDir, file)).href);
      const moduleName = file.replace(/\.mjs$/, '');
      const tests = Object.entries(module.tests ?? {}).filter(
        ([name]) => !grep || `${moduleName} › ${name}`.includes(grep),
      );
      if (!tests.length) continue;
      const testTimeout = module.timeout ?? DEFAULT_TEST_TIMEOUT_MS;
      let session = null;
      try {
        for (const [name, fn] of tests) {
          if (isShuttingDown()) break;
          const title = `${moduleName} › ${name}`;
          const started = Date.now();
          const servers = [];
          try {
            session ??= await withTimeout(
              freshWorkbench(browser, codeServer, log),
              90_000,
              'opening the workbench',
            );
            const { page } = session;
            await withTimeout(
              fn({
                page,
                workspace: codeServer.workspace,
                codeServer,
                screenshot: async (shot) => {
                  // Pictures for the README: not with a transient progress item in the status bar.
                  await page
                    .locator('.statusbar-item', { hasText: 'Activating Extensions' })
                    .waitFor({ state: 'detached', timeout: 10_000 })
                    .catch(() => {});
                  const target = path.join(screenshotsDir, `${shot}.png`);
                  await page.screenshot({ path: target });
                  log(`screenshot ${path.relative(repoRoot, target)}`);
                },
                startLocalServer: async (routes) => {
                  const server = await startLocalServer(routes);
                  servers.push(server);
                  return server;
                },
                skip: (reason) => {
                  throw new Skip(reason);
                },
              }),
              testTimeout,
              'test',
            );
            results.passed++;
            console.log(`  ✓ ${title} (${Date.now() - started} ms)`);
          } catch (error) {
            if (isShuttingDown()) break;
            if (error instanceof Skip) {
              results.skipped++;
              console.log(`  - ${title} (skipped: ${error.message})`);
              continue;
            }
            results.failed++;
            console.log(`  ✗ ${title}`);
            const stack = String(error?.stack ?? error)
              .split('\n')
              .slice(0, 12);
            console.log(stack.map((line) => `      ${line}`).join('\n'));
            if (session) {
              await failureScreenshot(session.page, title);
              await session.context.close().catch(() => {});
              session = null;
            }
          } finally {
            await Promise.all(servers.map((server) => server.close()));
          }
        }
      } finally {
        await session?.context.close().catch(() => {});
      }
    }
    const skipped = results.skipped ? `, ${results.skipped} skipped` : '';
    console.log(`ui: ${results.passed} passed, ${results.failed} failed${skipped}`);
    if (results.failed > 0) {
      console.log(`  browser console errors: ${path.relative(repoRoot, browserLog)}`);
      printFailureContext(codeServer);
    }
    return results;
  } finally {
    await codeServer.stop();
  }
}
