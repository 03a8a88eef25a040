// Bad `httpSession.defaultHeaders` and `httpSession.resolve` values are told
// when the settings are read, naming the setting and the entry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  defaultHeaderProblems,
  parseResolveRule,
  readResolveRules,
} from '../../../src/extension/settingsChecks';

test('default headers that no request could send are named with the reason', () => {
  assert.deepEqual(
    defaultHeaderProblems({
      'User-Agent': 'tests/1.0',
      'X-Count': 5 as unknown as string,
      'Bad Name': 'x',
      'X-Split': 'a\r\nX-Evil: 1',
      'X-Nul': 'a\u0000b',
    }),
    [
      'httpSession.defaultHeaders["Bad Name"]: "Bad Name" is not a header name',
      'httpSession.defaultHeaders["X-Split"]: the value contains a carriage return (CR), which a header value cannot hold',
      'httpSession.defaultHeaders["X-Nul"]: the value contains a NUL character, which a header value cannot hold',
    ],
  );
  assert.deepEqual(defaultHeaderProblems({}), []);
});

test('resolve rules that do not parse are left out and named by their index', () => {
  const { rules, problems } = readResolveRules([
    'api.test:443:127.0.0.1',
    'v6.test:8443:[::1]',
    'no-port.test:127.0.0.1',
    'api.test:70000:127.0.0.1',
    42,
  ]);
  assert.deepEqual(rules, [
    { host: 'api.test', port: 443, address: '127.0.0.1' },
    { host: 'v6.test', port: 8443, address: '::1' },
  ]);
  assert.deepEqual(problems, [
    'httpSession.resolve[2]: "no-port.test:127.0.0.1" is not HOST:PORT:ADDRESS (as curl\'s --resolve); it is left out',
    'httpSession.resolve[3]: "api.test:70000:127.0.0.1" is not HOST:PORT:ADDRESS (as curl\'s --resolve); it is left out',
    "httpSession.resolve[4]: 42 is not HOST:PORT:ADDRESS (as curl's --resolve); it is left out",
  ]);
  assert.equal(parseResolveRule(' spaced.test:80:10.0.0.1 ')?.address, '10.0.0.1');
});
