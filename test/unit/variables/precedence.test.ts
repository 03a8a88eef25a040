// Which source a name comes from: prompt answers → named requests' exchanges
// → file variables → private env files → public env files → settings → none.
// Plus the rules of each source: file variables that use each other,
// environment values that use variables, `$shared`, `{{%name}}`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildEnvironment,
  type ChainedExchange,
  type EnvFile,
  flattenEnvironmentSet,
  type VariableContext,
} from '../../../src/core/variables';
import { expectFailure, expectOk, resolveText, testContext, resolveValue } from './context';

function envFile(path: string, isPrivate: boolean, set: Record<string, unknown>, distance = 0): EnvFile {
  return { path, private: isPrivate, distance, environments: flattenEnvironmentSet(set) };
}

type Source = 'prompt' | 'file' | 'private' | 'public' | 'settings';
const ORDER: Source[] = ['prompt', 'file', 'private', 'public', 'settings'];

function contextWith(sources: readonly Source[]): { context: VariableContext; preamble: string } {
  const files: EnvFile[] = [];
  if (sources.includes('private'))
    files.push(envFile('/w/http-client.private.env.json', true, { dev: { x: 'private' } }));
  if (sources.includes('public'))
    files.push(envFile('/w/http-client.env.json', false, { dev: { x: 'public' } }));
  const settings = sources.includes('settings') ? { dev: { x: 'settings' } } : undefined;
  return {
    context: testContext({
      environment: buildEnvironment(files, settings, 'dev'),
      prompts: sources.includes('prompt') ? { x: 'prompt' } : undefined,
    }),
    preamble: sources.includes('file') ? '@x = file' : '',
  };
}

describe('precedence: the first source that defines the name wins', () => {
  for (let from = 0; from < ORDER.length; from++) {
    const present = ORDER.slice(from);
    test(`${present.join(' + ')} → ${present[0]}`, async () => {
      const { context, preamble } = contextWith(present);
      assert.equal(await resolveValue('x', context, preamble), present[0]);
    });
  }
  for (const only of ORDER) {
    test(`${only} alone`, async () => {
      const { context, preamble } = contextWith([only]);
      assert.equal(await resolveValue('x', context, preamble), only);
    });
  }
  test('defined nowhere → unresolved, naming the environment', async () => {
    const { context } = contextWith([]);
    assert.equal(
      await resolveValue('x', context),
      'ERROR {{x}}: x is not defined: not a file variable, nor in environment dev',
    );
  });
  test("a named request's exchange beats a file variable of the same dotted name", async () => {
    const exchange: ChainedExchange = {
      request: { headers: [], body: null },
      response: { status: 200, headers: [['X', 'from-chain']], body: '', contentType: null },
    };
    const context = testContext({ chain: { get: (n) => (n === 'login' ? exchange : undefined) } });
    const preamble = '@login.response.headers.X = from-file\n\n# @name login\nGET http://x.test/login\n\n###';
    assert.equal(await resolveValue('login.response.headers.X', context, preamble), 'from-chain');
  });
});

describe('environments: $shared, nearest file, private over public', () => {
  const cases: [string, EnvFile[], Record<string, unknown> | undefined, string | null, string][] = [
    [
      'selected environment beats $shared in one file',
      [envFile('/w/e', false, { $shared: { x: 'shared' }, dev: { x: 'dev' } })],
      undefined,
      'dev',
      'dev',
    ],
    [
      '$shared applies when the environment does not define the name',
      [envFile('/w/e', false, { $shared: { x: 'shared' }, dev: {} })],
      undefined,
      'dev',
      'shared',
    ],
    [
      '$shared applies with no environment selected',
      [envFile('/w/e', false, { $shared: { x: 'shared' }, dev: { x: 'dev' } })],
      undefined,
      null,
      'shared',
    ],
    ['settings $shared, REST Client style', [], { $shared: { x: 'shared' }, dev: {} }, 'dev', 'shared'],
    [
      'nearer file beats farther file',
      [envFile('/w/a/e', false, { dev: { x: 'near' } }, 0), envFile('/w/e', false, { dev: { x: 'far' } }, 1)],
      undefined,
      'dev',
      'near',
    ],
    [
      "nearer file's $shared beats farther file's environment (nearest file wins per name)",
      [
        envFile('/w/a/e', false, { $shared: { x: 'near-shared' } }, 0),
        envFile('/w/e', false, { dev: { x: 'far-dev' } }, 1),
      ],
      undefined,
      'dev',
      'near-shared',
    ],
    [
      'farther private file beats nearer public file',
      [
        envFile('/w/a/e', false, { dev: { x: 'public' } }, 0),
        envFile('/w/p', true, { dev: { x: 'private' } }, 1),
      ],
      undefined,
      'dev',
      'private',
    ],
    [
      'public env file beats settings',
      [envFile('/w/e', false, { dev: { x: 'file' } })],
      { dev: { x: 'settings' } },
      'dev',
      'file',
    ],
    [
      'JetBrains nested object, dotted name',
      [envFile('/w/e', false, { dev: { auth: { user: 'ann' } } })],
      undefined,
      'dev',
      'ann',
    ],
    [
      'numbers and booleans as their JSON text',
      [envFile('/w/e', false, { dev: { x: 8080 } })],
      undefined,
      'dev',
      '8080',
    ],
    [
      'another environment is not read',
      [envFile('/w/e', false, { dev: { y: 1 }, prod: { x: 'prod' } })],
      undefined,
      'dev',
      'ERROR',
    ],
  ];
  for (const [name, files, settings, selected, want] of cases) {
    test(name, async () => {
      const expr = name.startsWith('JetBrains') ? 'auth.user' : 'x';
      const got = await resolveValue(
        expr,
        testContext({ environment: buildEnvironment(files, settings, selected) }),
      );
      if (want === 'ERROR') assert.match(got, /^ERROR/);
      else assert.equal(got, want);
    });
  }

  test('environment values may use other variables and {{$shared name}}', async () => {
    const environment = buildEnvironment(
      [],
      {
        $shared: { version: 'v1', host: 'shared.test' },
        dev: { host: 'dev.test', base: 'https://{{host}}/{{$shared version}}', old: '{{$shared host}}' },
      },
      'dev',
    );
    const ctx = testContext({ environment });
    assert.equal(await resolveValue('base', ctx), 'https://dev.test/v1');
    assert.equal(await resolveValue('old', ctx), 'shared.test');
    assert.equal(await resolveValue('$shared host', ctx), 'shared.test');
  });

  test('an environment value that uses an undefined variable is reported at the place of use', async () => {
    const environment = buildEnvironment([], { dev: { base: 'https://{{nohost}}/' } }, 'dev');
    const r = await resolveText('GET {{base}}\n', testContext({ environment }));
    const [p] = expectFailure(r).problems;
    assert.equal(p.line, 1);
    assert.match(
      p.message,
      /^\{\{base\}\}: base from settings \(dev\) uses \{\{nohost\}\}: nohost is not defined/,
    );
  });

  test('environment values that use each other in a cycle are reported', async () => {
    const environment = buildEnvironment([], { dev: { a: '{{b}}', b: '{{a}}' } }, 'dev');
    assert.match(await resolveValue('a', testContext({ environment })), /cycle: a → b → a/);
  });
});

describe('file variables', () => {
  test('may use file variables defined later, and environment variables', async () => {
    const ctx = testContext({ settings: { dev: { host: 'env.test' } }, env: 'dev' });
    const text = '@url = https://{{host}}/{{path}}\n@path = api\n\nGET {{url}}\n';
    assert.equal(expectOk(await resolveText(text, ctx)).url, 'https://env.test/api');
  });

  test('a repeated definition: the nearest one above the request wins (httpYac)', async () => {
    const text = [
      '@host = one.test',
      'GET http://{{host}}/',
      '',
      '###',
      '@host = two.test',
      'GET http://{{host}}/',
    ].join('\n');
    assert.equal(expectOk(await resolveText(text, testContext(), { index: 0 })).url, 'http://one.test/');
    assert.equal(expectOk(await resolveText(text, testContext(), { index: 1 })).url, 'http://two.test/');
  });

  test('a redefinition may extend the definition above it', async () => {
    const text = '@path = /a\n@path = {{path}}/b\n\nGET http://x.test{{path}}\n';
    assert.equal(expectOk(await resolveText(text)).url, 'http://x.test/a/b');
  });

  test('a cycle is reported once, where it closes, with the chain of names', async () => {
    const text = '@a = {{b}}\n@b = x{{a}}\n\nGET http://x.test/{{a}}\n';
    const failure = expectFailure(await resolveText(text));
    assert.equal(failure.problems.length, 1);
    const [p] = failure.problems;
    assert.equal(p.code, 'cycle');
    assert.equal(p.line, 2);
    assert.deepEqual(p.range, { start: { line: 1, character: 6 }, end: { line: 1, character: 11 } });
    assert.match(p.message, /a → b → a/);
    assert.deepEqual(p.via, ['a', 'b']);
  });

  test('a variable that uses itself is a cycle', async () => {
    assert.match(await resolveValue('me', testContext(), '@me = {{me}}!'), /cycle: me → me/);
  });

  test('REST Client escapes \\n \\r \\t \\\\ in the written value; other backslashes stay', async () => {
    const r = await resolveText('@v = a\\tb\\\\c\\d\\n\n\nPOST http://x.test/\n\n{{v}}\n');
    assert.equal(expectOk(r).body, 'a\tb\\c\\d\n');
  });

  test('a value from a variable is not unescaped again', async () => {
    const ctx = testContext({ settings: { dev: { raw: 'a\\nb' } }, env: 'dev' });
    const r = await resolveText('@v = {{raw}}\n\nPOST http://x.test/\n\n{{v}}\n', ctx);
    assert.equal(expectOk(r).body, 'a\\nb');
  });

  test('{{ name }} with spaces inside the braces', async () => {
    assert.equal(await resolveValue(' x ', testContext(), '@x = 1'), '1');
  });
});

describe('prompts and {{%name}}', () => {
  test('{{%name}} URL-encodes the value (encodeURIComponent)', async () => {
    const r = await resolveText('@q = a b&c/d?é\n\nGET http://x.test/s?q={{%q}}\n');
    assert.equal(expectOk(r).url, 'http://x.test/s?q=a%20b%26c%2Fd%3F%C3%A9');
  });
  test('{{%...}} works on system and environment variables too', async () => {
    const ctx = testContext({ settings: { dev: { k: '1+1=2' } }, env: 'dev' });
    assert.equal(await resolveValue('%k', ctx), '1%2B1%3D2');
    assert.equal(await resolveValue('%$datetime "YYYY/MM"', ctx), '2024%2F02');
  });
  test('prompt answers are used and password-like ones become secrets', async () => {
    const ctx = testContext({ prompts: { otp: '123456', password: 'hunter2' } });
    const r = expectOk(
      await resolveText(
        '# @prompt otp\n# @prompt password\nPOST http://x.test/\n\n{{otp}}:{{password}}\n',
        ctx,
      ),
    );
    assert.equal(r.body, '123456:hunter2');
    assert.deepEqual(r.secrets, ['hunter2']);
  });
});

describe('secrets', () => {
  test('a secret used as {{%name}} is masked in its encoded form too', async () => {
    const environment = buildEnvironment([envFile('/w/p', true, { dev: { key: 'a b' } })], undefined, 'dev');
    const r = expectOk(await resolveText('GET http://x.test/?k={{%key}}\n', testContext({ environment })));
    assert.deepEqual(r.secrets, ['a b', 'a%20b']);
  });

  test('values from private env files are listed for masking, also when used through a file variable', async () => {
    const environment = buildEnvironment(
      [
        envFile('/w/p', true, { dev: { token: 's3cr3t' } }),
        envFile('/w/e', false, { dev: { host: 'h.test' } }),
      ],
      undefined,
      'dev',
    );
    const r = expectOk(
      await resolveText(
        '@auth = Bearer {{token}}\n\nGET http://{{host}}/\nAuthorization: {{auth}}\n',
        testContext({ environment }),
      ),
    );
    assert.deepEqual(r.headers, [['Authorization', 'Bearer s3cr3t']]);
    assert.deepEqual(r.secrets, ['s3cr3t']);
  });
});
