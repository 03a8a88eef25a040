import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bufferedLines } from '../../../src/cli/bufferedLines';

test('output lines go out together, soon, each ending in a newline', async () => {
  const writes: string[] = [];
  const lines = bufferedLines(
    (t) => writes.push(`out:${t}`),
    (t) => writes.push(`err:${t}`),
  );
  lines.out('a');
  lines.out('b');
  assert.deepEqual(writes, [], 'nothing written at once');
  await new Promise((r) => setTimeout(r, 120));
  assert.deepEqual(writes, ['out:a\nb\n']);
});

test('a line to stderr first writes the output lines before it; flush writes the rest once', () => {
  const writes: string[] = [];
  const lines = bufferedLines(
    (t) => writes.push(`out:${t}`),
    (t) => writes.push(`err:${t}`),
  );
  lines.out('1');
  lines.err('problem');
  lines.out('2');
  lines.flush();
  lines.flush();
  assert.deepEqual(writes, ['out:1\n', 'err:problem\n', 'out:2\n']);
});

test('64 KB of waiting output is written at once', () => {
  const writes: string[] = [];
  const lines = bufferedLines(
    (t) => writes.push(t),
    () => {},
  );
  lines.out('x'.repeat(64 * 1024));
  assert.equal(writes.length, 1);
});
