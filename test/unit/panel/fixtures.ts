// SendResult values for panel tests: a plain 200 JSON response over a new
// connection, with anything overridden per test.
import type {
  ConnectionUse,
  HeaderList,
  ReceivedResponse,
  SendResult,
  SentRequest,
  Timing,
} from '../../../src/core/session/types';
import type { WebviewResources } from '../../../src/extension/panel/html';
import {
  buildResponseView,
  type ResponseViewInput,
  type ViewOptions,
} from '../../../src/extension/panel/viewModel';

export const TIMING: Timing = { dns: 2, connect: 3, tls: 5, sent: 1, firstByte: 80, download: 9, total: 100 };

export const NEW_CONNECTION: ConnectionUse = {
  id: 1,
  reused: false,
  requestsOnConnection: 1,
  remoteAddress: '127.0.0.1:443',
};

export function response(
  body: string | Uint8Array,
  contentType: string | null = 'application/json',
  extra: Partial<ReceivedResponse> = {},
): ReceivedResponse {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  const headers: HeaderList = contentType ? [['Content-Type', contentType]] : [];
  return {
    status: 200,
    statusText: 'OK',
    httpVersion: '1.1',
    headers,
    body: bytes,
    text,
    contentType,
    charset: 'utf-8',
    encodedBytes: bytes.byteLength,
    truncated: false,
    ...extra,
  };
}

export function sent(extra: Partial<SentRequest> = {}): SentRequest {
  return {
    method: 'GET',
    url: 'https://api.example.com/items',
    headers: [['Accept', 'application/json']],
    body: null,
    ...extra,
  };
}

export function result(extra: Partial<SendResult> = {}): SendResult {
  const request = extra.sent === undefined ? sent() : extra.sent;
  const timing = extra.timing ?? TIMING;
  const connection = extra.connection === undefined ? NEW_CONNECTION : extra.connection;
  const res = extra.response === undefined ? response('{"ok":true}') : extra.response;
  return {
    method: request?.method ?? 'GET',
    url: request?.url ?? 'https://api.example.com/items',
    sent: request,
    response: res,
    timing,
    connection,
    cookies: { stored: [], rejected: [] },
    redirects: [],
    hops: request ? [{ sent: request, status: res?.status ?? null, timing, connection }] : [],
    elapsedMs: timing.total,
    error: null,
    warnings: [],
    ...extra,
  };
}

export function view(r: SendResult, input: Partial<ResponseViewInput> = {}, options: ViewOptions = {}) {
  return buildResponseView({ result: r, sessionName: 'default', ...input }, options);
}

export const RESOURCES: WebviewResources = {
  asWebviewUri: (path) => `https://file+.vscode-resource.vscode-cdn.net/ext/${path}`,
  cspSource: 'https://*.vscode-cdn.net',
};

/** A long random-looking nonce, as createNonce makes. */
export const NONCE = 'q1w2e3r4t5y6u7i8o9p0AbCd';
