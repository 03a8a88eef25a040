// `{{$dotenv NAME}}` and `{{$processEnv NAME}}`, their `%NAME` forms (NAME is
// an environment variable holding the real name, as in REST Client), and
// Restricted Mode, where neither is read.
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import {
  buildEnvironment,
  type DotenvFile,
  loadVariableFiles,
  nodeFileSystem,
} from '../../../src/core/variables';
import { expectOk, resolveText, testContext, resolveValue } from './context';

const dotenv: DotenvFile[] = [
  { path: '/w/api/.env', values: { PASSWORD: 'near', EMPTY: '' } },
  { path: '/w/.env', values: { PASSWORD: 'far', ROOT_ONLY: 'root' } },
];
const environment = buildEnvironment([], { dev: { passwordKey: 'PASSWORD', tokenVar: 'API_TOKEN' } }, 'dev');
const processEnv = { API_TOKEN: 'tok-123', HOME_DIR: '/home/ann' };
const trustedCtx = testContext({ dotenv, environment, processEnv });
const restrictedCtx = testContext({ dotenv, environment, processEnv, trusted: false });

describe('$dotenv and $processEnv', () => {
  const cases: [string, string, string | RegExp][] = [
    ['nearest .env wins', '$dotenv PASSWORD', 'near'],
    ['a name only a farther .env has', '$dotenv ROOT_ONLY', 'root'],
    ['an empty value is a value', '$dotenv EMPTY', ''],
    ['%NAME: the environment variable names the key', '$dotenv %passwordKey', 'near'],
    [
      'a missing key lists the files searched',
      '$dotenv NOPE',
      /NOPE is not in \/w\/api\/\.env or \/w\/\.env/,
    ],
    [
      '%NAME whose environment variable is missing',
      '$dotenv %nokey',
      /nokey names the variable to read, but nokey is not defined in environment dev/,
    ],
    ['OS variable', '$processEnv HOME_DIR', '/home/ann'],
    ['%NAME: the environment variable names the OS variable', '$processEnv %tokenVar', 'tok-123'],
    [
      'an unset OS variable is reported, not sent empty',
      '$processEnv NOT_SET',
      /OS environment variable NOT_SET is not set/,
    ],
    [
      '%NAME naming an unset OS variable',
      '$processEnv %passwordKey',
      /PASSWORD \(named by passwordKey\) is not set/,
    ],
  ];
  for (const [name, expr, want] of cases) {
    test(name, async () => {
      const got = await resolveValue(expr, trustedCtx);
      if (typeof want === 'string') assert.equal(got, want);
      else assert.match(got, want);
    });
  }

  test('no .env file at all', async () => {
    assert.match(
      await resolveValue('$dotenv X', testContext()),
      /no \.env file next to the \.http file or above it/,
    );
  });

  test('values from .env and the OS environment are secrets', async () => {
    const r = expectOk(
      await resolveText(
        'GET http://x.test/\nA: {{$dotenv PASSWORD}}\nB: {{$processEnv %tokenVar}}\n',
        trustedCtx,
      ),
    );
    assert.deepEqual(r.secrets, ['near', 'tok-123']);
  });

  test('read from the fixture tree through the injected file system', async () => {
    const files = await loadVariableFiles(nodeFileSystem, {
      httpFile: resolve('test/fixtures/variables/workspace/api/users/users.http'),
      workspaceRoot: resolve('test/fixtures/variables/workspace'),
      trusted: true,
    });
    const ctx = testContext({ dotenv: files.dotenv });
    assert.equal(await resolveValue('$dotenv PASSWORD', ctx), 'from api dotenv');
    assert.equal(await resolveValue('$dotenv ROOT_ONLY', ctx), 'root');
    assert.equal(files.dotenv[0].path, join(resolve('test/fixtures/variables/workspace/api'), '.env'));
  });
});

describe('Restricted Mode', () => {
  for (const expr of [
    '$dotenv PASSWORD',
    '$dotenv %passwordKey',
    '$processEnv HOME_DIR',
    '$processEnv %tokenVar',
  ]) {
    test(`{{${expr}}} is not read`, async () => {
      assert.match(await resolveValue(expr, restrictedCtx), /is not read in Restricted Mode/);
    });
  }
});
