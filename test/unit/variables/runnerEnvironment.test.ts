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

test('an environment forgotten while it is built does not come back', async (t) => {
  // The first read of the env file is held until the file has changed and the runner was told.
  let content = JSON.stringify({ dev: { host: 'old.example' } });
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let reads = 0;
  const fs = {
    async readFile(path: string) {
      if (!path.endsWith('/http-client.env.json')) return undefined;
      const now = content;
      if (reads++ === 0) await held;
      return new TextEncoder().encode(now);
    },
  };
  const document = parseHttp('GET https://{{host}}/\n');
  const request = document.requests[0]!;
  const registry = new SessionRegistry();
  t.after(() => registry.disposeAll());
  const runner = new Runner({ registry, fs, workspaceRoot: '/w', trusted: true, environmentName: 'dev' });

  const building = runner.environment('/w/api.http');
  content = JSON.stringify({ dev: { host: 'new.example' } });
  runner.forgetFiles();
  release();
  assert.equal((await building).environment.variables.get('host')?.value, 'old.example');
  const prepared = await runner.prepare({ document, request, httpFile: '/w/api.http' });
  assert.equal(prepared.resolved?.url, 'https://new.example/');
});
