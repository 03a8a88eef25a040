// Every failure the engine can meet becomes a SessionError: a code the UI
// can branch on and one line that names the host and what to check.
import type { ErrorCode, SessionError } from './types';

/** Raised by our connector when the connection is not ready in time. */
export class ConnectTimeoutError extends Error {
  readonly code = 'HS_CONNECT_TIMEOUT';
  constructor(
    readonly stage: 'dns' | 'tcp' | 'tls',
    readonly timeoutMs: number,
  ) {
    super(`connect timeout after ${timeoutMs} ms during ${stage}`);
  }
}

/** Raised by the body decoder: bad compressed data or too many layers. */
export class DecodeFailure extends Error {
  readonly code = 'HS_DECODE';
  constructor(
    readonly coding: string,
    message: string,
  ) {
    super(message);
  }
}

/** A client certificate from the session config that TLS could not load (bad PEM, wrong passphrase). */
export class ClientCertificateError extends Error {
  readonly code = 'HS_CLIENT_CERTIFICATE';
  constructor(
    readonly host: string,
    reason: string,
  ) {
    super(reason);
  }
}

/** Why the engine itself stopped a send. */
export type StopReason =
  | { readonly kind: 'timeout'; readonly timeoutMs: number }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'closed' };

export interface ErrorContext {
  /** Host and port from the URL (what the user wrote). */
  readonly host: string;
  readonly port: number;
  /** Address from a resolve rule, when one applied. */
  readonly mappedTo: string | null;
  /** How far the hop got: decides between "refused", "reset before" and "reset after". */
  readonly stage: 'connecting' | 'waiting' | 'body';
  readonly bodyBytes: number;
  /** The session's response head limit, named when a server exceeds it. */
  readonly maxHeaderBytes?: number;
}

export function sessionError(code: ErrorCode, message: string, detail: string | null = null): SessionError {
  return { code, message: oneLine(message), detail: detail === null ? null : oneLine(detail) };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function byteSize(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}

function hostPort(ctx: ErrorContext): string {
  const host = ctx.host.includes(':') ? `[${ctx.host}]` : ctx.host;
  const base = `${host}:${ctx.port}`;
  return ctx.mappedTo ? `${base} (resolved to ${ctx.mappedTo})` : base;
}

export function stopError(reason: StopReason, ctx: ErrorContext): SessionError {
  switch (reason.kind) {
    case 'timeout': {
      const stage =
        ctx.stage === 'connecting'
          ? 'still connecting'
          : ctx.stage === 'waiting'
            ? 'waiting for the response'
            : `after ${ctx.bodyBytes} bytes of the body`;
      return sessionError(
        'TIMEOUT',
        `No complete response from ${hostPort(ctx)} within ${reason.timeoutMs} ms (total timeout, ${stage}) — is the server stuck or slow? Raise the timeout if this is expected`,
      );
    }
    case 'cancelled':
      return sessionError('CANCELLED', `Request to ${hostPort(ctx)} was cancelled`);
    case 'closed':
      return sessionError(
        'CANCELLED',
        `Request to ${hostPort(ctx)} was cancelled because the session's connections were closed`,
      );
  }
}

const TLS_PROBLEMS: Readonly<Record<string, string>> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'the certificate chain ends in a self-signed (untrusted) root',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the certificate was issued by an unknown CA',
  UNABLE_TO_GET_ISSUER_CERT: 'the certificate was issued by an unknown CA',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the certificate chain is incomplete or its CA is unknown',
  CERT_HAS_EXPIRED: 'the certificate has expired',
  CERT_NOT_YET_VALID: 'the certificate is not valid yet',
  CERT_REVOKED: 'the certificate has been revoked',
  CERT_SIGNATURE_FAILURE: 'the certificate signature is invalid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'the certificate does not name this host',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the server did not answer with TLS (is it plain http?)',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'no TLS version both sides support',
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: 'no TLS version both sides support',
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'the server requires a client certificate',
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: 'the server did not accept the client certificate',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: 'the server does not trust the CA of the client certificate',
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE:
    'the server refused the handshake (no common cipher or a client certificate is required)',
};

const CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

// The server's verdict on the client certificate: the advice is about that certificate, not the port.
const CLIENT_CERT_ADVICE: Readonly<Record<string, string>> = {
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED:
    'add one for this host (httpSession.clientCertificates, or --cert/--pfx on the command line)',
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE:
    'check that the certificate configured for this host is the one it expects',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: 'check that the certificate configured for this host is the one it expects',
};

function errorCode(err: unknown): string {
  if (err && typeof err === 'object') {
    const { code, errors, cause } = err as { code?: unknown; errors?: unknown; cause?: unknown };
    if (typeof code === 'string' && code) {
      return code;
    }
    // Happy eyeballs (several addresses) fails with an AggregateError of the attempts.
    if (Array.isArray(errors) && errors.length > 0) {
      return errorCode(errors[0]);
    }
    if (cause) {
      return errorCode(cause);
    }
  }
  return '';
}

function errorMessage(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) {
    return errorMessage(err.errors[0]);
  }
  return err instanceof Error ? err.message : String(err);
}

/** Classifies an error thrown by the connector, undici or the decoder. */
export function classifyError(err: unknown, ctx: ErrorContext): SessionError {
  const code = errorCode(err);
  const message = errorMessage(err);
  const detail = code ? `${code}: ${message}` : message;
  const where = hostPort(ctx);

  if (err instanceof ConnectTimeoutError) {
    const stage = { dns: 'DNS lookup', tcp: 'TCP connect', tls: 'TLS handshake' }[err.stage];
    return sessionError(
      'CONNECT_TIMEOUT',
      `Could not connect to ${where} within ${err.timeoutMs} ms (connect timeout, ${stage} not finished) — check the host, port, firewall or proxy, or raise the connect timeout`,
      detail,
    );
  }
  if (err instanceof ClientCertificateError) {
    return sessionError(
      'TLS',
      `The client certificate for ${err.host} could not be loaded (${err.message}) — check the cert, key or pfx and the passphrase`,
      detail,
    );
  }
  if (err instanceof DecodeFailure) {
    return sessionError(
      'DECODE',
      `Response body from ${where} could not be decoded (${err.coding}: ${err.message}) — the data does not match its Content-Encoding`,
      detail,
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NODATA' || code === 'EAI_FAIL') {
    const temporary = code === 'EAI_AGAIN' ? ' (temporary DNS failure)' : '';
    return sessionError(
      'DNS',
      `Could not resolve host ${ctx.host}${temporary} — check the spelling and your network or VPN, or add a resolve rule`,
      detail,
    );
  }
  if (code === 'ECONNREFUSED') {
    return sessionError(
      'REFUSED',
      `Connection refused by ${where} — is the server running and listening on that port?`,
      detail,
    );
  }
  if (
    CERT_CODES.has(code) ||
    code.startsWith('ERR_SSL_') ||
    code.startsWith('ERR_TLS_') ||
    code === 'EPROTO'
  ) {
    const problem = TLS_PROBLEMS[code] ?? `handshake failed (${message})`;
    const advice = CERT_CODES.has(code)
      ? code === 'ERR_TLS_CERT_ALTNAME_INVALID'
        ? 'check the host name in the URL, or the certificate'
        : "add the CA to the session's ca setting, or mark the request @insecure if you trust this server"
      : (CLIENT_CERT_ADVICE[code] ?? 'check that the port speaks TLS and the server accepts this client');
    return sessionError('TLS', `TLS with ${where} failed: ${problem} — ${advice}`, detail);
  }
  if (code === 'UND_ERR_INVALID_ARG' || code === 'UND_ERR_NOT_SUPPORTED' || code === 'ERR_INVALID_CHAR') {
    return sessionError(
      'INVALID_REQUEST',
      `Request to ${where} could not be sent: ${message} — check the method, header names and values`,
      detail,
    );
  }
  if (code === 'UND_ERR_DESTROYED' || code === 'UND_ERR_CLOSED' || code === 'UND_ERR_ABORTED') {
    return sessionError('CANCELLED', `Request to ${where} was cancelled`, detail);
  }
  if (
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'UND_ERR_SOCKET' ||
    code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH'
  ) {
    const when =
      ctx.stage === 'body'
        ? `after ${ctx.bodyBytes} bytes of the body`
        : ctx.stage === 'waiting'
          ? 'before a response arrived'
          : 'while connecting';
    return sessionError(
      'RESET',
      `Connection to ${where} was closed ${when} — the server or a proxy dropped it; check the server log`,
      detail,
    );
  }
  if (code === 'UND_ERR_HEADERS_OVERFLOW' || code === 'HPE_HEADER_OVERFLOW') {
    // Name the limit in force: a session configured lower than the default would otherwise be told "256 KiB".
    const limit = ctx.maxHeaderBytes === undefined ? '' : ` of ${byteSize(ctx.maxHeaderBytes)}`;
    return sessionError(
      'NETWORK',
      `${where} sent response headers larger than the session's limit${limit} (maxHeaderBytes) — check the server for runaway headers or cookies`,
      detail,
    );
  }
  if (code.startsWith('HPE_')) {
    return sessionError(
      'NETWORK',
      `${where} sent a response that is not valid HTTP/1.1 (${message}) — is this the right port?`,
      detail,
    );
  }
  const hint =
    code === 'EHOSTUNREACH' || code === 'ENETUNREACH'
      ? ' — check your network, VPN or proxy'
      : code === 'ETIMEDOUT'
        ? ' — the host did not answer; check the address and firewall'
        : '';
  return sessionError('NETWORK', `Network error with ${where}: ${message}${hint}`, detail);
}
