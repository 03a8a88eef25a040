// Entry of the extension-host tests: VS Code loads this file as `extensionTestsPath` and awaits run() inside
// the extension host, where `require('vscode')` is the real API. Runs every host/*.test.js with mocha (TDD
// interface: suite/test/setup/teardown), prints one line per test, and writes the counts for run.mjs.

const fs = require('node:fs');
const path = require('node:path');

const repoRoot = path.resolve(__dirname, '../../..');
const Mocha = require(path.join(repoRoot, '.e2e-cache/node_modules/mocha'));

// run.mjs shows only lines carrying this mark; the workbench's own chatter goes to a log file.
const MARK = '[e2e] ';
const out = (line) => console.log(MARK + line);

const title = (test) => test.titlePath().join(' › ');

const { EVENT_RUN_END, EVENT_TEST_FAIL, EVENT_TEST_PASS, EVENT_TEST_PENDING } = Mocha.Runner.constants;

class LineReporter extends Mocha.reporters.Base {
  constructor(runner, options) {
    super(runner, options);
    const results = { passed: 0, failed: 0, skipped: 0, failures: [] };
    runner.on(EVENT_TEST_PASS, (test) => {
      results.passed++;
      out(`  ✓ ${title(test)} (${test.duration} ms)`);
    });
    runner.on(EVENT_TEST_PENDING, (test) => {
      results.skipped++;
      out(`  - ${title(test)} (skipped)`);
    });
    runner.on(EVENT_TEST_FAIL, (test, error) => {
      results.failed++;
      results.failures.push({ title: title(test), error: String(error?.stack ?? error) });
      out(`  ✗ ${title(test)}`);
      for (const line of String(error?.stack ?? error)
        .split('\n')
        .slice(0, 12))
        out(`      ${line}`);
    });
    runner.once(EVENT_RUN_END, () => {
      const skipped = results.skipped ? `, ${results.skipped} skipped` : '';
      out(`host: ${results.passed} passed, ${results.failed} failed${skipped}`);
      if (process.env.HTTP_SESSION_E2E_RESULTS) {
        fs.writeFileSync(process.env.HTTP_SESSION_E2E_RESULTS, JSON.stringify(results, null, 2));
      }
    });
  }
}

exports.run = async function run() {
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    timeout: 30_000,
    reporter: LineReporter,
    grep: process.env.HTTP_SESSION_E2E_GREP || undefined,
  });
  const files = fs
    .readdirSync(__dirname)
    .filter((file) => file.endsWith('.test.js'))
    .sort();
  for (const file of files) mocha.addFile(path.join(__dirname, file));
  out(`host: ${files.length} test file(s) in VS Code ${require('vscode').version}, Node ${process.version}`);
  const failures = await new Promise((resolve, reject) => {
    try {
      mocha.run(resolve);
    } catch (error) {
      reject(error);
    }
  });
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
};
