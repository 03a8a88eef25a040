// The CLI's code cache: used when it fits, written once per version of the
// bundle in a folder only the user may write to, never trusted otherwise,
// and the bundle runs the same either way.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cacheDirectory } from '../../../src/cli/codeCache';

function bundle(dir: string, answer: number): string {
  const file = join(dir, 'bundle.js');
  // Enough functions that V8 has something to cache, and a builtin required through `require`.
  writeFileSync(
    file,
    `const { join } = require('node:path');\n${Array.from({ length: 50 }, (_, i) => `function f${i}(x) { return x + ${i}; }`).join('\n')}\nmodule.exports = { answer: f0(${answer}), joined: join('a', 'b'), named: __filename };\n`,
  );
  return file;
}

const cacheFiles = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.v8'));
const codeCache = join(__dirname, '../../../src/cli/codeCache.js');

/**
 * loadBundle then save, in a process of its own: within one process V8 keeps compiled scripts
 * in memory and would answer from there instead of from the cache file.
 */
function load(file: string, cache: string): { fromCache: boolean; exports: Record<string, unknown> } {
  const child = spawnSync(
    process.execPath,
    [
      '-e',
      `const { loadBundle } = require(${JSON.stringify(codeCache)});
const loaded = loadBundle(${JSON.stringify(file)}, ${JSON.stringify(cache)});
loaded.save();
process.stdout.write(JSON.stringify({ fromCache: loaded.fromCache, exports: loaded.exports }));`,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout);
}

test('the first load writes the cache, the next one runs from it', {
  skip: process.platform === 'win32',
}, () => {
  const root = mkdtempSync(join(tmpdir(), 'http-session-cache-test-'));
  const cache = join(root, 'cache');
  const file = bundle(root, 42);

  const first = load(file, cache);
  assert.deepEqual(first.exports, { answer: 42, joined: join('a', 'b'), named: file });
  assert.equal(first.fromCache, false);
  assert.equal(cacheFiles(cache).length, 1);
  assert.equal(statSync(cache).mode & 0o777, 0o700);
  assert.equal(statSync(join(cache, cacheFiles(cache)[0]!)).mode & 0o777, 0o600);

  const second = load(file, cache);
  assert.equal(second.fromCache, true);
  assert.deepEqual(second.exports, first.exports);
});

test('a new version of the bundle gets its own cache and the old one goes', {
  skip: process.platform === 'win32',
}, () => {
  const root = mkdtempSync(join(tmpdir(), 'http-session-cache-test-'));
  const cache = join(root, 'cache');
  const file = bundle(root, 1);
  load(file, cache);
  const before = cacheFiles(cache);

  bundle(root, 2);
  const changed = load(file, cache);
  assert.equal(changed.fromCache, false);
  assert.equal(changed.exports.answer, 2);
  const after = cacheFiles(cache);
  assert.equal(after.length, 1);
  assert.notEqual(after[0], before[0]);
});

test('temporary files a dead writer left are cleared once old, a fresh one (a writer at work) is not', {
  skip: process.platform === 'win32',
}, () => {
  const root = mkdtempSync(join(tmpdir(), 'http-session-cache-test-'));
  const cache = join(root, 'cache');
  const file = bundle(root, 8);
  load(file, cache);
  const slot = cacheFiles(cache)[0]!.replace(/[0-9a-f]{32}\.v8$/, '');
  const stale = join(cache, `${slot}0123.v8.99-aa.tmp`);
  const fresh = join(cache, `${slot}0123.v8.98-bb.tmp`);
  writeFileSync(stale, 'x');
  writeFileSync(fresh, 'x');
  const old = new Date(Date.now() - 5 * 60_000);
  utimesSync(stale, old, old);
  bundle(root, 9);
  load(file, cache);
  const names = readdirSync(cache);
  assert.ok(!names.includes(stale.slice(cache.length + 1)), names.join(' '));
  assert.ok(names.includes(fresh.slice(cache.length + 1)), names.join(' '));
});

test('a damaged cache is refused by V8 and replaced; the bundle still runs', {
  skip: process.platform === 'win32',
}, () => {
  const root = mkdtempSync(join(tmpdir(), 'http-session-cache-test-'));
  const cache = join(root, 'cache');
  const file = bundle(root, 7);
  load(file, cache);
  const name = join(cache, cacheFiles(cache)[0]!);
  writeFileSync(name, Buffer.from('not a code cache at all'), { mode: 0o600 });

  const damaged = load(file, cache);
  assert.equal(damaged.fromCache, false);
  assert.equal(damaged.exports.answer, 7);
  assert.equal(load(file, cache).fromCache, true, 'the damaged file was replaced');
});

test('a folder others may write to is neither read nor written', {
  skip: process.platform === 'win32',
}, () => {
  const root = mkdtempSync(join(tmpdir(), 'http-session-cache-test-'));
  const cache = join(root, 'cache');
  const file = bundle(root, 3);
  load(file, cache);
  chmodSync(cache, 0o777);
  assert.equal(load(file, cache).fromCache, false, 'a cache in a shared folder is not trusted');

  const shared = join(root, 'shared');
  mkdirSync(shared, { mode: 0o777 });
  chmodSync(shared, 0o777);
  load(file, shared);
  assert.deepEqual(cacheFiles(shared), []);
});

test('the command writes its cache at exit when the run is worth it, and not when turned off', {
  skip: process.platform === 'win32',
}, () => {
  const root = mkdtempSync(join(tmpdir(), 'http-session-cache-test-'));
  const file = bundle(root, 5);
  const run = (cache: string, env: Record<string, string>, worth = true) =>
    spawnSync(
      process.execPath,
      [
        '-e',
        `const { loadWithCodeCache } = require(${JSON.stringify(codeCache)}); process.stdout.write(String(loadWithCodeCache(${JSON.stringify(file)}, () => ${worth}).answer));`,
      ],
      {
        env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: '', HTTP_SESSION_CODE_CACHE: cache, ...env },
        encoding: 'utf8',
      },
    );
  const on = join(root, 'on');
  assert.equal(run(on, {}).stdout, '5');
  assert.equal(cacheFiles(on).length, 1);
  const early = join(root, 'early');
  assert.equal(run(early, {}, false).stdout, '5');
  assert.throws(() => readdirSync(early), { code: 'ENOENT' }, 'a run that stopped early leaves no cache');
  const off = join(root, 'off');
  assert.equal(run(off, { NODE_DISABLE_COMPILE_CACHE: '1' }).stdout, '5');
  assert.throws(() => readdirSync(off), { code: 'ENOENT' });
});

test('Windows gets no cache: a folder mode there cannot say that only its owner may write', () => {
  assert.equal(cacheDirectory({ HTTP_SESSION_CODE_CACHE: '/x' }) === null, process.platform === 'win32');
  assert.equal(cacheDirectory({ NODE_DISABLE_COMPILE_CACHE: '1' }), null);
});
