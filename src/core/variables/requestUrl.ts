// Turning the substituted request-line URL into an absolute http(s) URL.
//
// - `https://host/path` is used as written (after WHATWG URL parsing).
// - Origin-form `/path` takes its host from the `Host` header, with https
//   when the Host port is 443 and http otherwise (REST Client's rule).
// - Anything else without a scheme (`localhost:8080/api`) gets `http://`,
//   as both REST Client and JetBrains assume.
import { headerValue } from './chain';
import type { HeaderPairs } from './model';

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

export type UrlResult =
  | { readonly ok: true; readonly url: string }
  | { readonly ok: false; readonly reason: string };

export function absoluteUrl(url: string, headers: HeaderPairs): UrlResult {
  let full = url.trim();
  if (!SCHEME.test(full)) {
    if (full.startsWith('/')) {
      const host = headerValue(headers, 'host')?.trim();
      if (!host) return { ok: false, reason: `${full} has no host: write a full URL or add a Host header` };
      const port = /:(\d+)$/.exec(host)?.[1];
      full = `${port === '443' ? 'https' : 'http'}://${host}${full}`;
    } else {
      full = `http://${full}`;
    }
  }
  let parsed: URL;
  try {
    parsed = new URL(full);
  } catch {
    return { ok: false, reason: `${full} is not a valid URL` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, reason: `${full}: only http and https URLs can be sent` };
  }
  if (parsed.hostname === '') return { ok: false, reason: `${full} has no host` };
  return { ok: true, url: parsed.href };
}
