// The runner builds a file's environment once and reuses it for every
// request until it is told the files or the settings changed.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseHttp } from '../../../src/core/parser';
import { Runner } from '../../../src/core/run';
import { SessionRegistry } from '../../../src/core/session';
import { nodeFileSystem } from '../../../src/core/variables';

test('the environment is read once per file, again after forgetFiles or configure', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'http-session-env-'));
  const httpFile = join(dir, 'api.http');
  const envFile = join(dir, 'http-client.env.json');
  const writeEnv = (dev: string) =>
    writeFileSync(envFile, JSON.stringify({ dev: { host: dev }, prod: { host: 'prod.example' } }));
  writeEnv('one.example');
  const document = parseHttp('GET https://{{host}}/items\n');
  const request = document.requests[0]!;
  const registry = new SessionRegistry();
  t.after(() => registry.disposeAll());
  const runner = new Runner({
    registry,
    fs: nodeFileSystem,
    workspaceRoot: dir,
    trusted: true,
    environmentName: 'dev',
  });
  const url = async () => (await runner.prepare({ document, request, httpFile })).resolved?.url;

  assert.equal(await url(), 'https://one.example/items');
  writeEnv('two.example');
  assert.equal(await url(), 'https://one.example/items', 'kept until the runner is told');
  runner.forgetFiles();
  assert.equal(await url(), 'https://two.example/items');
  runner.configure({ environmentName: 'prod' });
  assert.equal(await url(), 'https://prod.example/items');
  assert.equal(
    await runner.environment(httpFile),
    await runner.environment(httpFile),
    'one environment object for every request of the file',
  );
});
