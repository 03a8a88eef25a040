// How a followed redirect rewrites the request (fetch / browser rules), as
// pure functions so each rule can be pinned by a table.
import { type Header, withoutHeaders } from './headers';

export interface HopPlan {
  readonly method: string;
  readonly url: URL;
  /** Written headers plus defaults; the jar's cookies are added per hop. */
  readonly headers: readonly Header[];
  readonly body: string | Uint8Array | null;
}

const FOLLOWED = new Set([301, 302, 303, 307, 308]);

// Credentials the user wrote for one origin must not leak to another.
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization', 'host'];

// Headers that describe a body; they go when the body goes.
const BODY_HEADERS = [
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'content-location',
  'transfer-encoding',
];

export function isRedirectStatus(status: number): boolean {
  return FOLLOWED.has(status);
}

export function sameOrigin(a: URL, b: URL): boolean {
  return a.protocol === b.protocol && a.hostname === b.hostname && effectivePort(a) === effectivePort(b);
}

export function effectivePort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/** 303 always, and 301/302 after POST, turn into a GET without a body; 307/308 keep both. */
export function redirectMethod(status: number, method: string): string {
  const upper = method.toUpperCase();
  if (status === 303 && upper !== 'GET' && upper !== 'HEAD') {
    return 'GET';
  }
  if ((status === 301 || status === 302) && upper === 'POST') {
    return 'GET';
  }
  return method;
}

export type NextHop =
  | { readonly ok: true; readonly hop: HopPlan }
  | { readonly ok: false; readonly reason: string };

export function nextHop(previous: HopPlan, status: number, location: string): NextHop {
  let url: URL;
  try {
    url = new URL(location, previous.url);
  } catch {
    return { ok: false, reason: `redirect Location "${location}" is not a valid URL` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, reason: `redirect to ${url.protocol} URL not followed` };
  }
  const method = redirectMethod(status, previous.method);
  let headers: readonly Header[] = previous.headers;
  let body = previous.body;
  if (method !== previous.method) {
    headers = withoutHeaders(headers, BODY_HEADERS);
    body = null;
  }
  if (!sameOrigin(previous.url, url)) {
    headers = withoutHeaders(headers, CREDENTIAL_HEADERS);
  }
  return { ok: true, hop: { method, url, headers, body } };
}
