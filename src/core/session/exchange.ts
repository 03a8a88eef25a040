// One hop: a single request/response over undici, with the connection it
// used, its timing marks and its decoded body. Never rejects: every failure
// comes back as a SessionError next to whatever had arrived.
import type { Dispatcher } from 'undici';
import type { ConnectionState, ConnectionTracker } from './connections';
import { firstErrorOf } from './connector';
import {
  type BodyDecoder,
  charsetOf,
  createBodyDecoder,
  type DecodedBody,
  isSupportedEncoding,
  parseContentEncoding,
} from './decode';
import { classifyError, type ErrorContext, type StopReason, stopError } from './errors';
import { firstHeader, type Header, headerValues, pairsFromRaw } from './headers';
import type { DispatchProbe, HopProbe } from './probe';
import { effectivePort } from './redirects';
import { computeTiming, type Phase } from './timing';
import type { ConnectionUse, SessionError, Timing } from './types';

export interface HopRequest {
  readonly method: string;
  readonly url: URL;
  /** Exactly the headers to send (defaults, cookies, Host and Content-Length already in). */
  readonly headers: readonly Header[];
  readonly body: Uint8Array | null;
}

/**
 * What stops a send early: its total timeout, the caller's signal or the
 * session closing. A plain object rather than an AbortController: one is made
 * per send, and only the hop under way listens.
 */
export class Stop {
  reason: StopReason | null = null;
  private listener: (() => void) | null = null;

  get stopped(): boolean {
    return this.reason !== null;
  }

  stop(reason: StopReason): void {
    if (this.reason) return;
    this.reason = reason;
    const listener = this.listener;
    this.listener = null;
    listener?.();
  }

  /** Replaces the listener: there is one hop at a time. */
  listen(listener: (() => void) | null): void {
    this.listener = listener;
  }
}

export interface HopSettings {
  readonly dispatcher: Dispatcher;
  readonly probe: DispatchProbe;
  readonly tracker: ConnectionTracker;
  readonly maxBodyBytes: number;
  /** The response head limit the dispatcher enforces, for error messages. */
  readonly maxHeaderBytes?: number;
  /** Address from a resolve rule, for error messages. */
  readonly mappedTo: string | null;
  /** Asked once the headers are in: a redirect that will be followed is drained, not decoded. */
  readonly keepBody: (status: number, headers: readonly Header[]) => boolean;
  /** Stopped by the total timeout, the caller's signal or the session closing. */
  readonly stop: Stop;
  /** Queued as a microtask once the request is written (see SendOptions.onSent). */
  readonly onSent?: () => void;
}

export interface HopResult {
  readonly status: number | null;
  readonly statusText: string;
  readonly headers: readonly Header[];
  /** Null when the body was not kept (or no response arrived). */
  readonly body: DecodedBody | null;
  readonly encodedBytes: number;
  readonly timing: Timing;
  readonly connection: ConnectionUse | null;
  readonly error: SessionError | null;
  readonly warnings: readonly string[];
}

class HopAborted extends Error {}

/** A broken listener must not break the process or the send (as for the session's events). */
function callSafely(listener: () => void): void {
  try {
    listener();
  } catch {}
}

function queueResolve(resolve: (result: HopResult) => void, result: HopResult): void {
  setImmediate(resolve, result);
}

export function exchange(hop: HopRequest, settings: HopSettings): Promise<HopResult> {
  return new Promise((resolve) => new Exchange(hop, settings, resolve).dispatch());
}

/** One hop in flight: undici's handler and the probe's listener in one object. */
class Exchange implements Dispatcher.DispatchHandler, HopProbe {
  private readonly start = performance.now();
  private readonly done: Partial<Record<Phase, number>> = {};
  private readonly warnings: string[] = [];
  private conn: ConnectionState | null = null;
  private connection: ConnectionUse | null = null;
  private controller: Dispatcher.DispatchController | null = null;
  private status: number | null = null;
  private statusText = '';
  private headers: Header[] = [];
  private decoder: BodyDecoder | null = null;
  private encodedBytes = 0;
  private settled = false;

  constructor(
    private readonly hop: HopRequest,
    private readonly settings: HopSettings,
    private readonly resolve: (result: HopResult) => void,
  ) {}

  dispatch(): void {
    const { hop, settings } = this;
    if (settings.stop.stopped) {
      this.onStop();
      return;
    }
    settings.stop.listen(() => this.onStop());
    const body = hop.body ? Buffer.from(hop.body.buffer, hop.body.byteOffset, hop.body.byteLength) : null;
    const headers: string[] = [];
    for (let i = 0; i < hop.headers.length; i++) headers.push(hop.headers[i]![0], hop.headers[i]![1]);
    try {
      settings.probe.track(this, () =>
        settings.dispatcher.dispatch(
          {
            origin: hop.url.origin,
            path: hop.url.pathname + hop.url.search,
            method: hop.method,
            headers,
            body,
            // The engine runs its own total timeout; undici's would fire independently.
            headersTimeout: 0,
            bodyTimeout: 0,
          },
          this,
        ),
      );
    } catch (err) {
      // undici reports most problems through the handler; this is for the rest (e.g. a closed pool).
      this.fail(err);
    }
  }

  // --- HopProbe ---

  onSocket(socket: unknown): void {
    const state = this.settings.tracker.ofSocket(socket);
    if (!state || this.settled) return;
    this.conn = state;
    this.settings.tracker.requestStarted(state);
    const reused = state.requests > 1;
    this.connection = {
      id: state.id,
      reused,
      requestsOnConnection: state.requests,
      remoteAddress: state.remoteAddress,
    };
    if (!reused) this.markConnectPhases(state);
  }

  onSent(at: number): void {
    this.done.sent = at;
    // Not from inside undici's write path: the caller's work runs once it has returned.
    const listener = this.settings.onSent;
    if (listener && !this.settled) queueMicrotask(() => callSafely(listener));
  }

  // --- Dispatcher.DispatchHandler ---

  onRequestStart(ctrl: Dispatcher.DispatchController): void {
    this.controller = ctrl;
    if (this.settled) ctrl.abort(new HopAborted('stopped'));
  }

  // Called when the first byte of the response is parsed, before the headers are complete.
  onResponseStarted(): void {
    this.done.firstByte ??= performance.now();
  }

  onResponseStart(
    ctrl: Dispatcher.DispatchController,
    statusCode: number,
    _headers: unknown,
    statusMessage?: string,
  ): void {
    // 1xx interim responses are not the answer.
    if (this.settled || statusCode < 200) return;
    this.done.firstByte ??= performance.now();
    this.status = statusCode;
    this.statusText = statusMessage ?? '';
    this.headers = pairsFromRaw(ctrl.rawHeaders as Buffer[] | null);
    if (this.settings.keepBody(statusCode, this.headers)) this.startBody(ctrl);
  }

  onResponseData(ctrl: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    this.encodedBytes += chunk.length;
    const decoder = this.decoder;
    if (decoder && !decoder.write(chunk)) {
      ctrl.pause();
      decoder.onDrain(() => ctrl.resume());
    }
  }

  onResponseEnd(): void {
    if (this.settled) return;
    if (this.decoder) this.decoder.end();
    else this.finish(null, null, null);
  }

  onResponseError(_ctrl: Dispatcher.DispatchController, err: Error): void {
    this.fail(err);
  }

  // --- The hop's end ---

  private startBody(ctrl: Dispatcher.DispatchController): void {
    const { headers } = this;
    const encoding = headerValues(headers, 'content-encoding');
    let codings = encoding.length === 0 ? [] : parseContentEncoding(encoding.join(','));
    const unsupported = codings.find((coding) => !isSupportedEncoding(coding));
    if (unsupported) {
      this.warnings.push(`Content-Encoding "${unsupported}" is not supported; the body is shown as received`);
      codings = [];
    }
    const current = createBodyDecoder(codings, this.settings.maxBodyBytes, {
      charset: charsetOf(firstHeader(headers, 'content-type')),
      expectedBytes: this.expectedBytes(),
    });
    this.decoder = current;
    // Settles when the body is complete, cut at the cap, or undecodable: the latter two end the hop early.
    void current.done.then((body) => {
      if (this.settled) return;
      if (body.error) {
        this.finish(classifyError(body.error, this.context()), body, 'download');
      } else {
        this.finish(null, body, null);
      }
      // The rest of an undecodable or over-long body is not worth the bytes.
      if (body.error || body.truncated) ctrl.abort(new HopAborted('body not wanted'));
    });
  }

  /** The announced length of a body that will follow, if any. */
  private expectedBytes(): number | null {
    const status = this.status;
    if (this.hop.method.toUpperCase() === 'HEAD' || status === 204 || status === 304) return null;
    const length = firstHeader(this.headers, 'content-length');
    const bytes = length === null ? Number.NaN : Number(length);
    return Number.isSafeInteger(bytes) && bytes >= 0 ? bytes : null;
  }

  private context(): ErrorContext {
    const { hop, settings } = this;
    return {
      host: hop.url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: effectivePort(hop.url),
      mappedTo: settings.mappedTo,
      stage: this.status !== null ? 'body' : this.conn ? 'waiting' : 'connecting',
      bodyBytes: this.encodedBytes,
      maxHeaderBytes: settings.maxHeaderBytes,
    };
  }

  private markConnectPhases(state: ConnectionState): void {
    const { done } = this;
    if (state.lookupDoneAt !== null) done.dns = state.lookupDoneAt;
    if (state.connectDoneAt !== null) done.connect = state.connectDoneAt;
    if (state.tlsDoneAt !== null) done.tls = state.tlsDoneAt;
  }

  // The phase that was under way when the hop stopped early.
  private runningPhase(attempt: ConnectionState | undefined): Phase {
    if (this.status !== null) return 'download';
    if (this.conn) return this.done.sent !== undefined ? 'firstByte' : 'sent';
    if (attempt?.needsLookup && attempt.lookupDoneAt === null) return 'dns';
    if (attempt?.connectDoneAt !== null && attempt?.secure && attempt.tlsDoneAt === null) return 'tls';
    // Also when no attempt is known: the hop was still waiting for a connection.
    return 'connect';
  }

  private finish(error: SessionError | null, body: DecodedBody | null, running: Phase | null): void {
    if (this.settled) return;
    this.settled = true;
    this.settings.stop.listen(null);
    const end = performance.now();
    const { done } = this;
    if (!error) done.download = end;
    if (this.conn) this.settings.tracker.requestFinished(this.conn);
    const result: HopResult = {
      status: this.status,
      statusText: this.statusText,
      headers: this.headers,
      body,
      encodedBytes: this.encodedBytes,
      timing: computeTiming({ start: this.start, end, done, running }),
      connection: this.connection,
      error,
      warnings: this.warnings,
    };
    // undici hands a keep-alive connection back to its pool in a setImmediate it queues right
    // after our end-of-response handler returns (a decoded body finishes later, which is safe too); a redirect or the caller's next request dispatched before that
    // would open a second connection. An Immediate queued from the next tick comes after undici's
    // in the same check phase: no extra turn of the event loop per request (two nested Immediates
    // cost one, ~10 % of a keep-alive request to a local server).
    process.nextTick(queueResolve, this.resolve, result);
  }

  private fail(err: unknown): void {
    if (this.settled) return;
    const { conn } = this;
    const attempt = conn ? undefined : this.settings.tracker.ofError(err);
    if (attempt) this.markConnectPhases(attempt);
    const body = this.decoder?.abort() ?? null;
    // undici's generic "other side closed" hides what closed it (e.g. a TLS alert): prefer the socket's own error.
    const earlier =
      conn && (err as { code?: unknown })?.code === 'UND_ERR_SOCKET' ? firstErrorOf(conn.socket) : undefined;
    this.finish(classifyError(earlier ?? err, this.context()), body, this.runningPhase(attempt));
  }

  private onStop(): void {
    if (this.settled) return;
    const body = this.decoder?.abort() ?? null;
    const reason = this.settings.stop.reason!;
    this.finish(stopError(reason, this.context()), body, this.runningPhase(undefined));
    // After finishing: undici reports the abort back through onResponseError, which must find the hop settled.
    this.controller?.abort(new HopAborted('stopped'));
  }
}
