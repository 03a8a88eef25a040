// The fuzz pipeline shared by fuzzPipeline.test.ts (a few thousand inputs in
// CI) and bench/fuzz.mjs (100,000+): seeded `.http` documents — dialect syntax
// mixed with garbage, CRLF, unicode, curl blocks, `{{variables}}` of every
// kind — go through parse → variables (a small environment from env files,
// `.env`, settings, prompts and recorded exchanges) → the request as the
// session would put it on the wire. Nothing is sent.
//
// Two kinds of failure: an exception anywhere, and a request the pipeline
// accepted that HTTP could not carry (method or header name not a token, a
// header value Node/undici would refuse, a non-http(s) URL, two Hosts), or a
// refusal that does not place its problems inside the document.
import { validateHeaderName, validateHeaderValue } from 'node:http';
import { type HttpDocument, type HttpRequest, parseHttp, splitLines } from '../../../src/core/parser';
import { type PreparedRun, Runner } from '../../../src/core/run';
import { SessionRegistry } from '../../../src/core/session';
import { applyDefaults } from '../../../src/core/session/headers';
import type { SendResult } from '../../../src/core/session/types';
import {
  type Environment,
  referencedRequests,
  TOKEN,
  unknownRequestReferences,
  type VariableFileSystem,
} from '../../../src/core/variables';

// ---- a seeded generator -------------------------------------------------

export type Random = () => number;

/** mulberry32: small, fast, and the same sequence for a seed everywhere. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: Random, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Random, n: number) => Math.floor(r() * n);
const chance = (r: Random, p: number) => r() < p;

const METHODS = [
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'HEAD',
  'OPTIONS',
  'TRACE',
  'CONNECT',
  'PROPFIND',
  'get',
  'Post',
  'M-SEARCH',
  'GE T',
  'G\u00c9T',
  '{{m}}',
  '{{badMethod}}',
  'X',
  '',
];
const HOSTS = [
  '{{host}}',
  'example.com',
  '127.0.0.1:8080',
  '[::1]:8443',
  'xn--bcher-kva.example',
  'bücher.example',
  '例え.jp',
  'a..b',
  'host:99999',
  'user:{{password}}@example.com',
  '{{badHost}}',
  '',
];
const SCHEMES = [
  'http://',
  'https://',
  '',
  'ftp://',
  'HTTP://',
  'file://',
  'javascript:',
  '//',
  '{{scheme}}://',
];
const PATHS = [
  '/',
  '/api/v1/items/{{id}}',
  '/search?q={{%query}}&page={{$randomInt 1 10}}',
  '/a b/c',
  '/ü/😀',
  '/%zz',
  '/{{login.response.body.$.token}}',
  '/{{page.response.body.//id}}',
  '/x?{{unknownVar}}',
  '/{{$guid}}',
  '#frag',
  '?only=query',
  '/\u0000nul',
  '/{{crlf}}',
  '/{{$processEnv HOME}}',
  '/{{$dotenv DOTENV_KEY}}',
  '',
];
const VARIABLES = [
  '{{host}}',
  '{{token}}',
  '{{ token }}',
  '{{%token}}',
  '{{%%token}}',
  '{{password}}',
  '{{undefinedThing}}',
  '{{crlf}}',
  '{{lf}}',
  '{{nul}}',
  '{{tab}}',
  '{{uni}}',
  '{{surrogate}}',
  '{{%surrogate}}',
  '{{nested}}',
  '{{cycleA}}',
  '{{deep.nested.value}}',
  '{{fileVar}}',
  '{{fileCycle}}',
  '{{$guid}}',
  '{{$uuid}}',
  '{{$random.uuid}}',
  '{{$timestamp}}',
  '{{$timestamp -1 d}}',
  '{{$timestamp 1 banana}}',
  '{{$isoTimestamp}}',
  '{{$datetime iso8601}}',
  '{{$datetime rfc1123 1 y}}',
  '{{$datetime "YYYY-MM-DD" -3 M}}',
  '{{$datetime "unterminated}}',
  "{{$localDatetime 'HH:mm' 2 h}}",
  '{{$datetime "w ww W WW gggg GGGG Q Do k X x LLLL"}}',
  "{{$localDatetime 'z zzz' -1 w}}",
  '{{$randomInt}}',
  '{{$randomInt 5 1}}',
  '{{$randomInt -99999999999999999999 99999999999999999999}}',
  '{{$random.integer(1, 5)}}',
  '{{$random.integer(}}',
  '{{$random.float(0.5, .9)}}',
  '{{$random.alphabetic(12)}}',
  '{{$random.alphanumeric(999999999)}}',
  '{{$random.hexadecimal(3)}}',
  '{{$random.email}}',
  '{{$processEnv HOME}}',
  '{{$processEnv %envName}}',
  '{{$processEnv}}',
  '{{$dotenv DOTENV_KEY}}',
  '{{$dotenv %missing}}',
  '{{$shared sharedOnly}}',
  '{{$shared}}',
  '{{$nope}}',
  '{{$}}',
  '{{login.response.body.$.token}}',
  '{{login.response.body.$..*}}',
  '{{login.response.body.$[?(@.x)]}}',
  '{{login.response.body.*}}',
  '{{login.response.body.}}',
  '{{login.response.headers.Set-Cookie}}',
  '{{login.response.headers}}',
  '{{login.request.headers.Authorization}}',
  '{{login.request.body.$.user}}',
  '{{page.response.body.//id}}',
  '{{page.response.body./root/item[1]/@name}}',
  '{{page.response.body.//[}}',
  '{{unsent.response.body.$.x}}',
  '{{ghost.response.body.$.x}}',
  '{{}}',
  '{{ }}',
  '{{{{}}}}',
  '{{a}}}',
  '{{{a}}',
  '{{%}}',
  '{{\u00e9t\u00e9}}',
];
const HEADER_NAMES = [
  'Accept',
  'Content-Type',
  'Authorization',
  'Host',
  'Cookie',
  'X-Request-Id',
  'X-Api-Key',
  'Content-Length',
  'Transfer-Encoding',
  'Connection',
  'Expect',
  'Upgrade',
  'Bad Name',
  'Na\u00efve',
  '{{hname}}',
  '{{badHeaderName}}',
  'X-{{id}}',
  ':authority',
  '',
];
const HEADER_VALUES = [
  'application/json',
  'multipart/form-data; boundary=XyZ',
  'application/x-www-form-urlencoded',
  'text/plain; charset=latin1',
  'Bearer {{token}}',
  'Basic dXNlcjpwYXNz',
  'a=1; b={{token}}',
  'caf\u00e9',
  '\u20ac price',
  '😀',
  '12:30:00',
  'tab\there',
  '  padded  ',
  '',
];
const DIRECTIVES = [
  '# @name login',
  '# @name page',
  '# @name unsent',
  '// @name x-y_z',
  '# @name = spaced',
  '# @name',
  '# @no-redirect',
  '# @no-cookie-jar',
  '# @insecure',
  '# @timeout 2s',
  '# @timeout banana',
  '# @timeout -1',
  '# @timeout 99999999999999999999999 m',
  '# @connection-timeout 500ms',
  '# @connection-timeout',
  '# @session admin',
  '# @session',
  '# @session ../../etc',
  '# @default-header X-Trace: {{$guid}}',
  '# @default-header Authorization: Bearer {{token}}',
  '# @default-header X-Bad: {{crlf}}',
  '# @default-header Bad Name: x',
  '# @default-header NoColon',
  '# @default-header X-Euro: \u20ac',
  '# @prompt password',
  '# @prompt otp One-time code',
  '# @prompt',
  '# @note',
  '# @unknown-directive with value',
  '# @',
  '//@name tight',
];
const BODY_LINES = [
  '{',
  '}',
  '  "user": "{{user}}",',
  '  "token": "{{token}}",',
  '  "n": {{$randomInt}},',
  '"{{crlf}}"',
  '<xml a="{{uni}}"/>',
  'a=1&b={{%token}}',
  '&c=3',
  '--XyZ',
  'Content-Disposition: form-data; name="f"; filename="a.txt"',
  '--XyZ--',
  '< ./body.json',
  '< /fuzz/raw.bin',
  '<@ ./body.json',
  '<@latin1 ./latin1.txt',
  '<@nonsense ./body.json',
  '< ./missing.json',
  '< ./{{crlf}}.json',
  '< {{bodyDir}}/body.json',
  '<',
  '# not a comment inside a body',
  '// nor this',
  '',
];
const HANDLERS = [
  '> {% client.global.set("token", response.body.token); %}',
  '> {%',
  '  client.test("ok", () => {});',
  '%}',
  '> ./handler.js',
  '>> ./out.json',
  '>>! ./out.json',
  '< {% request.variables.set("x", "1") %}',
  '< {%',
  '>',
];
const CURL = [
  "curl -X POST 'https://{{host}}/login' -H 'Content-Type: application/json' -d '{\"a\": \"{{token}}\"}'",
  'curl https://example.com/a \\',
  "  -H 'Accept: */*' \\",
  '  --data-binary @./body.json',
  'curl -u user:{{password}} https://example.com/',
  'curl -X "{{badMethod}}" https://example.com/',
  'curl --request PUT --url https://example.com/x --header "X-A: {{crlf}}"',
  "curl 'unterminated",
  'curl',
  'curl -H',
  'curl -XGET -b "a=b" -A agent -e ref --compressed -k -L https://example.com',
  'curl --data-urlencode "q={{query}}" -G https://example.com/s',
  'curl -F "file=@./body.json" -F "x=1" https://example.com/up',
];
const FILE_VARIABLES = [
  '@host = 127.0.0.1:8080',
  '@fileVar = {{token}}-suffix',
  '@fileCycle = {{fileCycle}}',
  '@escaped = a\\r\\nInjected: yes',
  '@user = alice',
  '@id = 42',
  '@ = empty name',
  '@noValue',
  '@url = http://{{host}}/base',
  '@host = {{host}}',
  '@m = PATCH',
  '@query = a b&c=d/é',
];
const SEPARATORS = ['###', '### Named request', '####', '### ü 😀', '###\t', '  ###', '### {{host}}'];
const GARBAGE_CHARS = [
  ...'abcXYZ019 :/?#[]@!$&\'()*+,;=%{}<>"\\|^`~-_.\t',
  '\r',
  '\u0000',
  '\u0007',
  '\u007f',
  '\u00a0',
  '\u00e9',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\u200b',
  '\u202e',
  '\ud800',
  '\udfff',
  '😀',
  '\u0301',
  '\uffff',
];

function garbage(r: Random, max = 24): string {
  let s = '';
  for (let n = int(r, max); n > 0; n--) s += pick(r, GARBAGE_CHARS);
  return s;
}

/** Well-formed choices: a tame document mostly sticks to these, so many of its requests are sendable. */
const TAME = {
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'PROPFIND', 'M-SEARCH', '{{m}}'],
  schemes: ['http://', 'https://', ''],
  hosts: [
    '{{host}}',
    'example.com',
    '127.0.0.1:8080',
    '[::1]:8443',
    'xn--bcher-kva.example',
    'bücher.example',
    '例え.jp',
    'user:{{password}}@example.com',
  ],
  paths: [
    '/',
    '/api/v1/items/{{id}}',
    '/search?q={{%query}}&page={{$randomInt 1 10}}',
    '/a b/c',
    '/ü/😀',
    '/{{login.response.body.$.token}}',
    '/{{page.response.body.//id}}',
    '/{{$guid}}',
    '#frag',
    '?only=query',
    '/{{$processEnv HOME}}',
    '/{{$dotenv DOTENV_KEY}}',
    '',
  ],
  variables: [
    '{{host}}',
    '{{token}}',
    '{{ token }}',
    '{{%token}}',
    '{{password}}',
    '{{nested}}',
    '{{deep.nested.value}}',
    '{{fileVar}}',
    '{{tab}}',
    '{{uni}}',
    '{{$guid}}',
    '{{$timestamp -1 d}}',
    '{{$datetime rfc1123 1 y}}',
    '{{$datetime "YYYY-MM-DD" -3 M}}',
    "{{$localDatetime 'HH:mm' 2 h}}",
    '{{$random.integer(1, 5)}}',
    '{{$random.float(0.5, .9)}}',
    '{{$random.alphabetic(12)}}',
    '{{$random.email}}',
    '{{$processEnv HOME}}',
    '{{$dotenv DOTENV_KEY}}',
    '{{$shared sharedOnly}}',
    '{{login.response.body.$.token}}',
    '{{login.response.body.*}}',
    '{{login.response.headers.Set-Cookie}}',
    '{{login.request.headers.Authorization}}',
    '{{page.response.body.//id}}',
  ],
  directives: [
    '# @name login',
    '# @name page',
    '// @name x-y_z',
    '# @name = spaced',
    '# @no-redirect',
    '# @no-cookie-jar',
    '# @timeout 2s',
    '# @connection-timeout 500ms',
    '# @session admin',
    '# @default-header X-Trace: {{$guid}}',
    '# @default-header Authorization: Bearer {{token}}',
    '# @prompt otp One-time code',
    '# @note',
  ],
  names: [
    'Accept',
    'Content-Type',
    'Authorization',
    'Host',
    'Cookie',
    'X-Request-Id',
    'X-{{id}}',
    '{{hname}}',
  ],
  values: [
    'application/json',
    'multipart/form-data; boundary=XyZ',
    'application/x-www-form-urlencoded',
    'Bearer {{token}}',
    'a=1; b={{token}}',
    'caf\u00e9',
    '12:30:00',
    'tab\there',
    '  padded  ',
    '{{uni}}',
    '',
  ],
};
let tame = false;
const some = <T>(r: Random, all: readonly T[], tameOnes: readonly T[]): T =>
  tame && chance(r, 0.97) ? pick(r, tameOnes) : pick(r, all);

function url(r: Random): string {
  if (chance(r, 0.1)) return pick(r, ['{{url}}', '{{badUrl}}', '{{ftpUrl}}', '/origin/form', garbage(r)]);
  let u = `${some(r, SCHEMES, TAME.schemes)}${some(r, HOSTS, TAME.hosts)}${some(r, PATHS, TAME.paths)}`;
  if (chance(r, 0.2)) u += some(r, VARIABLES, TAME.variables);
  return u;
}

function requestBlock(r: Random, out: string[]): void {
  if (chance(r, 0.6)) out.push(pick(r, SEPARATORS));
  for (let n = int(r, 3); n > 0; n--) out.push(some(r, DIRECTIVES, TAME.directives));
  if (chance(r, 0.1)) out.push(pick(r, HANDLERS.slice(7)));
  if (chance(r, 0.15)) {
    out.push(pick(r, CURL));
    for (let n = int(r, 3); n > 0; n--) out.push(pick(r, CURL));
    return;
  }
  const method = tame || chance(r, 0.85) ? some(r, METHODS, TAME.methods) : garbage(r, 6);
  const version = pick(r, ['', '', ' HTTP/1.1', ' HTTP/2', ' HTTP/9.9', ' http/1.1', ' HTTP/']);
  out.push(`${method}${method ? ' ' : ''}${url(r)}${version}`);
  for (let n = chance(r, 0.2) ? int(r, 3) : 0; n > 0; n--)
    out.push(pick(r, ['    ?a={{id}}', '&b=2', '    /more', '\t&c={{token}}', '?']));
  for (let n = int(r, 5); n > 0; n--) {
    const name = tame || chance(r, 0.9) ? some(r, HEADER_NAMES, TAME.names) : garbage(r, 8);
    const value =
      tame || chance(r, 0.7) ? some(r, HEADER_VALUES, TAME.values) : `${garbage(r, 8)}${pick(r, VARIABLES)}`;
    out.push(chance(r, 0.95) ? `${name}: ${value}` : `${name}:${value}`);
  }
  if (chance(r, 0.6)) {
    if (chance(r, 0.85)) out.push('');
    for (let n = int(r, 6); n > 0; n--)
      out.push(
        tame || chance(r, 0.7) ? pick(r, BODY_LINES) : `${garbage(r)}${some(r, VARIABLES, TAME.variables)}`,
      );
  }
  if (chance(r, 0.2)) {
    out.push('');
    for (let n = 1 + int(r, 3); n > 0; n--) out.push(pick(r, HANDLERS));
  }
  if (chance(r, 0.2)) out.push('', pick(r, ['# trailing note', '// another', '']));
}

function structured(r: Random): string[] {
  const lines: string[] = [];
  for (let n = int(r, 4); n > 0; n--) lines.push(pick(r, FILE_VARIABLES));
  if (chance(r, 0.2)) lines.push(some(r, DIRECTIVES, TAME.directives));
  for (let n = 1 + int(r, 5); n > 0; n--) requestBlock(r, lines);
  return lines;
}

function mutate(r: Random, text: string): string {
  let s = text;
  for (let n = 1 + int(r, 6); n > 0; n--) {
    const at = int(r, s.length + 1);
    const op = int(r, 4);
    if (op === 0) s = s.slice(0, at) + pick(r, GARBAGE_CHARS) + s.slice(at);
    else if (op === 1) s = s.slice(0, at) + s.slice(at + 1 + int(r, 8));
    else if (op === 2)
      s = s.slice(0, at) + pick(r, ['{{', '}}', '\n', '\r\n', '###\n', '\n\n']) + s.slice(at);
    else {
      const from = int(r, s.length + 1);
      s = s.slice(0, at) + s.slice(from, from + int(r, 20)) + s.slice(at);
    }
  }
  return s;
}

/** One document; the same `r` state always gives the same text. */
export function generateDocument(r: Random): string {
  const kind = r();
  tame = kind >= 0.12 && kind < 0.55;
  let lines: string[];
  if (kind < 0.12) {
    lines = [];
    for (let n = int(r, 12); n > 0; n--)
      lines.push(
        chance(r, 0.5)
          ? garbage(r, 40)
          : pick(r, [...VARIABLES, ...DIRECTIVES, ...SEPARATORS, ...HANDLERS, ...CURL]),
      );
  } else {
    lines = structured(r);
  }
  const eol = pick(r, ['\n', '\n', '\r\n', 'mixed', '\r']);
  let text =
    eol === 'mixed'
      ? lines.map((l) => l + (chance(r, 0.5) ? '\n' : '\r\n')).join('')
      : lines.join(eol) + (chance(r, 0.5) ? eol : '');
  if (chance(r, 0.05)) text = `\ufeff${text}`;
  if (kind > 0.7) text = mutate(r, text);
  return text;
}

// ---- the pipeline ---------------------------------------------------------

const DIR = '/fuzz';
export const HTTP_FILE = `${DIR}/requests.http`;

const FILES: Record<string, string | Uint8Array> = {
  [`${DIR}/http-client.env.json`]: JSON.stringify({
    $shared: { sharedOnly: 'from-shared', host: 'shared.example.org' },
    dev: {
      host: '127.0.0.1:8080',
      token: 'env-token-123456',
      id: '42',
      user: 'alice',
      query: 'a b&c=d/é',
      nested: '{{host}}/nested',
      cycleA: '{{cycleB}}',
      cycleB: '{{cycleA}}',
      deep: { nested: { value: 'deep-value' } },
      crlf: 'a\r\nX-Injected: 1',
      lf: 'a\nb',
      nul: 'a\u0000b',
      tab: 'a\tb',
      uni: 'ü€😀',
      surrogate: 'half\ud83d',
      m: 'POST',
      badMethod: 'PO ST',
      hname: 'X-From-Var',
      badHeaderName: 'Bad Name',
      url: 'https://example.org/from/env',
      badUrl: 'http://[::1',
      ftpUrl: 'ftp://example.org/',
      badHost: 'a b',
      scheme: 'https',
      bodyDir: '.',
      envName: 'HOME',
      number: 42,
      flag: true,
      list: [1, 2],
      nothing: null,
    },
  }),
  [`${DIR}/http-client.private.env.json`]: JSON.stringify({ dev: { password: 'private-pw-987654' } }),
  [`${DIR}/.env`]: 'DOTENV_KEY=dotenv-value\nMULTI="a\\nb"\n',
  [`${DIR}/body.json`]: '{"user": "{{user}}", "token": "{{token}}", "bad": "{{crlf}}"}',
  [`${DIR}/raw.bin`]: new Uint8Array([0, 1, 2, 0xff, 0x7b, 0x7b, 0x78, 0x7d, 0x7d]),
  [`${DIR}/latin1.txt`]: new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x20, 0x7b, 0x7b, 0x69, 0x64, 0x7d, 0x7d]),
};

const memoryFs: VariableFileSystem = {
  async readFile(path) {
    const f = FILES[path];
    return typeof f === 'string' ? new TextEncoder().encode(f) : f;
  },
};

function recorded(body: string, contentType: string): SendResult {
  return {
    sent: {
      method: 'POST',
      url: 'https://example.org/',
      headers: [['Authorization', 'Bearer t']],
      body: '{"user":"u"}',
    },
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: '1.1',
      headers: [
        ['Content-Type', contentType],
        ['Set-Cookie', 'sid=1'],
      ],
      body: new TextEncoder().encode(body),
      text: body,
      contentType,
      charset: 'utf-8',
      encodedBytes: body.length,
      truncated: false,
    },
    error: null,
  } as unknown as SendResult;
}

export interface FuzzFailure {
  readonly kind: 'exception' | 'invalid-request' | 'misplaced-problem';
  readonly detail: string;
  readonly input: string;
}

export interface FuzzPipeline {
  /** Runs one document through; returns the failures it caused (none, normally) and the requests it saw. */
  run(text: string): Promise<{ failures: FuzzFailure[]; requests: number; sendable: number }>;
}

export function createPipeline(): FuzzPipeline {
  const runner = new Runner({
    registry: new SessionRegistry(),
    fs: memoryFs,
    workspaceRoot: DIR,
    trusted: true,
    environmentName: 'dev',
    settingsEnvironments: { dev: { fromSettings: 'settings-value' } },
    processEnv: { HOME: '/home/fuzz', PATH: '/bin' },
    now: () => Date.UTC(2024, 1, 29, 13, 45, 30),
    random: seededRandom(1),
  });
  for (const session of ['default', 'admin']) {
    runner
      .chainsOf(session)
      .record('login', recorded('{"token": "tok-1", "x": [1, {"y": 2}]}', 'application/json'));
    runner
      .chainsOf(session)
      .record('page', recorded('<root><item name="a"><id>7</id></item></root>', 'application/xml'));
  }
  let environment: Environment | null = null;

  return {
    async run(text) {
      const failures: FuzzFailure[] = [];
      const fail = (kind: FuzzFailure['kind'], detail: string) =>
        failures.push({ kind, detail, input: text });
      let requests = 0;
      let sendable = 0;
      let stage = 'parse';
      try {
        const document = parseHttp(text);
        const lines = splitLines(text);
        stage = 'environment';
        environment ??= (await runner.environment(HTTP_FILE)).environment;
        stage = 'references';
        unknownRequestReferences(document, lines, environment);
        for (const request of document.requests.slice(0, 40)) {
          requests++;
          stage = 'dependencies';
          referencedRequests(document, request, environment);
          stage = 'prepare';
          const prepared = await runner.prepare({
            document,
            request,
            httpFile: HTTP_FILE,
            lines,
            prompts: { otp: '123456' },
          });
          stage = 'check';
          const why = checkPrepared(document, request, prepared);
          if (why) fail(why.kind, why.detail);
          else if (prepared.resolved) sendable++;
        }
      } catch (e) {
        fail('exception', `${stage}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
      return { failures, requests, sendable };
    },
  };
}

/** Null when the outcome is sound: a request HTTP can carry, or a refusal placed inside the document. */
function checkPrepared(
  document: HttpDocument,
  request: HttpRequest,
  prepared: PreparedRun,
): { kind: FuzzFailure['kind']; detail: string } | null {
  const { resolved, problem } = prepared;
  if (problem) {
    const last = Math.max(document.lineCount, 1);
    if (problem.problems.length === 0)
      return { kind: 'misplaced-problem', detail: `no problems listed: ${problem.message}` };
    for (const p of problem.problems) {
      if (!(p.line >= 1 && p.line <= last && p.column >= 1) || p.message.trim() === '')
        return { kind: 'misplaced-problem', detail: `line ${p.line}:${p.column} of ${last}: ${p.message}` };
    }
    if (problem.line !== request.ranges.requestLine.start.line + 1)
      return { kind: 'misplaced-problem', detail: `problem.line ${problem.line} is not the request line` };
    return null;
  }
  if (!resolved) return { kind: 'invalid-request', detail: 'neither a request nor a problem' };
  const bad = (detail: string) => ({ kind: 'invalid-request' as const, detail });
  if (!TOKEN.test(resolved.method)) return bad(`method ${JSON.stringify(resolved.method)}`);
  let url: URL;
  try {
    url = new URL(resolved.url);
  } catch {
    return bad(`URL ${JSON.stringify(resolved.url)} does not parse`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return bad(`URL scheme ${url.protocol}`);
  if (url.href !== resolved.url) return bad(`URL ${JSON.stringify(resolved.url)} is not normalised`);
  // What the session puts on the wire before its own Host and Content-Length (send.ts).
  const wire = applyDefaults(resolved.headers, prepared.settings.options.defaultHeaders ?? [], [
    ['User-Agent', 'http-session'],
  ]);
  let hosts = 0;
  for (const [name, value] of wire) {
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    } catch (e) {
      return bad(`header ${JSON.stringify(name)}: ${JSON.stringify(value)}: ${(e as Error).message}`);
    }
    if (name.toLowerCase() === 'host') hosts++;
  }
  if (hosts > 1) return bad('two Host headers');
  return null;
}

// ---- reporting ------------------------------------------------------------

/** Shrinks `input` while `fails` holds: lines first, then characters. */
export async function minimize(input: string, fails: (text: string) => Promise<boolean>): Promise<string> {
  let best = input;
  for (let size = Math.max(1, Math.floor(best.length / 2)); size >= 1; size = Math.floor(size / 2)) {
    for (let at = 0; at < best.length; ) {
      const candidate = best.slice(0, at) + best.slice(at + size);
      if (candidate.length < best.length && (await fails(candidate))) best = candidate;
      else at += size;
    }
    if (size === 1) break;
  }
  return best;
}

export interface FuzzSummary {
  readonly seed: number;
  readonly documents: number;
  readonly requests: number;
  readonly sendable: number;
  readonly failures: readonly FuzzFailure[];
  readonly counts: Readonly<Record<FuzzFailure['kind'], number>>;
  readonly ms: number;
  readonly slowest: { readonly ms: number; readonly length: number; readonly index: number };
}

/** Generates and runs `documents` inputs from `seed`; keeps the first `keep` failures. */
export async function fuzz(seed: number, documents: number, keep = 5): Promise<FuzzSummary> {
  const r = seededRandom(seed);
  const pipeline = createPipeline();
  const failures: FuzzFailure[] = [];
  const counts = { exception: 0, 'invalid-request': 0, 'misplaced-problem': 0 };
  let requests = 0;
  let sendable = 0;
  let slowest = { ms: 0, length: 0, index: -1 };
  const start = performance.now();
  for (let i = 0; i < documents; i++) {
    const text = generateDocument(r);
    const t0 = performance.now();
    const result = await pipeline.run(text);
    const ms = performance.now() - t0;
    if (ms > slowest.ms) slowest = { ms, length: text.length, index: i };
    requests += result.requests;
    sendable += result.sendable;
    for (const f of result.failures) {
      counts[f.kind]++;
      if (failures.length < keep) failures.push(f);
    }
  }
  return {
    seed,
    documents,
    requests,
    sendable,
    failures,
    counts,
    ms: performance.now() - start,
    slowest,
  };
}

/** A failure as a report: the input (JSON-quoted, so CR, NUL and friends show) and a shrunk one. */
export async function describeFailure(failure: FuzzFailure): Promise<string> {
  const pipeline = createPipeline();
  const same = async (text: string) =>
    (await pipeline.run(text)).failures.some((f) => f.kind === failure.kind);
  const small = await minimize(failure.input, same);
  return [
    `${failure.kind}: ${failure.detail.split('\n').slice(0, 6).join('\n')}`,
    `input:     ${JSON.stringify(failure.input)}`,
    `minimized: ${JSON.stringify(small)}`,
  ].join('\n');
}
