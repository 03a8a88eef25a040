// resolveQuickly is resolveFully without the bookkeeping problems need: where
// it answers, it must give exactly what resolveFully gives, and it must step
// aside (null) for every request resolveFully refuses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseHttp, splitLines } from '../../../src/core/parser';
import { buildEnvironment, type EnvFile } from '../../../src/core/variables/environment';
import { resolveFully, resolveQuickly } from '../../../src/core/variables/resolveRequest';
import { memoryFs, sequence, testContext } from './context';

// Pieces of templates: plain text, references that resolve (file variables, literal or built
// from others, environment values, prompts, system variables, encoded forms), references that
// do not (undefined, unsent requests, bad syntax) and values the checks refuse.
const good = fc.constantFrom(
  'x',
  '/a/b',
  '?q=1&r=2',
  '{{host}}',
  '{{ host }}',
  '{{path}}',
  '{{built}}',
  '{{token}}',
  '{{secret}}',
  '{{%secret}}',
  '{{key}}',
  '{{%slashy}}',
  '{{slashy}}',
  '{{%password}}',
  '{{login.response.body.$.id}}',
  '{{login.response.body.$.token}}',
  '{{login.response.headers.X-Session}}',
  '{{$dotenv HOME}}',
  '{{$dotenv API_KEY}}',
  '{{$processEnv CI_TOKEN}}',
  '{{%spaced}}',
  '{{answer}}',
  '{{password}}',
  '{{$randomInt 1 9}}',
  '{{$timestamp}}',
  '{{$guid}}',
  '{{later}}',
  '{{emoji}}',
  'ä',
);
const bad = fc.constantFrom(
  ' ',
  ':8080',
  '\t',
  '{{nope}}',
  '{{other.response.body.$.id}}',
  '{{$dotenv MISSING}}',
  '{{%%bad}}',
  '{{$unknownThing}}',
  '{{lf}}',
  '{{crlf}}',
  '{{ }}',
);
const piece = fc.oneof({ arbitrary: good, weight: 40 }, { arbitrary: bad, weight: 1 });
const template = fc.array(piece, { maxLength: 4 }).map((parts) => parts.join(''));
const method = fc.oneof(
  { arbitrary: fc.constantFrom('GET', 'POST', 'get', 'PUT'), weight: 8 },
  { arbitrary: template, weight: 1 },
);
const url = fc.oneof(
  {
    arbitrary: fc
      .tuple(fc.constantFrom('http://h.test', 'https://{{host}}', '{{built}}', '/', 'ftp://h.test'), template)
      .map(([a, b]) => a + b),
    weight: 6,
  },
  { arbitrary: template, weight: 1 },
);
const headerName = fc.oneof(
  {
    arbitrary: fc.constantFrom('Accept', 'Host', 'X-Token', 'Authorization', '{{key}}', '{{secret}}'),
    weight: 8,
  },
  { arbitrary: template, weight: 1 },
);
const header = fc.tuple(headerName, template).map(([n, v]) => `${n}: ${v}`);
const request = fc
  .record({
    method,
    url,
    headers: fc.array(header, { maxLength: 4 }),
    name: fc.option(fc.constantFrom('a', 'b', 'login'), { nil: undefined }),
    // A body takes the full path: one request in five has one.
    body: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 4 },
      { arbitrary: fc.constantFrom('{"a": "{{token}}"}', 'plain'), weight: 1 },
    ),
  })
  .map((r) =>
    [
      ...(r.name ? [`# @name ${r.name}`] : []),
      `${r.method} ${r.url}`,
      ...r.headers,
      ...(r.body ? ['', r.body] : []),
    ].join('\n'),
  );
const documentText = fc
  .array(request, { minLength: 1, maxLength: 4 })
  .map((requests) =>
    [
      '@host = api.example.test',
      '@path = /v1/items',
      '@built = https://{{host}}{{path}}',
      '@answer = {{$randomInt 40 43}}',
      '@spaced = a b/c',
      requests.join('\n###\n'),
      '###',
      '@later = defined-after',
    ].join('\n'),
  );

const settings = {
  dev: {
    token: 'tok-123456789',
    lf: 'a\nb',
    crlf: 'a\r\nX-Evil: 1',
    emoji: '😀',
  },
};

// Private env values are secrets: several of them, so that the order and de-duplication of the
// secrets a request collects are compared too.
const privateFile: EnvFile = {
  path: '/w/http-client.private.env.json',
  private: true,
  distance: 0,
  environments: new Map([
    [
      'dev',
      new Map([
        ['secret', 'hunter2-secret'],
        ['key', 'key-0123456789'],
        ['slashy', 'a/b c+d'],
      ]),
    ],
  ]),
};

// A sent `login` request, so that `{{login.response...}}` resolves too.
const login = {
  request: { headers: [['X-Request-Id', 'req-7']] as [string, string][], body: null },
  response: {
    status: 200,
    headers: [['X-Session', 'sess-42']] as [string, string][],
    body: '{"id": 7, "token": "chain-token-789"}',
    contentType: 'application/json',
  },
};

function contexts() {
  // Two identical contexts: each path draws the same random numbers in the same order.
  const make = () =>
    testContext({
      environment: buildEnvironment([privateFile], settings, 'dev'),
      prompts: { password: 'pw-prompt-value' },
      chain: { get: (name: string) => (name === 'login' ? login : undefined) },
      dotenv: [{ path: '/w/.env', values: { HOME: '/home/tester', API_KEY: 'dotenv-key-123' } }],
      processEnv: { CI_TOKEN: 'ci-token-456' },
      random: sequence(0.1, 0.7, 0.3),
    });
  return [make(), make()] as const;
}

test('resolveQuickly gives what resolveFully gives, or steps aside', async () => {
  let quick = 0;
  let refused = 0;
  let manySecrets = 0;
  let fromElsewhere = 0;
  await fc.assert(
    fc.asyncProperty(documentText, async (text) => {
      const document = parseHttp(text);
      const lines = splitLines(text);
      for (const request of document.requests) {
        const input = { document, request, httpFile: '/w/req.http', lines };
        const [forQuick, forFull] = contexts();
        const fast = resolveQuickly(input, forQuick);
        const full = await resolveFully(input, forFull, memoryFs({}));
        if (fast === null) {
          if (!full.ok) refused++;
          continue;
        }
        quick++;
        if (fast.secrets.length > 1) manySecrets++;
        if (/login\.response|\$dotenv|\$processEnv/.test(request.url + JSON.stringify(request.headers)))
          fromElsewhere++;
        assert.ok(
          full.ok,
          `quick resolved what full refused:\n${text}\n${full.ok ? '' : full.error.message}`,
        );
        assert.deepEqual(fast, full.value, text);
      }
    }),
    { numRuns: 400 },
  );
  // Both kinds must be common, or the property says little.
  assert.ok(quick > 100, `${quick} requests took the quick path`);
  assert.ok(refused > 100, `${refused} requests were refused`);
  assert.ok(manySecrets > 50, `${manySecrets} quick requests carried more than one secret`);
  assert.ok(fromElsewhere > 50, `${fromElsewhere} quick requests used a response, .env or OS value`);
});

test('a request with a problem is refused by the full path, with its place', async () => {
  const text = '@host = h.test\n\nGET https://{{host}}/\nX-A: {{nope}}\n';
  const document = parseHttp(text);
  const input = { document, request: document.requests[0]!, httpFile: null, lines: splitLines(text) };
  const [a, b] = contexts();
  assert.equal(resolveQuickly(input, a), null);
  const full = await resolveFully(input, b, memoryFs({}));
  assert.equal(full.ok, false);
  assert.equal(full.ok ? null : full.error.problems[0]?.line, 4);
});
