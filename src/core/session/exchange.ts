// One hop: a single request/response over undici, with the connection it
// used, its timing marks and its decoded body. Never rejects: every failure
// comes back as a SessionError next to whatever had arrived.
import type { Dispatcher } from 'undici';
import type { ConnectionState, ConnectionTracker } from './connections';
import { firstErrorOf } from './connector';
import {
  type BodyDecoder,
  createBodyDecoder,
  type DecodedBody,
  isSupportedEncoding,
  parseContentEncoding,
} from './decode';
import { classifyError, type ErrorContext, type StopReason, stopError } from './errors';
import { type Header, headerValues, pairsFromRaw } from './headers';
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
  /** Aborted with a StopReason by the total timeout, the caller's signal or the session closing. */
  readonly stop: AbortSignal;
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

export function exchange(hop: HopRequest, settings: HopSettings): Promise<HopResult> {
  return new Promise((resolve) => {
    const start = performance.now();
    const done: Partial<Record<Phase, number>> = {};
    const warnings: string[] = [];
    let conn: ConnectionState | null = null;
    let connection: ConnectionUse | null = null;
    let controller: Dispatcher.DispatchController | null = null;
    let status: number | null = null;
    let statusText = '';
    let headers: Header[] = [];
    let decoder: BodyDecoder | null = null;
    let encodedBytes = 0;
    let settled = false;

    const context = (): ErrorContext => ({
      host: hop.url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: effectivePort(hop.url),
      mappedTo: settings.mappedTo,
      stage: status !== null ? 'body' : conn ? 'waiting' : 'connecting',
      bodyBytes: encodedBytes,
      maxHeaderBytes: settings.maxHeaderBytes,
    });

    const markConnectPhases = (state: ConnectionState) => {
      if (state.lookupDoneAt !== null) done.dns = state.lookupDoneAt;
      if (state.connectDoneAt !== null) done.connect = state.connectDoneAt;
      if (state.tlsDoneAt !== null) done.tls = state.tlsDoneAt;
    };

    // The phase that was under way when the hop stopped early.
    const runningPhase = (attempt: ConnectionState | undefined): Phase => {
      if (status !== null) return 'download';
      if (conn) return done.sent !== undefined ? 'firstByte' : 'sent';
      if (attempt?.needsLookup && attempt.lookupDoneAt === null) return 'dns';
      if (attempt?.connectDoneAt !== null && attempt?.secure && attempt.tlsDoneAt === null) return 'tls';
      // Also when no attempt is known: the hop was still waiting for a connection.
      return 'connect';
    };

    const finish = (error: SessionError | null, body: DecodedBody | null, running: Phase | null) => {
      if (settled) return;
      settled = true;
      settings.stop.removeEventListener('abort', onStop);
      const end = performance.now();
      if (!error) done.download = end;
      if (conn) settings.tracker.requestFinished(conn);
      const result: HopResult = {
        status,
        statusText,
        headers,
        body,
        encodedBytes,
        timing: computeTiming({ start, end, done, running }),
        connection,
        error,
        warnings,
      };
      // undici hands a keep-alive connection back to its pool in a setImmediate queued just after
      // the response ended; a redirect or the caller's next request dispatched before that would
      // open a second connection. Two turns of the check phase are sure to come after it.
      setImmediate(() => setImmediate(() => resolve(result)));
    };

    const fail = (err: unknown) => {
      if (settled) return;
      const attempt = conn ? undefined : settings.tracker.ofError(err);
      if (attempt) markConnectPhases(attempt);
      const body = decoder?.abort() ?? null;
      // undici's generic "other side closed" hides what closed it (e.g. a TLS alert): prefer the socket's own error.
      const earlier =
        conn && (err as { code?: unknown })?.code === 'UND_ERR_SOCKET'
          ? firstErrorOf(conn.socket)
          : undefined;
      finish(classifyError(earlier ?? err, context()), body, runningPhase(attempt));
    };

    function onStop() {
      if (settled) return;
      const body = decoder?.abort() ?? null;
      finish(stopError(settings.stop.reason as StopReason, context()), body, runningPhase(undefined));
      // After finishing: undici reports the abort back through onResponseError, which must find the hop settled.
      controller?.abort(new HopAborted('stopped'));
    }

    const probe: HopProbe = {
      onSocket(socket) {
        const state = settings.tracker.ofSocket(socket);
        if (!state || settled) return;
        conn = state;
        settings.tracker.requestStarted(state);
        const reused = state.requests > 1;
        connection = {
          id: state.id,
          reused,
          requestsOnConnection: state.requests,
          remoteAddress: state.remoteAddress,
        };
        if (!reused) markConnectPhases(state);
      },
      onSent(at) {
        done.sent = at;
      },
    };

    const startBody = (ctrl: Dispatcher.DispatchController) => {
      let codings = parseContentEncoding(headerValues(headers, 'content-encoding').join(','));
      const unsupported = codings.find((coding) => !isSupportedEncoding(coding));
      if (unsupported) {
        warnings.push(`Content-Encoding "${unsupported}" is not supported; the body is shown as received`);
        codings = [];
      }
      const current = createBodyDecoder(codings, settings.maxBodyBytes);
      decoder = current;
      // Settles when the body is complete, cut at the cap, or undecodable: the latter two end the hop early.
      void current.done.then((body) => {
        if (settled) return;
        if (body.error) {
          finish(classifyError(body.error, context()), body, 'download');
        } else {
          finish(null, body, null);
        }
        // The rest of an undecodable or over-long body is not worth the bytes.
        if (body.error || body.truncated) ctrl.abort(new HopAborted('body not wanted'));
      });
    };

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(ctrl) {
        controller = ctrl;
        if (settled) ctrl.abort(new HopAborted('stopped'));
      },
      // Called when the first byte of the response is parsed, before the headers are complete.
      onResponseStarted() {
        done.firstByte ??= performance.now();
      },
      onResponseStart(ctrl, statusCode, _parsed, statusMessage) {
        // 1xx interim responses are not the answer.
        if (settled || statusCode < 200) return;
        done.firstByte ??= performance.now();
        status = statusCode;
        statusText = statusMessage ?? '';
        headers = pairsFromRaw(ctrl.rawHeaders as Buffer[] | null);
        if (settings.keepBody(statusCode, headers)) startBody(ctrl);
      },
      onResponseData(ctrl, chunk) {
        if (settled) return;
        encodedBytes += chunk.length;
        if (decoder && !decoder.write(chunk)) {
          ctrl.pause();
          decoder.onDrain(() => ctrl.resume());
        }
      },
      onResponseEnd() {
        if (settled) return;
        if (decoder) decoder.end();
        else finish(null, null, null);
      },
      onResponseError(_ctrl, err) {
        fail(err);
      },
    };

    if (settings.stop.aborted) {
      onStop();
      return;
    }
    settings.stop.addEventListener('abort', onStop, { once: true });
    const body = hop.body ? Buffer.from(hop.body.buffer, hop.body.byteOffset, hop.body.byteLength) : null;
    try {
      settings.probe.track(probe, () =>
        settings.dispatcher.dispatch(
          {
            origin: hop.url.origin,
            path: hop.url.pathname + hop.url.search,
            method: hop.method,
            headers: hop.headers.flat(),
            body,
            // The engine runs its own total timeout; undici's would fire independently.
            headersTimeout: 0,
            bodyTimeout: 0,
          },
          handler,
        ),
      );
    } catch (err) {
      // undici reports most problems through the handler; this is for the rest (e.g. a closed pool).
      fail(err);
    }
  });
}
