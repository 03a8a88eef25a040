import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import {
  CLIENT_CERTIFICATES,
  RESTRICTED_SETTINGS,
  restrictedValue,
} from '../../../src/extension/restrictedSettings';

/** The extension's package.json, wherever the tests were transpiled to. */
function manifest(): {
  capabilities?: { untrustedWorkspaces?: { restrictedConfigurations?: unknown } };
  contributes?: { configuration?: { properties?: Record<string, unknown> } };
} {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const path = join(dir, 'package.json');
    if (existsSync(path)) {
      const json = JSON.parse(readFileSync(path, 'utf8'));
      if (json.name === 'http-session') return json;
    }
  }
  throw new Error('package.json not found');
}

describe('restricted settings in Restricted Mode', () => {
  const user = { 'api.example.org': { pfx: '/home/me/me.p12', passphrase: 'mine' } };
  const workspace = { 'evil.example': { key: '/home/me/.ssh/id_ed25519' } };
  const merged = { ...user, ...workspace };

  test('an untrusted workspace gets only the user value, never the workspace or folder value', () => {
    const inspected = {
      defaultValue: {},
      globalValue: user,
      workspaceValue: workspace,
      workspaceFolderValue: workspace,
    };
    assert.deepEqual(restrictedValue(merged, inspected, false), user);
  });

  test('an untrusted workspace with no user value gets the default', () => {
    const inspected = { defaultValue: {}, workspaceValue: workspace };
    assert.deepEqual(restrictedValue<Record<string, unknown>>(workspace, inspected, false), {});
  });

  test('a trusted workspace gets the effective value, workspace entries included', () => {
    const inspected = { defaultValue: {}, globalValue: user, workspaceValue: workspace };
    assert.deepEqual(restrictedValue(merged, inspected, true), merged);
  });

  test('package.json declares exactly these settings restricted, and each is a contributed setting', () => {
    const json = manifest();
    assert.deepEqual(json.capabilities?.untrustedWorkspaces?.restrictedConfigurations, [
      ...RESTRICTED_SETTINGS,
    ]);
    assert.ok(RESTRICTED_SETTINGS.includes(CLIENT_CERTIFICATES));
    const properties = json.contributes?.configuration?.properties ?? {};
    for (const id of RESTRICTED_SETTINGS) assert.ok(id in properties, `${id} is not a contributed setting`);
  });
});
