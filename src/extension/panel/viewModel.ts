// SendResult → ResponseView: everything the response panel shows, as plain
// serialisable data with labels already worded and secrets already hidden.
// Bounded work whatever the response size: the body contributes one page.
import type { HeaderList, SendResult, SentRequest } from '../../core/session/types';
import { type BodyView, bodyView, HEX_DUMP_BYTES } from './body';
import { baseName, formatBytes, formatMs } from './format';
import { hexDump } from './hexdump';
import { Masker } from './mask';
import { connectionLabel, type TimingView, timingView } from './waterfall';

export interface ResponseViewInput {
  readonly result: SendResult;
  readonly requestName?: string | null;
  readonly sessionName: string;
  /** The `.http` file (a path or URI string) and the request's 0-based line, as the parser reports it. */
  readonly source?: { readonly file: string; readonly line: number } | null;
  /** Resolved values of secret variables: hidden wherever they appear, unless secrets are shown. */
  readonly secrets?: readonly string[];
}

export interface ViewOptions {
  readonly showSecrets?: boolean;
  /** Clock for "this cookie was deleted"; defaults to now. */
  readonly now?: number;
  /** Page size for large bodies (default: body.ts's PAGE_CHARS / JSON_PAGE_CHARS); tests use small pages. */
  readonly pageChars?: number;
}

export type StatusTone = 'info' | 'success' | 'redirect' | 'client-error' | 'server-error';

export interface StatusView {
  readonly code: number;
  readonly text: string;
  readonly httpVersion: string;
  readonly tone: StatusTone;
  readonly elapsedMs: number;
  readonly timeLabel: string;
  readonly bodyBytes: number;
  readonly wireBytes: number;
  readonly sizeLabel: string;
}

export interface HeaderView {
  readonly name: string;
  readonly value: string;
}

export interface ConnectionView {
  readonly id: number;
  readonly reused: boolean;
  readonly requestsOnConnection: number;
  readonly remoteAddress: string | null;
  readonly label: string;
}

export interface HopView {
  readonly method: string;
  readonly url: string;
  readonly status: number | null;
  readonly connectionLabel: string;
  readonly timing: TimingView;
}

export type RequestBodyView =
  | { readonly kind: 'empty' }
  | { readonly kind: 'text'; readonly text: string; readonly bytes: number; readonly clipped: boolean }
  | { readonly kind: 'binary'; readonly hex: string; readonly bytes: number };

export interface RequestView {
  readonly method: string;
  readonly url: string;
  readonly headers: readonly HeaderView[];
  readonly body: RequestBodyView;
}

export interface CookieView {
  readonly name: string;
  readonly value: string;
  readonly domain: string | null;
  readonly path: string | null;
  readonly expires: string;
  /** An expiry in the past: the server deleted the cookie. */
  readonly deleted: boolean;
  readonly flags: readonly string[];
}

export interface ResponseView {
  readonly title: string;
  readonly requestName: string | null;
  readonly sessionName: string;
  /** `file.http:12` (1-based for people) and the 0-based line for "go to request". */
  readonly source: { readonly label: string; readonly line: number } | null;
  readonly method: string;
  readonly url: string;
  /** null when no response arrived. */
  readonly status: StatusView | null;
  readonly connection: ConnectionView | null;
  readonly connectionLabel: string;
  /** The final hop. */
  readonly timing: TimingView;
  /** Every exchange, redirects first; never empty. */
  readonly hops: readonly HopView[];
  readonly redirects: readonly { readonly status: number; readonly url: string }[];
  readonly responseHeaders: readonly HeaderView[];
  readonly request: RequestView | null;
  readonly body: BodyView;
  readonly cookies: {
    readonly stored: readonly CookieView[];
    readonly rejected: readonly { readonly cookie: string; readonly reason: string }[];
  };
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly warnings: readonly string[];
  /** `masked`: something is hidden now; `shown`: the user asked to see secrets. */
  readonly secrets: { readonly shown: boolean; readonly masked: boolean };
}

const REQUEST_BODY_CHARS = 64 * 1024;

export function buildResponseView(input: ResponseViewInput, options: ViewOptions = {}): ResponseView {
  const { result } = input;
  const showSecrets = options.showSecrets === true;
  const mask = new Masker(input.secrets ?? [], !showSecrets);
  const now = options.now ?? Date.now();
  const response = result.response;

  const status: StatusView | null = response
    ? {
        code: response.status,
        text: mask.text(response.statusText),
        httpVersion: /^HTTP\//i.test(response.httpVersion)
          ? response.httpVersion
          : `HTTP/${response.httpVersion}`,
        tone: toneOf(response.status),
        elapsedMs: result.elapsedMs,
        timeLabel: formatMs(result.elapsedMs),
        bodyBytes: response.body.byteLength,
        wireBytes: response.encodedBytes,
        sizeLabel: sizeLabel(response.body.byteLength, response.encodedBytes, response.truncated),
      }
    : null;

  const finalUrl = result.sent?.url ?? result.url;
  const hops: HopView[] = result.hops.map((hop) => ({
    method: hop.sent.method,
    url: mask.url(hop.sent.url),
    status: hop.status,
    connectionLabel: connectionLabel(hop.connection),
    timing: timingView(hop.timing, { url: hop.sent.url, connection: hop.connection }),
  }));
  const timing = timingView(result.timing, { url: finalUrl, connection: result.connection });
  if (hops.length === 0) {
    hops.push({
      method: result.sent?.method ?? result.method,
      url: mask.url(finalUrl),
      status: response?.status ?? null,
      connectionLabel: connectionLabel(result.connection),
      timing,
    });
  }

  const error = result.error
    ? { code: result.error.code, message: mask.text(firstLine(result.error.message)) }
    : null;

  const requestName = input.requestName ? mask.text(input.requestName) : null;
  const url = mask.url(result.url);
  return {
    title: requestName ?? `${result.method} ${pathOf(url)}`,
    requestName,
    sessionName: input.sessionName,
    source: input.source
      ? { label: `${baseName(input.source.file)}:${input.source.line + 1}`, line: input.source.line }
      : null,
    method: result.method,
    url,
    status,
    connection: result.connection
      ? {
          id: result.connection.id,
          reused: result.connection.reused,
          requestsOnConnection: result.connection.requestsOnConnection,
          remoteAddress: result.connection.remoteAddress,
          label: connectionLabel(result.connection),
        }
      : null,
    connectionLabel: connectionLabel(result.connection),
    timing,
    hops,
    redirects: result.redirects.map((r) => ({ status: r.status, url: mask.url(r.url) })),
    responseHeaders: response ? headerViews(response.headers, mask) : [],
    request: result.sent ? requestView(result.sent, mask) : null,
    body: bodyView(response, options.pageChars),
    cookies: {
      stored: result.cookies.stored.map((c) => ({
        name: c.name,
        value: mask.cookieValue(c.value),
        domain: c.domain,
        path: c.path,
        expires: c.expires ?? 'session',
        deleted: c.expires !== null && Date.parse(c.expires) < now,
        flags: [
          ...(c.secure ? ['Secure'] : []),
          ...(c.httpOnly ? ['HttpOnly'] : []),
          ...(c.sameSite ? [`SameSite=${c.sameSite[0]!.toUpperCase()}${c.sameSite.slice(1)}`] : []),
          ...(c.hostOnly ? ['host-only'] : []),
        ],
      })),
      rejected: result.cookies.rejected.map((r) => ({ cookie: mask.setCookie(r.cookie), reason: r.reason })),
    },
    error,
    warnings: result.warnings.map((w) => mask.text(firstLine(w))),
    // Read last: every field above had its chance to hide something.
    secrets: { shown: showSecrets, masked: mask.masked },
  };
}

function toneOf(code: number): StatusTone {
  if (code >= 500) return 'server-error';
  if (code >= 400) return 'client-error';
  if (code >= 300) return 'redirect';
  if (code >= 200) return 'success';
  return 'info';
}

function sizeLabel(bodyBytes: number, wireBytes: number, truncated: boolean): string {
  let label = formatBytes(bodyBytes);
  if (wireBytes !== bodyBytes) label += ` (${formatBytes(wireBytes)} on the wire)`;
  return truncated ? `${label}, cut off` : label;
}

/** `https://host/a/b?q` → `/a/b?q`: the request line under the title shows the full URL. */
function pathOf(url: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^#]*)/i.exec(url);
  return m ? m[1] || '/' : url;
}

function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0]!.trim();
}

function headerViews(headers: HeaderList, mask: Masker): HeaderView[] {
  return headers.map(([name, value]) => ({ name, value: mask.header(name, value) }));
}

function requestView(sent: SentRequest, mask: Masker): RequestView {
  return {
    method: sent.method,
    url: mask.url(sent.url),
    headers: headerViews(sent.headers, mask),
    body: requestBodyView(sent.body, mask),
  };
}

function requestBodyView(body: SentRequest['body'], mask: Masker): RequestBodyView {
  if (body === null || body.length === 0) {
    return { kind: 'empty' };
  }
  if (typeof body === 'string') {
    return { kind: 'text', ...clippedText(body, mask), bytes: Buffer.byteLength(body) };
  }
  const head = body.subarray(0, REQUEST_BODY_CHARS + mask.longest);
  if (!head.includes(0)) {
    try {
      // `stream` tolerates a character cut at the end of the shown part.
      const text = new TextDecoder('utf-8', { fatal: true }).decode(head, {
        stream: body.length > head.length,
      });
      const shown = clippedText(text, mask);
      return {
        kind: 'text',
        text: shown.text,
        clipped: shown.clipped || body.length > head.length,
        bytes: body.length,
      };
    } catch {
      // Not UTF-8: shown as bytes.
    }
  }
  return { kind: 'binary', hex: hexDump(body, HEX_DUMP_BYTES), bytes: body.length };
}

/** The first REQUEST_BODY_CHARS, masked before clipping so no part of a secret at the cut shows. */
function clippedText(text: string, mask: Masker): { text: string; clipped: boolean } {
  if (text.length <= REQUEST_BODY_CHARS) {
    return { text: mask.text(text), clipped: false };
  }
  return {
    text: mask.text(text.slice(0, REQUEST_BODY_CHARS + mask.longest)).slice(0, REQUEST_BODY_CHARS),
    clipped: true,
  };
}

/** The panel's tab title: status and request, e.g. `200 · login`. */
export function panelTitle(view: ResponseView): string {
  const outcome = view.status ? String(view.status.code) : (view.error?.code ?? 'No response');
  return `${outcome} · ${view.requestName ?? view.method}`;
}
