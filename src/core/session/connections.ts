// What the session knows about its sockets: a small id per connection, how
// many requests each carried, whether it is busy, and when its DNS, TCP and
// TLS steps finished. Sockets come from our own connector, so a WeakMap from
// socket to state is all the bookkeeping needed.
import type { Socket } from 'node:net';

/** One connection attempt; becomes a live connection once it is ready. */
export interface ConnectionState {
  /** 0 until the connection is ready; then 1, 2, 3… per session. */
  id: number;
  readonly origin: string;
  readonly secure: boolean;
  readonly insecure: boolean;
  /** Whether a DNS lookup is needed (false for IP literals and resolve rules). */
  readonly needsLookup: boolean;
  readonly startedAt: number;
  lookupDoneAt: number | null;
  connectDoneAt: number | null;
  tlsDoneAt: number | null;
  remoteAddress: string | null;
  requests: number;
  busy: boolean;
  closed: boolean;
  readonly socket: Socket;
}

/** Read-only snapshot for the editor's connection tree. */
export interface ConnectionView {
  readonly id: number;
  readonly origin: string;
  readonly remoteAddress: string | null;
  readonly requests: number;
  readonly state: 'idle' | 'busy';
  /** Opened by a request with TLS verification off; never shared with verified requests. */
  readonly insecure: boolean;
}

export interface ConnectionEvents {
  connectionOpened: ConnectionView;
  connectionClosed: ConnectionView;
  /** A request started or finished on the connection. */
  connectionChanged: ConnectionView;
}

export type ConnectionNotify = (event: keyof ConnectionEvents, view: ConnectionView) => void;

export class ConnectionTracker {
  private nextId = 1;
  private readonly bySocket = new WeakMap<Socket, ConnectionState>();
  private readonly byError = new WeakMap<object, ConnectionState>();
  /** Every socket not yet closed, ready or still connecting. */
  private readonly open = new Set<ConnectionState>();
  private readonly closeWaiters = new Set<() => void>();

  constructor(private readonly notify: ConnectionNotify = () => {}) {}

  attempt(init: {
    origin: string;
    secure: boolean;
    insecure: boolean;
    needsLookup: boolean;
    startedAt: number;
    socket: Socket;
  }): ConnectionState {
    const state: ConnectionState = {
      ...init,
      id: 0,
      lookupDoneAt: null,
      connectDoneAt: null,
      tlsDoneAt: null,
      remoteAddress: null,
      requests: 0,
      busy: false,
      closed: false,
    };
    this.bySocket.set(init.socket, state);
    this.open.add(state);
    init.socket.once('close', () => this.closed(state));
    return state;
  }

  ready(state: ConnectionState): void {
    state.id = this.nextId++;
    const { remoteAddress, remotePort } = state.socket;
    state.remoteAddress = remoteAddress
      ? `${remoteAddress.includes(':') ? `[${remoteAddress}]` : remoteAddress}:${remotePort}`
      : null;
    this.notify('connectionOpened', view(state));
  }

  /** Remembers which attempt an error came from, so a failed hop can still report its timing. */
  failed(state: ConnectionState, err: unknown): void {
    if (err && typeof err === 'object') {
      this.byError.set(err, state);
    }
  }

  ofSocket(socket: unknown): ConnectionState | undefined {
    return socket && typeof socket === 'object' ? this.bySocket.get(socket as Socket) : undefined;
  }

  ofError(err: unknown): ConnectionState | undefined {
    return err && typeof err === 'object' ? this.byError.get(err) : undefined;
  }

  requestStarted(state: ConnectionState): void {
    state.requests += 1;
    state.busy = true;
    this.notify('connectionChanged', view(state));
  }

  requestFinished(state: ConnectionState): void {
    if (state.busy && !state.closed) {
      state.busy = false;
      this.notify('connectionChanged', view(state));
    }
  }

  list(): ConnectionView[] {
    return [...this.open].filter((s) => s.id > 0 && !s.closed).map(view);
  }

  /** Destroys every socket, connecting or ready, and resolves when all have closed. */
  async destroyAll(): Promise<void> {
    const waiting = new Promise<void>((resolve) => {
      if (this.open.size === 0) {
        resolve();
      } else {
        this.closeWaiters.add(resolve);
      }
    });
    for (const state of this.open) {
      state.socket.destroy();
    }
    await waiting;
  }

  private closed(state: ConnectionState): void {
    state.closed = true;
    state.busy = false;
    this.open.delete(state);
    if (state.id > 0) {
      this.notify('connectionClosed', view(state));
    }
    if (this.open.size === 0) {
      for (const resolve of this.closeWaiters) {
        resolve();
      }
      this.closeWaiters.clear();
    }
  }
}

function view(state: ConnectionState): ConnectionView {
  return {
    id: state.id,
    origin: state.origin,
    remoteAddress: state.remoteAddress,
    requests: state.requests,
    state: state.busy ? 'busy' : 'idle',
    insecure: state.insecure,
  };
}
