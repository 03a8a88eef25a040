// Where the harness finds the repository, the tools scripts/e2e-setup.sh installed, and its scratch space.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const e2eDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.resolve(e2eDir, '../..');
export const cacheDir = path.join(repoRoot, '.e2e-cache');
export const runDir = path.join(e2eDir, '.run');
export const fixturesDir = path.join(e2eDir, 'fixtures');
export const screenshotsDir = path.join(e2eDir, 'screenshots');

export const node24 = path.join(cacheDir, 'node24/bin/node');
export const codeServerEntry = path.join(cacheDir, 'node_modules/code-server/out/node/entry.js');
export const chromiumPath = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

export function manifest() {
  return JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
}

/** Fails with one message naming everything missing, instead of a stack trace from deep inside. */
export function checkPrerequisites() {
  const missing = [];
  if (!existsSync(node24)) missing.push(`Node 24 (${path.relative(repoRoot, node24)})`);
  if (!existsSync(codeServerEntry)) missing.push('code-server (.e2e-cache/node_modules/code-server)');
  if (!existsSync(path.join(cacheDir, 'node_modules/playwright-core'))) missing.push('playwright-core');
  if (!existsSync(path.join(cacheDir, 'node_modules/mocha'))) missing.push('mocha');
  if (!existsSync(chromiumPath)) missing.push(`Chromium (${chromiumPath})`);
  if (missing.length) {
    throw new Error(`missing ${missing.join(', ')}: run \`bash scripts/e2e-setup.sh\` first`);
  }
  const main = path.join(repoRoot, manifest().main ?? 'dist/extension.js');
  if (!existsSync(main)) {
    throw new Error(`${path.relative(repoRoot, main)} is missing: run \`npm run build\` first`);
  }
}

/** playwright-core lives in the cache, not in the project's dependencies. */
export function loadPlaywright() {
  return createRequire(path.join(cacheDir, 'package.json'))('playwright-core');
}
