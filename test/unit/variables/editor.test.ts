// The pure helpers the editor will use: reading `{{...}}`, finding them with
// ranges, what a variable comes to and where from (secrets masked), and
// which names completion offers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseHttp } from '../../../src/core/parser';
import {
  buildEnvironment,
  describeOrigin,
  describeVariableAt,
  type EnvFile,
  findVariableReferences,
  flattenEnvironmentSet,
  maskSecrets,
  parseExpression,
  type VariableExpression,
  variableCompletions,
} from '../../../src/core/variables';
import { testContext } from './context';

describe('parseExpression', () => {
  const cases: [string, VariableExpression | null][] = [
    ['host', { kind: 'name', name: 'host' }],
    ['  host  ', { kind: 'name', name: 'host' }],
    ['auth.user', { kind: 'name', name: 'auth.user' }],
    ['%q', { kind: 'encoded', inner: { kind: 'name', name: 'q' } }],
    ['$guid', { kind: 'system', name: '$guid', args: '' }],
    ['$random.integer(1, 5)', { kind: 'system', name: '$random.integer', args: '(1, 5)' }],
    ['$datetime "DD MM" -1 d', { kind: 'system', name: '$datetime', args: '"DD MM" -1 d' }],
    [
      'login.response.body.$.data[0].id',
      {
        kind: 'chain',
        request: 'login',
        entity: 'response',
        part: 'body',
        path: '$.data[0].id',
        text: 'login.response.body.$.data[0].id',
      },
    ],
    [
      'get-token.request.headers.X-Id',
      {
        kind: 'chain',
        request: 'get-token',
        entity: 'request',
        part: 'headers',
        path: 'X-Id',
        text: 'get-token.request.headers.X-Id',
      },
    ],
    [
      'login.response.body',
      {
        kind: 'chain',
        request: 'login',
        entity: 'response',
        part: 'body',
        path: null,
        text: 'login.response.body',
      },
    ],
    ['', null],
    ['%%x', null],
  ];
  for (const [raw, want] of cases)
    test(JSON.stringify(raw), () => assert.deepEqual(parseExpression(raw), want));
});

test('findVariableReferences: every {{...}} with its range, none across lines', () => {
  const refs = findVariableReferences('GET {{a}}/{{ b }}\nX: {{\n}}{{$guid}}\n');
  assert.deepEqual(
    refs.map((r) => [r.expression, r.range.start.line, r.range.start.character, r.range.end.character]),
    [
      ['a', 0, 4, 9],
      ['b', 0, 10, 17],
      ['$guid', 2, 2, 11],
    ],
  );
});

const TEXT = [
  '@base = https://{{host}}', // 0
  '@auth = Bearer {{token}}', // 1
  '',
  '# @name login', // 3
  '# @prompt otp One-time code', // 4
  'POST {{base}}/login', // 5
  'Authorization: {{auth}}', // 6
  'X-Id: {{$guid}} {{$shared region}} {{undefinedThing}}', // 7
  'X-Pw: {{$dotenv PASSWORD}}', // 8
  '',
  '###', // 10
  'GET {{base}}/me?t={{login.response.body.$.token}}', // 11
].join('\n');
const document = parseHttp(TEXT);
const files: EnvFile[] = [
  {
    path: '/w/http-client.env.json',
    private: false,
    distance: 0,
    environments: flattenEnvironmentSet({ dev: { host: 'dev.test' }, $shared: { region: 'eu' } }),
  },
  {
    path: '/w/http-client.private.env.json',
    private: true,
    distance: 0,
    environments: flattenEnvironmentSet({ dev: { token: 's3cr3t' } }),
  },
];
const environment = buildEnvironment(files, undefined, 'dev');
const context = testContext({
  environment,
  dotenv: [{ path: '/w/.env', values: { PASSWORD: 'pw' } }],
  chain: {
    get: (name) =>
      name === 'login'
        ? {
            request: { headers: [], body: null },
            response: { status: 200, headers: [], body: '{"token":"t-1"}', contentType: 'application/json' },
          }
        : undefined,
  },
});

describe('describeVariableAt: value and where it came from', () => {
  const at = (line: number, character: number, reveal = false) =>
    describeVariableAt(document, TEXT, { line, character }, context, { reveal });

  test('a file variable built from an env file variable', () => {
    const d = at(5, 8)!;
    assert.deepEqual(
      [d.expression, d.value, d.secret, d.volatile],
      ['base', 'https://dev.test', false, false],
    );
    assert.equal(describeOrigin(d.origin!), 'file variable, line 1');
  });
  test('a public env file variable, inside a file variable definition', () => {
    const d = at(0, 18)!;
    assert.equal(d.value, 'dev.test');
    assert.equal(describeOrigin(d.origin!), 'env file /w/http-client.env.json (dev)');
  });
  test('a private value is masked unless revealed', () => {
    const d = at(1, 17)!;
    assert.deepEqual([d.value, d.secret], ['••••', true]);
    assert.equal(describeOrigin(d.origin!), 'private env file /w/http-client.private.env.json (dev)');
    assert.equal(at(1, 17, true)!.value, 's3cr3t');
  });
  test('a file variable that contains a secret shows the secret masked', () => {
    const d = at(6, 18)!;
    assert.deepEqual([d.value, d.secret], ['Bearer ••••', true]);
  });
  test('a system variable is volatile', () => {
    const d = at(7, 8)!;
    assert.deepEqual([d.volatile, describeOrigin(d.origin!)], [true, 'system variable $guid']);
  });
  test('$shared', () => {
    const d = at(7, 20)!;
    assert.deepEqual(
      [d.value, describeOrigin(d.origin!)],
      ['eu', 'env file /w/http-client.env.json ($shared)'],
    );
  });
  test('.env values are secrets', () => {
    const d = at(8, 10)!;
    assert.deepEqual([d.value, d.secret, describeOrigin(d.origin!)], ['••••', true, '/w/.env (PASSWORD)']);
  });
  test('a chained value', () => {
    const d = at(11, 25)!;
    assert.deepEqual([d.value, describeOrigin(d.origin!)], ['t-1', 'response of request login']);
  });
  test('an unresolved variable says why', () => {
    const d = at(7, 40)!;
    assert.equal(d.value, null);
    assert.match(d.problem!, /undefinedThing is not defined/);
  });
  test('no reference at the position', () => {
    assert.equal(at(5, 1), null);
  });
});

describe('variableCompletions', () => {
  const labels = (line: number) => variableCompletions(document, environment, line);

  test('prompts of the request, file variables, env (private masked), other requests, system variables', () => {
    const got = labels(6);
    const pick = (label: string) => got.find((c) => c.label === label);
    assert.deepEqual(pick('otp'), { label: 'otp', kind: 'prompt', detail: 'One-time code' });
    assert.deepEqual(pick('base'), { label: 'base', kind: 'file', detail: 'https://{{host}}' });
    assert.equal(pick('token')?.detail, '•••• — private env file /w/http-client.private.env.json (dev)');
    assert.equal(pick('region')?.kind, 'environment');
    assert.equal(pick('login.response.body.'), undefined, 'a request does not complete to itself');
    assert.equal(pick('$random.integer')?.kind, 'system');
  });
  test('the next request completes to the named one', () => {
    assert.equal(labels(11).find((c) => c.label === 'login.response.body.')?.kind, 'request');
  });
});

test('maskSecrets masks the longest secret first', () => {
  assert.equal(maskSecrets('token=abc123 and abc', ['abc', 'abc123']), 'token=•••• and ••••');
});
