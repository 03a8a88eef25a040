import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ConnectTimeoutError,
  classifyError,
  DecodeFailure,
  type ErrorContext,
  stopError,
} from '../../../src/core/session/errors';

const ctx: ErrorContext = { host: 'api.test', port: 8443, mappedTo: null, stage: 'connecting', bodyBytes: 0 };

function codedError(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

const cases: readonly {
  rule: string;
  err: unknown;
  ctx?: Partial<ErrorContext>;
  code: string;
  message: RegExp;
}[] = [
  {
    rule: 'ENOTFOUND is DNS',
    err: codedError('ENOTFOUND'),
    code: 'DNS',
    message: /^Could not resolve host api\.test —/,
  },
  {
    rule: 'EAI_AGAIN is a temporary DNS failure',
    err: codedError('EAI_AGAIN'),
    code: 'DNS',
    message: /temporary DNS failure/,
  },
  {
    rule: 'ECONNREFUSED is REFUSED',
    err: codedError('ECONNREFUSED'),
    code: 'REFUSED',
    message: /^Connection refused by api\.test:8443 — is the server running/,
  },
  {
    rule: 'happy eyeballs failing on every address is classified by the first attempt',
    err: new AggregateError([codedError('ECONNREFUSED'), codedError('ECONNREFUSED')], 'all failed'),
    code: 'REFUSED',
    message: /^Connection refused by api\.test:8443/,
  },
  {
    rule: 'a resolve rule is named next to the host',
    err: codedError('ECONNREFUSED'),
    ctx: { mappedTo: '127.0.0.2' },
    code: 'REFUSED',
    message: /api\.test:8443 \(resolved to 127\.0\.0\.2\)/,
  },
  {
    rule: 'an expired certificate',
    err: codedError('CERT_HAS_EXPIRED'),
    code: 'TLS',
    message: /the certificate has expired — add the CA/,
  },
  {
    rule: 'a certificate for other names',
    err: codedError('ERR_TLS_CERT_ALTNAME_INVALID'),
    code: 'TLS',
    message: /does not name this host — check the host name/,
  },
  {
    rule: 'an unknown TLS failure keeps its message',
    err: codedError('ERR_SSL_SOMETHING_NEW', 'odd alert'),
    code: 'TLS',
    message: /handshake failed \(odd alert\)/,
  },
  {
    rule: 'a socket closed mid-body says how much had arrived',
    err: codedError('UND_ERR_SOCKET', 'other side closed'),
    ctx: { stage: 'body', bodyBytes: 512 },
    code: 'RESET',
    message: /closed after 512 bytes of the body/,
  },
  {
    rule: 'a reset before the response says so',
    err: codedError('ECONNRESET'),
    ctx: { stage: 'waiting' },
    code: 'RESET',
    message: /closed before a response arrived/,
  },
  {
    rule: 'a response that is not HTTP',
    err: codedError('HPE_INVALID_CONSTANT', 'Expected HTTP/'),
    code: 'NETWORK',
    message: /not valid HTTP\/1\.1 .* is this the right port\?/,
  },
  {
    rule: 'the connect timeout names the step that did not finish',
    err: new ConnectTimeoutError('tcp', 300),
    code: 'CONNECT_TIMEOUT',
    message: /within 300 ms \(connect timeout, TCP connect not finished\)/,
  },
  {
    rule: 'a decoder failure names the coding',
    err: new DecodeFailure('br', 'Decompression failed'),
    code: 'DECODE',
    message: /\(br: Decompression failed\)/,
  },
  {
    rule: 'an invalid header is INVALID_REQUEST',
    err: codedError('UND_ERR_INVALID_ARG', 'invalid x header'),
    code: 'INVALID_REQUEST',
    message: /invalid x header/,
  },
  {
    rule: 'anything else is NETWORK with its message',
    err: new Error('weird\nthing'),
    code: 'NETWORK',
    message: /^Network error with api\.test:8443: weird thing$/,
  },
  {
    rule: 'a thrown non-error still becomes a message',
    err: 'just a string',
    code: 'NETWORK',
    message: /just a string/,
  },
  {
    rule: 'an unreachable host hints at the network',
    err: codedError('EHOSTUNREACH'),
    code: 'NETWORK',
    message: /check your network, VPN or proxy/,
  },
];

for (const { rule, err, ctx: overrides, code, message } of cases) {
  test(`error message: ${rule}`, () => {
    const error = classifyError(err, { ...ctx, ...overrides });
    assert.equal(error.code, code);
    assert.match(error.message, message);
    assert.doesNotMatch(error.message, /\n/);
  });
}

test('stop reasons name the stage the request had reached', () => {
  assert.match(
    stopError({ kind: 'timeout', timeoutMs: 50 }, { ...ctx, stage: 'connecting' }).message,
    /within 50 ms \(total timeout, still connecting\)/,
  );
  assert.equal(stopError({ kind: 'cancelled' }, ctx).code, 'CANCELLED');
  assert.match(stopError({ kind: 'closed' }, ctx).message, /connections were closed/);
});
