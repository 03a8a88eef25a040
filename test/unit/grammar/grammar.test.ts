import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import type { IGrammar } from 'vscode-textmate';
import { describeTokens, grammarPath, loadHttpGrammar, tokenize, tokensAt } from './tokenize';

interface ScopeCase {
  /** The rule the case pins, used as the test name. */
  readonly rule: string;
  readonly doc: readonly string[];
  /** Substring whose tokens are checked; the first occurrence unless `nth` says otherwise. */
  readonly text: string;
  readonly nth?: number;
  readonly scope: string;
  /** Assert that no token of `text` has `scope`. */
  readonly absent?: boolean;
}

const methods = [
  'GET',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'HEAD',
  'OPTIONS',
  'TRACE',
  'CONNECT',
  'PROPFIND',
  'PROPPATCH',
  'MKCOL',
  'COPY',
  'MOVE',
  'LOCK',
  'UNLOCK',
  'GRAPHQL',
];

const jsonRequest = [
  'POST https://example.com/login',
  'Content-Type: application/json',
  'Authorization: Bearer {{token}}',
  '',
  '{',
  '  "user": "{{user}}",',
  '  "id": {{$guid}},',
  '  "n": 1',
  '}',
  '',
  '> {% client.global.set("token", response.body.token); %}',
  '',
  '### Next',
  'GET https://example.com/next',
];

const cases: ScopeCase[] = [
  // Separators
  { rule: '### is a separator', doc: ['###', 'GET /'], text: '###', scope: 'meta.separator.http' },
  {
    rule: '### text is a separator with a name',
    doc: ['### Login', 'GET /'],
    text: 'Login',
    scope: 'entity.name.section.http',
  },
  {
    rule: '### ends the previous request body',
    doc: ['POST /a', '', 'some body', '### Next', 'GET /b'],
    text: 'Next',
    scope: 'entity.name.section.http',
  },
  {
    rule: 'request after ### is not in the previous body',
    doc: ['POST /a', '', 'some body', '###', 'GET /b'],
    text: 'GET',
    scope: 'meta.body.http',
    absent: true,
  },

  // Comments
  {
    rule: '# line is a comment',
    doc: ['# a note', 'GET /'],
    text: 'a note',
    scope: 'comment.line.number-sign.http',
  },
  {
    rule: '// line is a comment',
    doc: ['// a note', 'GET /'],
    text: 'a note',
    scope: 'comment.line.double-slash.http',
  },
  {
    rule: 'comment between headers',
    doc: ['GET /', 'Accept: */*', '# skip this', 'X-A: 1'],
    text: 'skip this',
    scope: 'comment.line.number-sign.http',
  },
  {
    rule: '# inside a URL is not a comment',
    doc: ['GET https://example.com/#frag'],
    text: '#frag',
    scope: 'comment.line.number-sign.http',
    absent: true,
  },

  // Directives
  {
    rule: '# @name is a directive keyword',
    doc: ['# @name login', 'GET /'],
    text: '@name',
    scope: 'keyword.other.directive.http',
  },
  {
    rule: '# @name value is the request name',
    doc: ['# @name login', 'GET /'],
    text: 'login',
    scope: 'entity.name.function.request.http',
  },
  {
    rule: '# @name = value (JetBrains form) is the request name',
    doc: ['# @name = login', 'GET /'],
    text: 'login',
    scope: 'entity.name.function.request.http',
  },
  {
    rule: 'directive line is still a comment',
    doc: ['# @name login', 'GET /'],
    text: 'login',
    scope: 'comment.line.number-sign.http',
  },
  {
    rule: '// @no-redirect is a directive',
    doc: ['// @no-redirect', 'GET /'],
    text: '@no-redirect',
    scope: 'keyword.other.directive.http',
  },
  {
    rule: '# @timeout value is a number',
    doc: ['# @timeout 2s', 'GET /'],
    text: '2s',
    scope: 'constant.numeric.http',
  },
  {
    rule: '# @prompt names a variable',
    doc: ['# @prompt password Your password', 'GET /'],
    text: 'password',
    scope: 'variable.other.definition.http',
  },
  {
    rule: '# @prompt description is text',
    doc: ['# @prompt password Your password', 'GET /'],
    text: 'Your password',
    scope: 'string.unquoted.description.http',
  },
  {
    rule: 'directive in the header block',
    doc: ['GET /', '# @no-log', 'Accept: */*'],
    text: '@no-log',
    scope: 'keyword.other.directive.http',
  },

  // File variables
  {
    rule: '@name = value defines a variable',
    doc: ['@host = example.com'],
    text: 'host',
    scope: 'variable.other.definition.http',
  },
  {
    rule: 'variable definition value',
    doc: ['@host = example.com'],
    text: 'example.com',
    scope: 'string.unquoted.value.http',
  },
  {
    rule: 'variable definition value references a variable',
    doc: ['@base = https://{{host}}/api'],
    text: 'host',
    scope: 'variable.other.http',
  },

  // Request line
  ...methods.map(
    (method): ScopeCase => ({
      rule: `method ${method} is a keyword`,
      doc: [`${method} https://example.com/`],
      text: method,
      scope: 'keyword.other.method.http',
    }),
  ),
  {
    rule: 'lowercase method is a keyword',
    doc: ['post https://example.com/'],
    text: 'post',
    scope: 'keyword.other.method.http',
  },
  {
    rule: 'URL after the method is a URL',
    doc: ['GET https://example.com/a?b=1'],
    text: 'https://example.com/a?b=1',
    scope: 'string.url.http',
  },
  {
    rule: 'HTTP/1.1 is a version',
    doc: ['GET https://example.com/ HTTP/1.1'],
    text: 'HTTP/1.1',
    scope: 'constant.other.version.http',
  },
  {
    rule: 'HTTP/2 is a version',
    doc: ['GET https://example.com/ HTTP/2'],
    text: 'HTTP/2',
    scope: 'constant.other.version.http',
  },
  {
    rule: 'version is not part of the URL',
    doc: ['GET https://example.com/ HTTP/1.1'],
    text: 'HTTP/1.1',
    scope: 'string.url.http',
    absent: true,
  },
  {
    rule: 'request line without method is a URL',
    doc: ['https://example.com/users'],
    text: 'https://example.com/users',
    scope: 'string.url.http',
  },
  {
    rule: 'request line without method keeps its version',
    doc: ['https://example.com/users HTTP/1.1'],
    text: 'HTTP/1.1',
    scope: 'constant.other.version.http',
  },
  {
    rule: 'request line without method after comments and ###',
    doc: ['###', '# @name list', '{{host}}/users'],
    text: '/users',
    scope: 'string.url.http',
  },
  {
    rule: 'query continuation on ? line',
    doc: ['GET https://example.com/a', '?page=2', '&size=10'],
    text: '?page=2',
    scope: 'string.url.http',
  },
  {
    rule: 'query continuation on indented & line',
    doc: ['GET https://example.com/a', '  ?page=2', '  &size=10'],
    text: '&size=10',
    scope: 'string.url.http',
  },
  {
    rule: 'query continuation with a colon is not a header',
    doc: ['GET https://example.com/a', '  ?at=10:30', 'Accept: */*'],
    text: 'at',
    scope: 'support.type.header.http',
    absent: true,
  },
  {
    rule: 'httpYac ?? assertion is not a URL continuation',
    doc: ['GET https://example.com/a', '?? status == 200'],
    text: 'status',
    scope: 'string.url.http',
    absent: true,
  },
  {
    rule: 'JetBrains indented path continuation',
    doc: ['GET http://localhost:80/api', '    /html', '    ?id=123'],
    text: '/html',
    scope: 'string.url.http',
  },
  {
    rule: 'indented // comment is not a path continuation',
    doc: ['GET http://localhost:80/api', '    // note'],
    text: '// note',
    scope: 'comment.line.double-slash.http',
  },

  // Variables
  {
    rule: '{{name}} in a URL is a variable',
    doc: ['GET https://{{host}}/a'],
    text: 'host',
    scope: 'variable.other.http',
  },
  {
    rule: '{{ is punctuation',
    doc: ['GET https://{{host}}/a'],
    text: '{{',
    scope: 'punctuation.definition.variable.begin.http',
  },
  {
    rule: '}} is punctuation',
    doc: ['GET https://{{host}}/a'],
    text: '}}',
    scope: 'punctuation.definition.variable.end.http',
  },
  {
    rule: '{{ name }} with spaces is a variable',
    doc: ['GET https://{{ host }}/a'],
    text: 'host',
    scope: 'variable.other.http',
  },
  {
    rule: '{{$guid}} is a system variable',
    doc: ['GET https://example.com/{{$guid}}'],
    text: '$guid',
    scope: 'support.variable.system.http',
  },
  {
    rule: '{{$timestamp -1 d}} is a system variable',
    doc: ['GET https://example.com/?t={{$timestamp -1 d}}'],
    text: '$timestamp',
    scope: 'support.variable.system.http',
  },
  {
    rule: 'system variable arguments: numbers',
    doc: ['GET https://example.com/?t={{$timestamp -1 d}}'],
    text: '-1',
    scope: 'constant.numeric.http',
  },
  {
    rule: 'system variable is not a plain variable',
    doc: ['GET https://example.com/{{$guid}}'],
    text: '$guid',
    scope: 'variable.other.http',
    absent: true,
  },
  {
    rule: 'request variable reference is a variable',
    doc: ['GET https://example.com/?t={{login.response.body.$.token}}'],
    text: 'login.response.body.$.token',
    scope: 'variable.other.http',
  },
  {
    rule: '{{%name}} url-encode marker',
    doc: ['GET https://example.com/?q={{%query}}'],
    text: '%',
    scope: 'keyword.operator.url-encode.http',
  },
  {
    rule: 'variable in a header value',
    doc: ['GET /', 'Authorization: Bearer {{token}}'],
    text: 'token',
    scope: 'variable.other.http',
  },
  {
    rule: 'variable in a query continuation',
    doc: ['GET /a', '  &t={{$timestamp}}'],
    text: '$timestamp',
    scope: 'support.variable.system.http',
  },
  {
    rule: 'variable in a plain body',
    doc: ['POST /', 'Content-Type: text/plain', '', 'hello {{name}}'],
    text: 'name',
    scope: 'variable.other.http',
  },
  {
    rule: 'variables inside JSON body: in a JSON string',
    doc: jsonRequest,
    text: 'user',
    nth: 1,
    scope: 'variable.other.http',
  },
  {
    rule: 'variables inside JSON body: the string is still a JSON string',
    doc: jsonRequest,
    text: 'user',
    nth: 1,
    scope: 'string.quoted.double.json',
  },
  {
    rule: 'variables inside JSON body: unquoted system variable inside an object',
    doc: jsonRequest,
    text: '$guid',
    scope: 'support.variable.system.http',
  },
  {
    rule: 'variables inside XML body: in an attribute',
    doc: ['POST /', 'Content-Type: application/xml', '', '<a id="{{id}}">', '</a>'],
    text: 'id',
    nth: 1,
    scope: 'variable.other.http',
  },

  // Headers
  { rule: 'header name', doc: ['GET /', 'Accept: */*'], text: 'Accept', scope: 'support.type.header.http' },
  {
    rule: 'header colon',
    doc: ['GET /', 'Accept: */*'],
    text: ':',
    nth: 0,
    scope: 'punctuation.separator.key-value.http',
  },
  { rule: 'header value', doc: ['GET /', 'Accept: */*'], text: '*/*', scope: 'string.unquoted.header.http' },
  {
    rule: 'Content-Type json header is a header',
    doc: jsonRequest,
    text: 'Content-Type',
    scope: 'support.type.header.http',
  },
  {
    rule: 'header after a json Content-Type is a header',
    doc: jsonRequest,
    text: 'Authorization',
    scope: 'support.type.header.http',
  },

  // Bodies
  {
    rule: 'JSON body embedded when Content-Type is application/json',
    doc: jsonRequest,
    text: '"n": 1',
    scope: 'meta.embedded.block.json',
  },
  {
    rule: 'JSON body includes the JSON grammar',
    doc: jsonRequest,
    text: '"n": 1',
    scope: 'meta.structure.dictionary.json',
  },
  {
    rule: 'JSON body embedded for +json media types',
    doc: ['POST /', 'Content-Type: application/vnd.api+json; charset=utf-8', '', '{"a": 1}'],
    text: '"a"',
    scope: 'meta.embedded.block.json',
  },
  {
    rule: 'Content-Type match is case-insensitive',
    doc: ['POST /', 'content-type: Application/JSON', '', '{"a": 1}'],
    text: '"a"',
    scope: 'meta.embedded.block.json',
  },
  {
    rule: 'JSON Content-Type after other headers',
    doc: ['POST /', 'Accept: */*', 'Content-Type: application/json', 'X-A: 1', '', '"text"'],
    text: '"text"',
    scope: 'meta.embedded.block.json',
  },
  {
    rule: 'JSON body ends at the next ###',
    doc: jsonRequest,
    text: 'GET',
    scope: 'meta.embedded.block.json',
    absent: true,
  },
  {
    rule: 'JSON body is not JSON in the request after ###',
    doc: [...jsonRequest, '', 'plain'],
    text: 'plain',
    scope: 'meta.embedded.block.json',
    absent: true,
  },
  {
    rule: 'unclosed JSON object does not run past ###',
    doc: ['POST /', 'Content-Type: application/json', '', '{ "a": [1,', '###', 'GET /b'],
    text: 'GET',
    scope: 'keyword.other.method.http',
  },
  {
    rule: 'unclosed JSON object does not scope the next request',
    doc: ['POST /', 'Content-Type: application/json', '', '{ "a": [1,', '###', 'GET /b'],
    text: 'GET',
    scope: 'meta.structure.dictionary.json',
    absent: true,
  },
  {
    rule: 'XML body embedded when Content-Type is application/xml',
    doc: ['POST /', 'Content-Type: application/xml', '', '<?xml version="1.0"?>', '<a>text</a>'],
    text: 'text',
    scope: 'meta.embedded.block.xml',
  },
  {
    rule: 'XML body embedded when Content-Type is text/xml',
    doc: ['POST /', 'Content-Type: text/xml', '', '<a>text</a>'],
    text: '<a>',
    scope: 'meta.embedded.block.xml',
  },
  {
    rule: 'unclosed XML tag does not run past ###',
    doc: ['POST /', 'Content-Type: application/xml', '', '<a b="1"', '###', 'GET /b'],
    text: 'GET',
    scope: 'meta.tag.xml',
    absent: true,
  },
  {
    rule: 'body without Content-Type is plain',
    doc: ['POST /', 'Content-Type: text/plain', '', 'hello'],
    text: 'hello',
    scope: 'meta.body.http',
  },
  {
    rule: 'plain body is not embedded',
    doc: ['POST /', 'Content-Type: text/plain', '', 'hello'],
    text: 'hello',
    scope: 'meta.embedded.block.json',
    absent: true,
  },
  {
    rule: 'body starting with { is JSON-ish',
    doc: ['POST /', '', '{', '  "a": 1', '}'],
    text: '"a"',
    scope: 'meta.embedded.block.json',
  },
  {
    rule: 'body starting with [ is JSON-ish',
    doc: ['POST /', 'X-A: 1', '', '[1, 2]'],
    text: '[1, 2]',
    scope: 'meta.embedded.block.json',
  },
  {
    rule: 'body starting with {{variable}} is not JSON',
    doc: ['POST /', '', '{{payload}}'],
    text: 'payload',
    scope: 'meta.embedded.block.json',
    absent: true,
  },
  {
    rule: 'body starting with a tag is XML-ish',
    doc: ['POST /', '', '<a>text</a>'],
    text: 'text',
    scope: 'meta.embedded.block.xml',
  },
  {
    rule: 'GraphQL query under a JSON Content-Type is not JSON',
    doc: [
      'POST /graphql',
      'Content-Type: application/json',
      'X-Request-Type: GraphQL',
      '',
      'query ($id: ID!) {',
      '  user(id: $id) { name }',
      '}',
      '',
      '{ "id": "{{id}}" }',
    ],
    text: 'user(id',
    scope: 'meta.embedded.block.json',
    absent: true,
  },
  {
    rule: 'GraphQL variables block is JSON-ish',
    doc: [
      'POST /graphql',
      'Content-Type: application/json',
      'X-Request-Type: GraphQL',
      '',
      'query ($id: ID!) {',
      '  user(id: $id) { name }',
      '}',
      '',
      '{ "id": "{{id}}" }',
    ],
    text: '"id"',
    scope: 'meta.embedded.block.json',
  },
  {
    rule: 'form body & lines are not URL continuations',
    doc: ['POST /', 'Content-Type: application/x-www-form-urlencoded', '', 'a=1', '&b=2'],
    text: '&b=2',
    scope: 'string.url.http',
    absent: true,
  },

  // File references
  {
    rule: '< path is a file reference',
    doc: ['POST /', '', '< ./body.json'],
    text: '<',
    scope: 'keyword.operator.file-reference.http',
  },
  {
    rule: 'file reference path',
    doc: ['POST /', '', '< ./body.json'],
    text: './body.json',
    scope: 'string.unquoted.path.http',
  },
  {
    rule: '<@ path is a file reference with variables',
    doc: ['POST /', '', '<@ ./body.json'],
    text: '<@',
    scope: 'keyword.operator.file-reference.http',
  },
  {
    rule: '<@latin1 path is a file reference with an encoding',
    doc: ['POST /', '', '<@latin1 ./body.txt'],
    text: '<@latin1',
    scope: 'keyword.operator.file-reference.http',
  },
  {
    rule: 'variable in a file reference path',
    doc: ['POST /', '', '<@ ./{{dir}}/body.json'],
    text: 'dir',
    scope: 'variable.other.http',
  },
  {
    rule: 'file reference in a JSON-typed body is not JSON',
    doc: ['POST /', 'Content-Type: application/json', '', '< ./body.json'],
    text: './body.json',
    scope: 'meta.embedded.block.json',
    absent: true,
  },
  {
    rule: 'file reference in a JSON-typed body',
    doc: ['POST /', 'Content-Type: application/json', '', '< ./body.json'],
    text: './body.json',
    scope: 'string.unquoted.path.http',
  },
  {
    rule: 'file reference inside a multipart body',
    doc: [
      'POST /',
      'Content-Type: multipart/form-data; boundary=B',
      '',
      '--B',
      'Content-Disposition: form-data; name="f"; filename="a.txt"',
      '',
      '< ./a.txt',
      '--B--',
    ],
    text: './a.txt',
    scope: 'string.unquoted.path.http',
  },

  // Scripts and redirects
  {
    rule: 'response handler > {% %} embeds JavaScript',
    doc: jsonRequest,
    text: 'client.global.set',
    scope: 'meta.embedded.block.javascript',
  },
  {
    rule: 'response handler after a JSON body is not JSON',
    doc: jsonRequest,
    text: 'client.global.set',
    scope: 'meta.embedded.block.json',
    absent: true,
  },
  {
    rule: 'response handler > is an operator',
    doc: ['GET /', '', '> {% client.log(1); %}'],
    text: '>',
    scope: 'keyword.operator.response-handler.http',
  },
  {
    rule: 'response handler {% is punctuation',
    doc: ['GET /', '', '> {% client.log(1); %}'],
    text: '{%',
    scope: 'punctuation.section.embedded.begin.http',
  },
  {
    rule: 'response handler %} is punctuation',
    doc: ['GET /', '', '> {% client.log(1); %}'],
    text: '%}',
    scope: 'punctuation.section.embedded.end.http',
  },
  {
    rule: 'multi-line response handler',
    doc: ['GET /', '', '> {%', '  client.test("ok", function() {', '    client.assert(true);', '  });', '%}'],
    text: 'client.assert',
    scope: 'meta.embedded.block.javascript',
  },
  {
    rule: 'multi-line response handler ends at %}',
    doc: ['GET /', '', '> {%', '  client.test("ok", function() {', '  });', '%}', '', '### Next', 'GET /b'],
    text: 'Next',
    scope: 'entity.name.section.http',
  },
  {
    rule: 'response handler directly after headers',
    doc: ['GET /', 'Accept: */*', '> {% client.log(1); %}'],
    text: 'client.log',
    scope: 'meta.embedded.block.javascript',
  },
  {
    rule: 'pre-request script < {% %} embeds JavaScript',
    doc: ['< {%', '  request.variables.set("a", "1");', '%}', 'GET /'],
    text: 'request.variables.set',
    scope: 'meta.embedded.block.javascript',
  },
  {
    rule: 'pre-request script < is an operator',
    doc: ['< {% request.variables.set("a", "1"); %}', 'GET /'],
    text: '<',
    scope: 'keyword.operator.pre-request-script.http',
  },
  {
    rule: 'request line after a pre-request script',
    doc: ['< {%', '  request.variables.set("a", "1");', '%}', 'GET /'],
    text: 'GET',
    scope: 'keyword.other.method.http',
  },
  {
    rule: '> path is a response handler file',
    doc: ['GET /', '', '> ./handler.js'],
    text: './handler.js',
    scope: 'string.unquoted.path.http',
  },
  {
    rule: '> path operator',
    doc: ['GET /', '', '> ./handler.js'],
    text: '>',
    scope: 'keyword.operator.response-handler.http',
  },
  {
    rule: '>> path is an output redirect',
    doc: ['GET /', '', '>> ./out.json'],
    text: '>>',
    scope: 'keyword.operator.redirect.http',
  },
  {
    rule: '>>! path is an overwriting output redirect',
    doc: ['GET /', '', '>>! ./out.json'],
    text: '>>!',
    scope: 'keyword.operator.redirect.http',
  },
  {
    rule: 'output redirect path',
    doc: ['GET /', '', '>>! ./out.json'],
    text: './out.json',
    scope: 'string.unquoted.path.http',
  },
  {
    rule: 'output redirect after an XML body is not XML',
    doc: ['POST /', 'Content-Type: application/xml', '', '<a/>', '>> ./out.xml'],
    text: './out.xml',
    scope: 'meta.embedded.block.xml',
    absent: true,
  },
  {
    rule: 'unclosed response handler does not run past ###',
    doc: ['GET /', '', '> {% client.log(1);', '###', 'GET /b'],
    text: 'GET',
    nth: 1,
    scope: 'keyword.other.method.http',
  },
  {
    rule: '<> path is a response reference',
    doc: ['GET /', '', '<> ./2024-01-01T000000.200.json'],
    text: '<>',
    scope: 'keyword.operator.response-reference.http',
  },
  {
    rule: 'response reference after a JSON body is not JSON',
    doc: ['POST /', 'Content-Type: application/json', '', '{}', '<> ./previous.json'],
    text: './previous.json',
    scope: 'meta.embedded.block.json',
    absent: true,
  },
  {
    rule: 'httpYac {{ }} script block embeds JavaScript',
    doc: ['{{', '  exports.a = 1;', '}}', 'GET /'],
    text: 'exports.a',
    scope: 'meta.embedded.block.javascript',
  },
  {
    rule: 'request line after a httpYac script block',
    doc: ['{{', '  exports.a = 1;', '}}', 'GET /'],
    text: 'GET',
    scope: 'keyword.other.method.http',
  },

  // curl
  {
    rule: 'curl is a keyword',
    doc: ["curl -X POST 'https://example.com'"],
    text: 'curl',
    scope: 'keyword.other.curl.http',
  },
  {
    rule: 'curl option',
    doc: ["curl -X POST 'https://example.com'"],
    text: '-X',
    scope: 'constant.other.option.http',
  },
  {
    rule: 'curl quoted URL is a string',
    doc: ["curl -X POST 'https://example.com'"],
    text: 'https://example.com',
    scope: 'string.quoted.single.http',
  },
  {
    rule: 'curl bare argument is a string',
    doc: ['curl https://example.com'],
    text: 'https://example.com',
    scope: 'string.unquoted.argument.http',
  },
  {
    rule: 'curl continuation line stays in the command',
    doc: ["curl 'https://example.com' \\", '  -H "Accept: {{type}}"'],
    text: 'Accept',
    scope: 'string.quoted.double.http',
  },
  {
    rule: 'variable in a curl argument',
    doc: ["curl 'https://example.com' \\", '  -H "Accept: {{type}}"'],
    text: 'type',
    scope: 'variable.other.http',
  },
  {
    rule: 'curl command ends at ###',
    doc: ["curl 'https://example.com", '###', 'GET /'],
    text: 'GET',
    scope: 'keyword.other.method.http',
  },
];

describe('http.tmLanguage.json scopes', () => {
  let grammar: IGrammar;
  before(async () => {
    grammar = await loadHttpGrammar();
  });

  for (const c of cases) {
    it(c.rule, () => {
      const tokens = tokenize(grammar, c.doc);
      const covering = tokensAt(c.doc, tokens, c.text, c.nth);
      assert.ok(covering.length > 0, `no tokens cover ${JSON.stringify(c.text)}`);
      const ok = covering.every((t) => t.scopes.includes(c.scope) !== (c.absent ?? false));
      assert.ok(
        ok,
        `${JSON.stringify(c.text)} should ${c.absent ? 'not ' : ''}have ${c.scope}:\n${describeTokens(covering)}`,
      );
    });
  }
});

interface RawRule {
  [key: string]: unknown;
}

/** Every object in the grammar tree, so the checks below see nested rules and captures. */
function* walk(node: unknown): Generator<RawRule> {
  if (Array.isArray(node)) {
    for (const item of node) yield* walk(item);
  } else if (node !== null && typeof node === 'object') {
    yield node as RawRule;
    for (const value of Object.values(node)) yield* walk(value);
  }
}

describe('http.tmLanguage.json structure', () => {
  const raw = JSON.parse(readFileSync(grammarPath, 'utf8')) as {
    scopeName: string;
    repository: Record<string, unknown>;
  };

  it('is valid JSON with scopeName source.http', () => {
    assert.equal(raw.scopeName, 'source.http');
  });

  it('every #include resolves to a repository key', () => {
    const includes = [...walk(raw)].map((r) => r.include).filter((i): i is string => typeof i === 'string');
    const missing = includes.filter((i) => i.startsWith('#') && !(i.slice(1) in raw.repository));
    assert.deepEqual(missing, []);
  });

  it('every repository rule is used', () => {
    const included = new Set(
      [...walk(raw)].map((r) => r.include).filter((i): i is string => typeof i === 'string'),
    );
    const unused = Object.keys(raw.repository).filter((key) => !included.has(`#${key}`));
    assert.deepEqual(unused, []);
  });

  it('every regex compiles in Oniguruma', async () => {
    await loadHttpGrammar(); // loads the wasm
    const bad: string[] = [];
    for (const rule of walk(raw)) {
      for (const key of ['match', 'begin', 'end', 'while']) {
        const source = rule[key];
        if (typeof source !== 'string') continue;
        try {
          oniguruma.createOnigScanner([source]).dispose();
        } catch (error) {
          bad.push(`${key} ${source}: ${(error as Error).message}`);
        }
      }
    }
    assert.deepEqual(bad, []);
  });
});
