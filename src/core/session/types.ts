// The data that goes into and comes out of a session. Everything here is
// plain data (no sockets, no jar) so the CLI, the editor and tests can hold it.

/** Headers in the order written; a name may repeat (every `Set-Cookie` is its own entry). */
export type HeaderList = readonly (readonly [string, string])[];

export interface OutgoingRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: HeaderList;
  readonly body: string | Uint8Array | null;
}

export interface SendOptions {
  /** Send no cookies from the jar and store none from the responses. */
  readonly noCookieJar?: boolean;
  /** Return the first response even if it is a redirect. */
  readonly noRedirect?: boolean;
  /** Total time for the whole send, redirects included; 0 turns it off. */
  readonly timeoutMs?: number;
  /** Time to get a connection ready (DNS + TCP + TLS). */
  readonly connectTimeoutMs?: number;
  /** Skip TLS verification; such requests use their own connection pool. */
  readonly insecure?: boolean;
  /** Cap on the decoded response body; the rest is cut off and `truncated` is set. */
  readonly maxBodyBytes?: number;
  readonly maxRedirects?: number;
  readonly signal?: AbortSignal;
  /**
   * Called once, from a microtask, when the first request (body included) has been written to its
   * connection: a caller can do its own work (print the previous result) while the answer is on
   * its way instead of before the request leaves. Not called when nothing was written; what it
   * throws is dropped. Its work delays reading the answer, so the send's timing includes it if the
   * answer arrives meanwhile: keep it short.
   */
  readonly onSent?: () => void;
  /** Defaults for this send only (`# @default-header` lines); they beat the session's own defaults. */
  readonly defaultHeaders?: HeaderList;
}

export type ErrorCode =
  | 'INVALID_URL'
  | 'INVALID_REQUEST'
  | 'DNS'
  | 'REFUSED'
  | 'TLS'
  | 'CONNECT_TIMEOUT'
  | 'TIMEOUT'
  | 'RESET'
  | 'DECODE'
  | 'TOO_MANY_REDIRECTS'
  | 'REDIRECT_LOOP'
  | 'CANCELLED'
  | 'NETWORK';

export interface SessionError {
  readonly code: ErrorCode;
  /** One line: what happened, to which host, and what to check. */
  readonly message: string;
  /** The underlying error code or message, for bug reports. */
  readonly detail: string | null;
}

/**
 * Milliseconds per phase of one hop. A phase that did not happen (DNS for an
 * IP literal, TCP/TLS on a reused connection, TLS over http) is `null`. The
 * phases present add up to `total`: see timing.ts for how they tile.
 */
export interface Timing {
  readonly dns: number | null;
  readonly connect: number | null;
  readonly tls: number | null;
  readonly sent: number | null;
  readonly firstByte: number | null;
  readonly download: number | null;
  readonly total: number;
}

export interface ConnectionUse {
  /** Small per-session number, stable for the life of the connection. */
  readonly id: number;
  readonly reused: boolean;
  /** Requests this connection has carried, this one included. */
  readonly requestsOnConnection: number;
  /** `address:port` actually connected to (differs from the URL with a resolve rule). */
  readonly remoteAddress: string | null;
}

export type SameSite = 'strict' | 'lax' | 'none' | null;

export interface StoredCookie {
  readonly name: string;
  readonly value: string;
  readonly domain: string | null;
  readonly path: string | null;
  /** ISO date, or null for a session cookie. A date in the past means the server deleted it. */
  readonly expires: string | null;
  readonly secure: boolean;
  readonly httpOnly: boolean;
  readonly sameSite: SameSite;
  readonly hostOnly: boolean;
}

export interface RejectedCookie {
  /** The `Set-Cookie` value as received. */
  readonly cookie: string;
  readonly reason: string;
}

export interface CookieOutcome {
  readonly stored: readonly StoredCookie[];
  readonly rejected: readonly RejectedCookie[];
}

/** A request as it went out: after defaults, the jar and redirect rewriting. */
export interface SentRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: HeaderList;
  readonly body: string | Uint8Array | null;
}

export interface ReceivedResponse {
  readonly status: number;
  readonly statusText: string;
  readonly httpVersion: string;
  readonly headers: HeaderList;
  /** Decoded body (after Content-Encoding), at most the body cap. */
  readonly body: Uint8Array;
  /** `body` decoded with the response charset (utf-8 when none is given). */
  readonly text: string;
  readonly contentType: string | null;
  readonly charset: string;
  /** Bytes received on the wire for the body, before decoding. */
  readonly encodedBytes: number;
  readonly truncated: boolean;
}

/** A redirect that was followed: its status and the URL it pointed to. */
export interface RedirectStep {
  readonly status: number;
  readonly url: string;
}

/** One request/response exchange; a send with redirects has several. */
export interface Hop {
  readonly sent: SentRequest;
  readonly status: number | null;
  readonly timing: Timing;
  readonly connection: ConnectionUse | null;
}

export interface SendResult {
  /** Method and URL as asked for; the final ones are in `sent`. */
  readonly method: string;
  readonly url: string;
  /** The last request that went out, or null when none could be built. */
  readonly sent: SentRequest | null;
  /** The final response, or the last one received before an error. */
  readonly response: ReceivedResponse | null;
  /** Timing of the final hop. */
  readonly timing: Timing;
  readonly connection: ConnectionUse | null;
  /** Cookies stored and rejected over all hops. */
  readonly cookies: CookieOutcome;
  readonly redirects: readonly RedirectStep[];
  readonly hops: readonly Hop[];
  /** Wall time of the whole send, redirects and cookie handling included. */
  readonly elapsedMs: number;
  readonly error: SessionError | null;
  /** Things worth telling the user that are not errors (unknown charset, dropped header…). */
  readonly warnings: readonly string[];
}
