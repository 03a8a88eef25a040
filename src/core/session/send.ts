// A whole send: defaults, the jar's cookies, hops and redirects, cookies
// stored on every hop, the total timeout and cancellation. Returns a result
// for every outcome; network problems never reject.
import type { CookieJar } from 'tough-cookie';
import type { Dispatcher } from 'undici';
import { type ResolvedConfig, resolveAddress } from './config';
import type { ConnectionTracker } from './connections';
import { cookieHeaderFor, MAX_COOKIES_PER_DOMAIN, mergeCookieHeader, storeResponseCookies } from './cookies';
import { charsetOf, decodeText, supportedEncodings } from './decode';
import { sessionError, type StopReason, stopError } from './errors';
import { exchange, type HopResult } from './exchange';
import { applyDefaults, firstHeader, type Header, hasHeader, headerValues, withoutHeaders } from './headers';
import type { DispatchProbe } from './probe';
import { effectivePort, type HopPlan, isRedirectStatus, nextHop } from './redirects';
import { emptyTiming } from './timing';
import type {
  CookieOutcome,
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
  readonly jar: CookieJar;
  readonly tracker: ConnectionTracker;
  readonly probe: DispatchProbe;
  /** Fires when the session closes its connections: in-flight sends stop. */
  readonly shutdown: AbortSignal;
  dispatcher(insecure: boolean, connectTimeoutMs: number): Dispatcher;
  cookiesStored(url: URL, outcome: CookieOutcome): void;
}

// undici writes these itself (or refuses them); a written one would make the request fail.
const MANAGED_HEADERS = ['transfer-encoding', 'keep-alive', 'upgrade', 'expect', 'connection'];
const PAYLOAD_METHODS = new Set(['POST', 'PUT', 'PATCH']);

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

  const stop = new AbortController();
  const timeoutMs = options.timeoutMs ?? ctx.config.timeoutMs;
  const stopWith = (reason: StopReason) => () => stop.abort(reason);
  const onCancel = stopWith({ kind: 'cancelled' });
  const onShutdown = stopWith({ kind: 'closed' });
  const timer = timeoutMs > 0 ? setTimeout(stopWith({ kind: 'timeout', timeoutMs }), timeoutMs) : null;
  if (options.signal?.aborted) onCancel();
  if (ctx.shutdown.aborted) onShutdown();
  options.signal?.addEventListener('abort', onCancel, { once: true });
  ctx.shutdown.addEventListener('abort', onShutdown, { once: true });

  try {
    const connectTimeoutMs = options.connectTimeoutMs ?? ctx.config.connectTimeoutMs;
    const dispatcher = ctx.dispatcher(options.insecure === true, connectTimeoutMs);
    const maxRedirects = options.maxRedirects ?? ctx.config.maxRedirects;
    const seen = new Set<string>();
    let plan: HopPlan = {
      method: request.method,
      url: url.value,
      headers: initialHeaders(request, options, ctx.config, warnings),
      body: request.body,
    };

    for (;;) {
      let headers: Header[] = [...plan.headers];
      if (!options.noCookieJar) {
        headers = mergeCookieHeader(headers, await cookieHeaderFor(ctx.jar, plan.url));
      }
      headers = withWireHeaders(headers, plan);
      lastSent = { method: plan.method, url: plan.url.href, headers, body: plan.body };

      // The same request with the same cookies again means nothing changed: a loop. A login bounce
      // (A → B sets a cookie → A) is not one, because A then goes out with the new cookie.
      const key = `${plan.method} ${plan.url.href} ${headerValues(headers, 'cookie').join('; ')}`;
      if (seen.has(key)) {
        return finish(
          sessionError(
            'REDIRECT_LOOP',
            `Redirect loop: ${plan.method} ${plan.url.href} was reached again with the same cookies after ${redirects.length} redirect${redirects.length === 1 ? '' : 's'} — check the Location chain and the login cookies`,
          ),
          null,
        );
      }
      seen.add(key);

      const current = plan;
      // Decided at the headers so a redirect that will be followed is drained instead of decoded.
      const follow = (status: number, responseHeaders: readonly Header[]) => {
        const location = firstHeader(responseHeaders, 'location');
        return !options.noRedirect && isRedirectStatus(status) && location !== null
          ? nextHop(current, status, location)
          : null;
      };
      const hop = await exchange(
        { method: plan.method, url: plan.url, headers, body: toBytes(plan.body) },
        {
          dispatcher,
          probe: ctx.probe,
          tracker: ctx.tracker,
          maxBodyBytes: options.maxBodyBytes ?? ctx.config.maxBodyBytes,
          maxHeaderBytes: ctx.config.maxHeaderBytes,
          mappedTo: resolveAddress(ctx.config.resolve, plan.url.hostname, effectivePort(plan.url)),
          keepBody: (status, responseHeaders) => follow(status, responseHeaders)?.ok !== true,
          stop: stop.signal,
        },
      );
      warnings.push(...hop.warnings);
      hops.push({ sent: lastSent, status: hop.status, timing: hop.timing, connection: hop.connection });

      // Cookies count even when the hop then failed: a login that set one before a reset still did.
      if (!options.noCookieJar && hop.status !== null) {
        const outcome = await storeResponseCookies(
          ctx.jar,
          plan.url,
          headerValues(hop.headers, 'set-cookie'),
        );
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
      redirects.push({ status: hop.status, url: next.hop.url.href });
      plan = next.hop;
      if (stop.signal.aborted) {
        const ctxError = stopError(stop.signal.reason as StopReason, {
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
    ctx.shutdown.removeEventListener('abort', onShutdown);
  }
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

/** Written headers, then the per-send defaults, the session's defaults and the engine's own. */
function initialHeaders(
  request: OutgoingRequest,
  options: SendOptions,
  config: ResolvedConfig,
  warnings: string[],
): Header[] {
  for (const name of MANAGED_HEADERS) {
    if (hasHeader(request.headers, name)) {
      warnings.push(`the ${name} header is managed by the connection and was not sent as written`);
    }
  }
  // Content-Length is always recomputed from the body: a stale written one would break the request.
  const written = withoutHeaders(request.headers, [...MANAGED_HEADERS, 'content-length']);
  const engine: Header[] = [['User-Agent', 'http-session']];
  if (config.acceptEncoding) {
    engine.push(['Accept-Encoding', supportedEncodings().join(', ')]);
  }
  return applyDefaults(written, options.defaultHeaders ?? [], config.defaultHeaders, engine);
}

/** Host first (unless written) and the real Content-Length, so "as sent" shows what went on the wire. */
function withWireHeaders(headers: Header[], plan: HopPlan): Header[] {
  const result = hasHeader(headers, 'host') ? headers : [['Host', plan.url.host] as Header, ...headers];
  const length = plan.body === null ? 0 : toBytes(plan.body)!.byteLength;
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
  const bytes = hop.body?.bytes ?? Buffer.alloc(0);
  const decoded = decodeText(bytes, charsetOf(contentType));
  if (decoded.warning) warnings.push(decoded.warning);
  return {
    status: hop.status!,
    statusText: hop.statusText,
    httpVersion: '1.1',
    headers: hop.headers,
    body: bytes,
    text: decoded.text,
    contentType,
    charset: decoded.charset,
    encodedBytes: hop.encodedBytes,
    truncated: hop.body?.truncated ?? false,
  };
}
