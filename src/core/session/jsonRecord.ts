// The one-JSON-line-per-request record the CLI prints. Its shape is a
// contract with scripts that read it: add keys, never rename or drop them.
import { MASK, maskHeaderList, maskHeaderValue } from '../mask';
import type { HeaderList, RedirectStep, RejectedCookie, SendResult, StoredCookie, Timing } from './types';

export interface JsonRecord {
  /** The request's `# @name`, or null. */
  readonly name: string | null;
  readonly method: string;
  readonly url: string;
  readonly status: number | null;
  readonly statusText: string | null;
  readonly httpVersion: string | null;
  readonly headers: HeaderList;
  /** Decoded text of the body, or null when no response arrived. */
  readonly body: string | null;
  /** Decoded body size in bytes (after the cap). */
  readonly bodyBytes: number;
  readonly truncated: boolean;
  readonly timing: Timing;
  readonly connection: {
    readonly id: number;
    readonly reused: boolean;
    readonly requestsOnConnection: number;
  } | null;
  readonly cookies: {
    readonly stored: readonly StoredCookie[];
    readonly rejected: readonly RejectedCookie[];
  };
  readonly redirects: readonly RedirectStep[];
  readonly error: { readonly code: string; readonly message: string } | null;
  /** The last request as it went out (after defaults, cookies and redirects). */
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly headers: HeaderList;
    readonly body: string | null;
  } | null;
}

/**
 * `masked`: sensitive header values (`Authorization`, `Cookie`, `Set-Cookie`…) and cookie values
 * come out masked, as printed; secrets elsewhere in the record are `secretMaskedJson`'s work.
 */
export function toJsonRecord(result: SendResult, name: string | null, masked = false): JsonRecord {
  const { response, connection, sent, error } = result;
  const headers = response?.headers ?? [];
  const { stored, rejected } = result.cookies;
  return {
    name,
    method: result.method,
    url: result.url,
    status: response?.status ?? null,
    statusText: response?.statusText ?? null,
    httpVersion: response?.httpVersion ?? null,
    headers: masked ? maskHeaderList(headers) : headers,
    body: response ? response.text : null,
    bodyBytes: response?.body.byteLength ?? 0,
    truncated: response?.truncated ?? false,
    timing: result.timing,
    connection: connection
      ? {
          id: connection.id,
          reused: connection.reused,
          requestsOnConnection: connection.requestsOnConnection,
        }
      : null,
    cookies: masked
      ? {
          stored: stored.map((c) => (c.value === '' ? c : { ...c, value: MASK })),
          rejected: rejected.map((r) => ({ ...r, cookie: maskHeaderValue('set-cookie', r.cookie) })),
        }
      : { stored, rejected },
    redirects: result.redirects,
    error: error ? { code: error.code, message: error.message } : null,
    request: sent
      ? {
          method: sent.method,
          url: sent.url,
          headers: masked ? maskHeaderList(sent.headers) : sent.headers,
          body:
            typeof sent.body === 'string' || sent.body === null
              ? sent.body
              : new TextDecoder().decode(sent.body),
        }
      : null,
  };
}
