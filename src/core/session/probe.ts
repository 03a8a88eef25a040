// Ties undici's process-wide diagnostics_channel messages back to the hop
// that caused them. undici builds its Request object synchronously inside
// `dispatcher.dispatch()`, so the `undici:request:create` message published
// during our dispatch call is ours; from then on the Request object itself
// is the key, whatever other sessions or libraries are sending at the time.
import * as diagnosticsChannel from 'node:diagnostics_channel';

export interface HopProbe {
  /** The request's headers are being written on `socket`. */
  onSocket(socket: unknown): void;
  /** The request, body included, has been written. */
  onSent(at: number): void;
}

interface RequestMessage {
  readonly request: object;
  readonly socket?: unknown;
}

export class DispatchProbe {
  private capturing: HopProbe | null = null;
  private readonly byRequest = new WeakMap<object, HopProbe>();
  private readonly subscriptions: readonly (readonly [string, (message: unknown) => void])[];

  constructor() {
    this.subscriptions = [
      [
        'undici:request:create',
        (message) => {
          if (this.capturing) {
            this.byRequest.set((message as RequestMessage).request, this.capturing);
            this.capturing = null;
          }
        },
      ],
      [
        'undici:client:sendHeaders',
        (message) => {
          const { request, socket } = message as RequestMessage;
          this.byRequest.get(request)?.onSocket(socket);
        },
      ],
      [
        'undici:request:bodySent',
        (message) => {
          this.byRequest.get((message as RequestMessage).request)?.onSent(performance.now());
        },
      ],
    ];
    for (const [name, listener] of this.subscriptions) {
      diagnosticsChannel.subscribe(name, listener);
    }
  }

  /** Runs `dispatch` so that the undici request it creates reports to `probe`. */
  track<T>(probe: HopProbe, dispatch: () => T): T {
    this.capturing = probe;
    try {
      return dispatch();
    } finally {
      this.capturing = null;
    }
  }

  dispose(): void {
    for (const [name, listener] of this.subscriptions) {
      diagnosticsChannel.unsubscribe(name, listener);
    }
  }
}
