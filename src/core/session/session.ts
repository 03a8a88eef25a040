// A named session, like Python's requests.Session(): one cookie jar, pooled
// keep-alive connections, default headers and timeouts shared by every
// request sent through it.
import type { CookieJar } from 'tough-cookie';
import { Agent } from './undiciAgent';
import { type ResolvedConfig, resolveConfig, type SessionConfig } from './config';
import { type ConnectionEvents, ConnectionTracker, type ConnectionView } from './connections';
import { createConnector } from './connector';
import { createJar, listCookies } from './cookies';
import { sessionError } from './errors';
import { Emitter } from './events';
import { DispatchProbe } from './probe';
import type { Stop } from './exchange';
import { type SendContext, sendRequest } from './send';
import { emptyTiming } from './timing';
import type { CookieOutcome, OutgoingRequest, SendOptions, SendResult, StoredCookie } from './types';

export interface CookiesChange {
  readonly session: string;
  readonly cause: 'response' | 'cleared' | 'replaced';
  /** The URL whose response stored cookies (for `response`). */
  readonly url: string | null;
  readonly stored: readonly StoredCookie[];
}

export interface SessionEvents extends ConnectionEvents {
  cookiesChanged: CookiesChange;
}

export class Session {
  readonly events = new Emitter<SessionEvents>();
  readonly config: ResolvedConfig;
  private currentJar: CookieJar;
  private readonly tracker = new ConnectionTracker((event, view) => this.events.emit(event, view));
  private readonly probe = new DispatchProbe();
  // Verified and insecure requests never share a pool, nor do different connect timeouts (the connector enforces it).
  private readonly agents = new Map<string, Agent>();
  /** Sends under way, stopped when the connections close. */
  private readonly inFlight = new Set<Stop>();
  private readonly context: SendContext;
  private disposed = false;

  constructor(
    readonly name: string,
    config: SessionConfig = {},
    jar: CookieJar = createJar(),
  ) {
    this.config = resolveConfig(config);
    this.currentJar = jar;
    // One context for every send (a send reads the jar once, when it starts).
    this.context = {
      config: this.config,
      jar: () => this.currentJar,
      tracker: this.tracker,
      probe: this.probe,
      inFlight: this.inFlight,
      dispatcher: (insecure, connectTimeoutMs) => this.agent(insecure, connectTimeoutMs),
      cookiesStored: (url, outcome) => this.cookiesStored(url, outcome),
    };
  }

  get jar(): CookieJar {
    return this.currentJar;
  }

  send(request: OutgoingRequest, options: SendOptions = {}): Promise<SendResult> {
    if (this.disposed) {
      return Promise.resolve(disposedResult(request, this.name));
    }
    return sendRequest(this.context, request, options);
  }

  /** Open connections right now, for the connection tree. */
  connections(): ConnectionView[] {
    return this.tracker.list();
  }

  cookies(): Promise<StoredCookie[]> {
    return listCookies(this.currentJar);
  }

  /** Swaps in another jar, e.g. one loaded from disk. */
  replaceJar(jar: CookieJar): void {
    this.currentJar = jar;
    this.events.emit('cookiesChanged', { session: this.name, cause: 'replaced', url: null, stored: [] });
  }

  async clearCookies(): Promise<void> {
    await this.currentJar.removeAllCookies();
    this.events.emit('cookiesChanged', { session: this.name, cause: 'cleared', url: null, stored: [] });
  }

  /** Cancels in-flight sends and closes every socket; resolves once all are closed. */
  async closeConnections(): Promise<void> {
    const sends = [...this.inFlight];
    this.inFlight.clear();
    for (const stop of sends) stop.stop({ kind: 'closed' });
    const agents = [...this.agents.values()];
    this.agents.clear();
    await Promise.all(agents.map((agent) => agent.destroy().catch(() => {})));
    await this.tracker.destroyAll();
  }

  async reset(): Promise<void> {
    await this.closeConnections();
    await this.clearCookies();
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.closeConnections();
    this.probe.dispose();
    this.events.clear();
  }

  private agent(insecure: boolean, connectTimeoutMs: number): Agent {
    const key = `${insecure ? 'insecure' : 'verified'}:${connectTimeoutMs}`;
    let agent = this.agents.get(key);
    if (!agent) {
      agent = new Agent({
        connect: createConnector({
          tracker: this.tracker,
          resolve: this.config.resolve,
          connectTimeoutMs,
          insecure,
          ca: this.config.ca,
          clientCertificates: this.config.clientCertificates,
        }),
        keepAliveTimeout: this.config.keepAliveMs,
        maxHeaderSize: this.config.maxHeaderBytes,
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      this.agents.set(key, agent);
    }
    return agent;
  }

  private cookiesStored(url: URL, outcome: CookieOutcome): void {
    this.events.emit('cookiesChanged', {
      session: this.name,
      cause: 'response',
      url: url.href,
      stored: outcome.stored,
    });
  }
}

function disposedResult(request: OutgoingRequest, name: string): SendResult {
  return {
    method: request.method,
    url: request.url,
    sent: null,
    response: null,
    timing: emptyTiming(),
    connection: null,
    cookies: { stored: [], rejected: [] },
    redirects: [],
    hops: [],
    elapsedMs: 0,
    error: sessionError(
      'CANCELLED',
      `Session "${name}" was closed; send the request again to start a new one`,
    ),
    warnings: [],
  };
}
