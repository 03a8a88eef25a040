// The JetBrains env-file pair found from the `.http` file's folder up to the
// workspace root, on the fixture tree test/fixtures/variables/workspace:
//
//   workspace/            http-client.env.json (+ $shared, dev, prod), private (dev), .env
//   workspace/api/        http-client.env.json ($shared, dev, staging), private ($shared, dev), .env
//   workspace/api/users/  users.http
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { parseHttp } from '../../../src/core/parser';
import {
  buildEnvironment,
  listEnvironmentNames,
  loadVariableFiles,
  nodeFileSystem,
  resolveRequest,
  searchFolders,
  type VariableFileSystem,
} from '../../../src/core/variables';
import { testContext } from './context';

const WS = resolve('test/fixtures/variables/workspace');
const API = join(WS, 'api');
const USERS_HTTP = join(API, 'users', 'users.http');

function recordingFs(): VariableFileSystem & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    readFile: (path) => {
      reads.push(path);
      return nodeFileSystem.readFile(path);
    },
  };
}

async function resolveUsers(options: { env: string | null; trusted?: boolean; root?: string | null }) {
  const fs = recordingFs();
  const trusted = options.trusted ?? true;
  const files = await loadVariableFiles(fs, {
    httpFile: USERS_HTTP,
    workspaceRoot: options.root === undefined ? WS : options.root,
    trusted,
  });
  const environment = buildEnvironment(files.envFiles, undefined, options.env);
  const document = parseHttp(readFileSync(USERS_HTTP, 'utf8'));
  const result = await resolveRequest(
    { document, request: document.requests[0], httpFile: USERS_HTTP },
    testContext({ environment, dotenv: files.dotenv, trusted }),
    fs,
  );
  return { files, result, reads: fs.reads };
}

describe('searchFolders', () => {
  const cases: [string, string, string | null, string[]][] = [
    ['from the file up to the workspace root', USERS_HTTP, WS, [join(API, 'users'), API, WS]],
    ['stops at a nested root', USERS_HTTP, API, [join(API, 'users'), API]],
    ['no root: the file folder only', USERS_HTTP, null, [join(API, 'users')]],
    ['a file outside the root: its folder only', '/elsewhere/a.http', WS, ['/elsewhere']],
  ];
  for (const [name, file, root, want] of cases)
    test(name, () => assert.deepEqual(searchFolders(file, root), want));
});

describe('http-client.env.json + http-client.private.env.json', () => {
  test('nearest file wins per name, private over public, $shared under the environment', async () => {
    const { result } = await resolveUsers({ env: 'dev' });
    assert.ok(result.ok, !result.ok ? result.error.message : '');
    assert.equal(result.value.url, 'https://api-dev.test/v1/users/me?region=api-shared');
    assert.deepEqual(result.value.headers, [
      ['Authorization', 'Bearer api-secret'],
      ['X-Api-Key', 'api-key-secret'],
      ['X-User', 'root-private-user'],
    ]);
    assert.deepEqual(result.value.secrets.sort(), ['api-key-secret', 'api-secret', 'root-private-user']);
  });

  test('another environment: names it lacks are reported, not sent', async () => {
    const { result } = await resolveUsers({ env: 'prod' });
    assert.ok(!result.ok);
    assert.deepEqual(
      result.error.problems.map((p) => [p.line, p.variable]),
      [
        [3, 'auth.scheme'],
        [3, 'token'],
        [5, 'user'],
      ],
    );
  });

  test('the search stops at the workspace root', async () => {
    const { result, reads } = await resolveUsers({ env: 'dev', root: API });
    assert.ok(!reads.includes(join(WS, 'http-client.env.json')));
    assert.ok(!result.ok);
    assert.deepEqual(
      result.error.problems.map((p) => p.variable),
      ['version', 'auth.scheme', 'user'],
    );
  });

  test('Restricted Mode: private env files and .env are never read', async () => {
    const { result, reads, files } = await resolveUsers({ env: 'dev', trusted: false });
    assert.deepEqual(
      reads.filter((p) => p.endsWith('private.env.json') || p.endsWith('.env')),
      [],
    );
    assert.deepEqual(files.dotenv, []);
    assert.ok(!result.ok);
    const token = result.error.problems.find((p) => p.variable === 'token');
    assert.match(token?.message ?? '', /token is not defined.*not read in Restricted Mode/);
  });

  test('environment names from every file, without $shared or $schema', async () => {
    const { files } = await resolveUsers({ env: null });
    assert.deepEqual(listEnvironmentNames(files.envFiles), ['dev', 'prod', 'staging']);
    assert.deepEqual(listEnvironmentNames(files.envFiles, { local: {}, $shared: {} }), [
      'dev',
      'local',
      'prod',
      'staging',
    ]);
  });

  test('JetBrains client settings (SSLConfiguration) are not variables', async () => {
    const { files } = await resolveUsers({ env: 'dev' });
    const env = buildEnvironment(files.envFiles, undefined, 'dev');
    assert.ok(![...env.variables.keys()].some((k) => k.startsWith('SSLConfiguration')));
  });

  test('.env files are found nearest first', async () => {
    const { files } = await resolveUsers({ env: 'dev' });
    assert.deepEqual(
      files.dotenv.map((d) => [d.path, d.values.PASSWORD]),
      [
        [join(API, '.env'), 'from api dotenv'],
        [join(WS, '.env'), 'from-root-dotenv'],
      ],
    );
  });

  test('an env file that is not valid JSON is reported and skipped', async () => {
    const files = await loadVariableFiles(nodeFileSystem, {
      httpFile: join(WS, 'broken', 'broken.http'),
      workspaceRoot: WS,
      trusted: true,
    });
    assert.deepEqual(
      files.problems.map((p) => p.path),
      [join(WS, 'broken', 'http-client.env.json')],
    );
    assert.match(files.problems[0].message, /is not valid JSON/);
    assert.deepEqual(
      files.envFiles.map((f) => f.path),
      [join(WS, 'http-client.env.json'), join(WS, 'http-client.private.env.json')],
    );
  });
});
