// A whole send: defaults, the jar's cookies, hops and redirects, cookies
// stored on every hop, the total timeout and cancellation. Returns a result
// for every outcome; network problems never reject.
import { type CookieJar, MemoryCookieStore } from 'tough-cookie';
import type { Dispatcher } from 'undici';
import { type ResolvedConfig, resolveAddress } from './config';
import type { ConnectionTracker } from './connections';
import {
  cookieHeaderFor,
  cookieHeaderNow,
  MAX_COOKIES_PER_DOMAIN,
  mergeCookieHeader,
  storeRepeatedCookies,
  storeResponseCookies,
} from './cookies';
import { charsetOf, decodeText, supportedEncodings } from './decode';
import { sessionError, stopError } from './errors';
import { exchange, type HopResult, Stop } from './exchange';
import { addDefaults, firstHeader, type Header, hasHeader, headerValues } from './headers';
import type { DispatchProbe } from './probe';
import { effectivePort, type HopPlan, isRedirectStatus, nextHop } from './redirects';
import { emptyTiming } from './timing';
import type {
  CookieOutcome,
  HeaderList,
  Hop,
  OutgoingRequest,
  ReceivedResponse,
  RedirectStep,
  RejectedCookie,
  SendOptions,
  SendResult,
  SentRequest,
  SessionError,
  StoredCookie,
} from './types';

/** What a send needs from its session. */
export interface SendContext {
  readonly config: ResolvedConfig;
  /** The session's jar right now. */
  jar(): CookieJar;
  readonly tracker: ConnectionTracker;
  readonly probe: DispatchProbe;
  /** Sends in flight: the session stops each when it closes its connections. */
  readonly inFlight: Set<Stop>;
  dispatcher(insecure: boolean, connectTimeoutMs: number): Dispatcher;
  cookiesStored(url: URL, outcome: CookieOutcome): void;
}

// undici writes these itself (or refuses them); a written one would make the request fail.
const MANAGED_HEADERS = ['transfer-encoding', 'keep-alive', 'upgrade', 'expect', 'connection'];
const PAYLOAD_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const DROPPED_HEADERS = new Set([...MANAGED_HEADERS, 'content-length']);
const MANAGED_NAMES = new Set(MANAGED_HEADERS);
const USER_AGENT: Header = ['User-Agent', 'http-session'];
const ACCEPT_ENCODING: Header = ['Accept-Encoding', supportedEncodings().join(', ')];
const ENGINE_HEADERS: HeaderList = [USER_AGENT, ACCEPT_ENCODING];
const ENGINE_HEADERS_PLAIN: HeaderList = [USER_AGENT];
const NO_BODY = Buffer.alloc(0);

export async function sendRequest(
  ctx: SendContext,
  request: OutgoingRequest,
  options: SendOptions = {},
): Promise<SendResult> {
  const startedAt = performance.now();
  const warnings: string[] = [];
  const stored: StoredCookie[] = [];
  const rejected: RejectedCookie[] = [];
  const hops: Hop[] = [];
  const redirects: RedirectStep[] = [];
  let lastSent: SentRequest | null = null;

  const finish = (error: SessionError | null, last: HopResult | null): SendResult => ({
    method: request.method,
    url: request.url,
    sent: lastSent,
    response: last && last.status !== null ? toResponse(last, warnings) : null,
    timing: last?.timing ?? emptyTiming(),
    connection: last?.connection ?? null,
    cookies: { stored, rejected },
    redirects,
    hops,
    elapsedMs: Math.round((performance.now() - startedAt) * 100) / 100,
    error,
    warnings,
  });

  const url = parseUrl(request.url);
  if (!url.ok) {
    return finish(url.error, null);
  }

  // The jar as the send started: replacing the session's jar does not move a send under way.
  const jar = ctx.jar();
  const stop = new Stop();
  const timeoutMs = options.timeoutMs ?? ctx.config.timeoutMs;
  const onCancel = () => stop.stop({ kind: 'cancelled' });
  const timer = timeoutMs > 0 ? setTimeout(() => stop.stop({ kind: 'timeout', timeoutMs }), timeoutMs) : null;
  if (options.signal?.aborted) onCancel();
  options.signal?.addEventListener('abort', onCancel, { once: true });
  ctx.inFlight.add(stop);

  try {
    const connectTimeoutMs = options.connectTimeoutMs ?? ctx.config.connectTimeoutMs;
    const dispatcher = ctx.dispatcher(options.insecure === true, connectTimeoutMs);
    const maxRedirects = options.maxRedirects ?? ctx.config.maxRedirects;
    const maxBodyBytes = options.maxBodyBytes ?? ctx.config.maxBodyBytes;
    // What went out on each hop so far, to tell a redirect loop; filled as redirects are followed.
    const seen = new Set<string>();
    let plan: HopPlan = {
      method: request.method,
      url: url.value,
      headers: initialHeaders(request, options, ctx.config, warnings),
      body: request.body,
    };

    for (;;) {
      const body = toBytes(plan.body);
      let headers: readonly Header[] = plan.headers;
      if (!options.noCookieJar) {
        const jarCookies = isEmptyJar(jar)
          ? ''
          : (cookieHeaderNow(jar, plan.url) ?? (await cookieHeaderFor(jar, plan.url)));
        headers = mergeCookieHeader(headers, jarCookies);
      }
      const sent = withWireHeaders(headers, plan, body);
      lastSent = { method: plan.method, url: plan.url.href, headers: sent, body: plan.body };

      // The same request with the same cookies again means nothing changed: a loop. A login bounce
      // (A → B sets a cookie → A) is not one, because A then goes out with the new cookie.
      const key = redirects.length > 0 ? loopKey(lastSent) : null;
      if (key !== null && seen.has(key)) {
        return finish(
          sessionError(
            'REDIRECT_LOOP',
            `Redirect loop: ${plan.method} ${plan.url.href} was reached again with the same cookies after ${redirects.length} redirect${redirects.length === 1 ? '' : 's'} — check the Location chain and the login cookies`,
          ),
          null,
        );
      }

      const current = plan;
      // Decided at the headers so a redirect that will be followed is drained instead of decoded.
      const follow = (status: number, responseHeaders: readonly Header[]) => {
        if (options.noRedirect || !isRedirectStatus(status)) return null;
        const location = firstHeader(responseHeaders, 'location');
        return location !== null ? nextHop(current, status, location) : null;
      };
      const hop = await exchange(
        { method: plan.method, url: plan.url, headers: sent, body },
        {
          dispatcher,
          probe: ctx.probe,
          tracker: ctx.tracker,
          maxBodyBytes,
          maxHeaderBytes: ctx.config.maxHeaderBytes,
          mappedTo:
            ctx.config.resolve.length === 0
              ? null
              : resolveAddress(ctx.config.resolve, plan.url.hostname, effectivePort(plan.url)),
          keepBody: (status, responseHeaders) => follow(status, responseHeaders)?.ok !== true,
          stop,
          onSent: hops.length === 0 ? options.onSent : undefined,
        },
      );
      if (hop.warnings.length > 0) warnings.push(...hop.warnings);
      hops.push({ sent: lastSent, status: hop.status, timing: hop.timing, connection: hop.connection });

      // Cookies count even when the hop then failed: a login that set one before a reset still did.
      const setCookies =
        !options.noCookieJar && hop.status !== null ? headerValues(hop.headers, 'set-cookie') : [];
      if (setCookies.length > 0) {
        const outcome =
          storeRepeatedCookies(jar, plan.url, setCookies) ??
          (await storeResponseCookies(jar, plan.url, setCookies));
        stored.push(...outcome.stored);
        rejected.push(...outcome.rejected);
        if (outcome.evicted > 0) {
          warnings.push(
            `${outcome.evicted} cookies were dropped from the jar: at most ${MAX_COOKIES_PER_DOMAIN} per domain are kept, the least recently used go first`,
          );
        }
        if (outcome.stored.length > 0) ctx.cookiesStored(plan.url, outcome);
      }
      if (hop.error || hop.status === null) {
        return finish(hop.error ?? sessionError('NETWORK', `No response from ${plan.url.host}`), hop);
      }

      const next = follow(hop.status, hop.headers);
      if (next && !next.ok) {
        warnings.push(`${next.reason}; showing the ${hop.status} response`);
      }
      if (!next?.ok) {
        return finish(null, hop);
      }
      if (redirects.length >= maxRedirects) {
        return finish(
          sessionError(
            'TOO_MANY_REDIRECTS',
            `Stopped after ${redirects.length} redirects (the limit) at ${plan.url.href} — the server keeps redirecting; check the Location chain or raise the limit`,
          ),
          hop,
        );
      }
      seen.add(key ?? loopKey(lastSent));
      redirects.push({ status: hop.status, url: next.hop.url.href });
      plan = next.hop;
      if (stop.reason) {
        const ctxError = stopError(stop.reason, {
          host: plan.url.hostname,
          port: effectivePort(plan.url),
          mappedTo: null,
          stage: 'connecting',
          bodyBytes: 0,
        });
        return finish(ctxError, hop);
      }
    }
  } catch (err) {
    // A bug must still come back as a result, not as a rejected promise with a stack.
    const message = err instanceof Error ? err.message : String(err);
    return finish(
      sessionError('NETWORK', `Unexpected error while sending to ${url.value.host}: ${message}`),
      null,
    );
  } finally {
    if (timer) clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCancel);
    ctx.inFlight.delete(stop);
  }
}

/** True when the jar surely holds no cookie (then asking it for a request's cookies is wasted work). */
function isEmptyJar(jar: CookieJar): boolean {
  const { store } = jar;
  if (!(store instanceof MemoryCookieStore)) return false;
  for (const _domain in store.idx) return false;
  return true;
}

function loopKey(sent: SentRequest): string {
  return `${sent.method} ${sent.url} ${headerValues(sent.headers, 'cookie').join('; ')}`;
}

type Parsed = { ok: true; value: URL } | { ok: false; error: SessionError };

function parseUrl(text: string): Parsed {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return {
      ok: false,
      error: sessionError(
        'INVALID_URL',
        `Invalid URL "${text}" — write an absolute URL starting with http:// or https://`,
      ),
    };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      ok: false,
      error: sessionError(
        'INVALID_URL',
        `Unsupported URL scheme "${url.protocol}" in "${text}" — use http:// or https://`,
      ),
    };
  }
  return { ok: true, value: url };
}

/**
 * Written headers, then the per-send defaults, the session's defaults and the engine's own, each
 * added when no earlier list set its name (as `applyDefaults`, in one pass: this runs for every send).
 */
function initialHeaders(
  request: OutgoingRequest,
  options: SendOptions,
  config: ResolvedConfig,
  warnings: string[],
): Header[] {
  const result: Header[] = [];
  const taken = new Set<string>();
  const managed: string[] = [];
  const written = request.headers;
  for (let i = 0; i < written.length; i++) {
    const header = written[i]!;
    const name = header[0].toLowerCase();
    if (MANAGED_NAMES.has(name)) managed.push(name);
    // Content-Length is always recomputed from the body: a stale written one would break the request.
    if (DROPPED_HEADERS.has(name)) continue;
    result.push(header);
    taken.add(name);
  }
  if (managed.length > 0) {
    for (const name of MANAGED_HEADERS) {
      if (managed.includes(name)) {
        warnings.push(`the ${name} header is managed by the connection and was not sent as written`);
      }
    }
  }
  addDefaults(result, taken, options.defaultHeaders ?? []);
  addDefaults(result, taken, config.defaultHeaders);
  addDefaults(result, taken, config.acceptEncoding ? ENGINE_HEADERS : ENGINE_HEADERS_PLAIN);
  return result;
}

/** Host first (unless written) and the real Content-Length, so "as sent" shows what went on the wire. */
function withWireHeaders(headers: readonly Header[], plan: HopPlan, body: Uint8Array | null): Header[] {
  const result: Header[] = hasHeader(headers, 'host')
    ? headers.slice()
    : ([['Host', plan.url.host]] as Header[]).concat(headers);
  const length = body === null ? 0 : body.byteLength;
  if (length > 0 || PAYLOAD_METHODS.has(plan.method.toUpperCase())) {
    result.push(['Content-Length', String(length)]);
  }
  return result;
}

function toBytes(body: string | Uint8Array | null): Uint8Array | null {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

function toResponse(hop: HopResult, warnings: string[]): ReceivedResponse {
  const contentType = firstHeader(hop.headers, 'content-type');
  const body = hop.body;
  // A body that was not kept (a redirect drained at the limit) still reports the charset it named.
  const decoded = body
    ? { text: body.text, charset: body.charset, warning: body.charsetWarning }
    : decodeText(NO_BODY, charsetOf(contentType));
  if (decoded.warning) warnings.push(decoded.warning);
  return {
    status: hop.status!,
    statusText: hop.statusText,
    httpVersion: '1.1',
    headers: hop.headers,
    body: body?.bytes ?? Buffer.alloc(0),
    text: decoded.text,
    contentType,
    charset: decoded.charset,
    encodedBytes: hop.encodedBytes,
    truncated: body?.truncated ?? false,
  };
}
