// Builds the three bundles (extension, CLI, webview) and, with --tests,
// transpiles src/ and test/ file by file into out/ for `node --test`.
// --tests-only only transpiles: dist/ (which others may be using) stays as it
// is, and the tests of the built CLI run that dist/cli.js (with dist/cli-main.js).
import { chmodSync, copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const testsOnly = process.argv.includes('--tests-only');
const tests = testsOnly || process.argv.includes('--tests');
// Node 20 is what the oldest supported VS Code (1.100) runs extensions on.
const nodeTarget = 'node20';

function tsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath ?? e.path, e.name));
}

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

const bundle = testsOnly ? async () => {} : esbuild.build;

await Promise.all([
  bundle({
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: nodeTarget,
    // engine.js is its own bundle, required on first use (see extension.ts).
    external: ['vscode', './engine.js'],
    // Loading the code counts towards activation time as VS Code reports it: time it from first to last line.
    banner: { js: "'use strict';\nvar __httpSessionLoadStart = performance.now();" },
    footer: { js: 'var __httpSessionLoadEnd = performance.now();' },
  }),
  bundle({
    ...common,
    entryPoints: ['src/extension/engine.ts'],
    outfile: 'dist/engine.js',
    platform: 'node',
    format: 'cjs',
    target: nodeTarget,
    external: ['vscode'],
  }),
  // The command is a small loader (bin.ts) that compiles the CLI itself (cli-main.js) with a V8
  // code cache; see src/cli/codeCache.ts.
  bundle({
    ...common,
    entryPoints: ['src/cli/bin.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: nodeTarget,
    banner: { js: '#!/usr/bin/env node' },
  }),
  bundle({
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli-main.js',
    platform: 'node',
    format: 'cjs',
    target: nodeTarget,
  }),
  bundle({
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  }),
]);
if (!testsOnly) {
  chmodSync('dist/cli.js', 0o755);
  // The response panel loads codicons from the extension's own files (CSP: no remote fonts).
  mkdirSync('dist/codicons', { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf'])
    copyFileSync(`node_modules/@vscode/codicons/dist/${f}`, `dist/codicons/${f}`);
}

// TEST_OUT lets two test runs on one checkout keep out of each other's way.
const testOut = process.env.TEST_OUT ?? 'out';
if (tests) {
  rmSync(testOut, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [...tsFiles('src'), ...tsFiles('test')],
    outdir: testOut,
    outbase: '.',
    platform: 'node',
    format: 'cjs',
    target: nodeTarget,
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}
