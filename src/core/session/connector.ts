// Our own connector for undici: it opens the sockets itself so the session
// can give each connection an id, time its DNS/TCP/TLS steps, apply resolve
// rules (connect to another address, keep Host/SNI/cookies) and enforce the
// connect timeout across all three steps.
import { isIP } from 'node:net';
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { buildConnector } from 'undici';
import { type ClientCertificate, clientCertificateFor, type ResolveRule, resolveAddress } from './config';
import type { ConnectionTracker } from './connections';
import { ClientCertificateError, ConnectTimeoutError } from './errors';

export interface ConnectorOptions {
  readonly tracker: ConnectionTracker;
  readonly resolve: readonly ResolveRule[];
  /** 0 turns the connect timeout off. */
  readonly connectTimeoutMs: number;
  readonly insecure: boolean;
  /** Extra CA certificates (PEM), trusted alongside the system roots. */
  readonly ca: readonly string[];
  readonly clientCertificates?: readonly ClientCertificate[];
}

// The first error on a connection that was ready. undici reports the close that follows as
// "other side closed" and forgets the cause: a TLS 1.3 server refusing the client certificate
// sends its alert after the handshake completed, and that alert is the error worth showing.
const firstErrors = new WeakMap<object, Error>();

/** The first error a ready connection met, if any (see firstErrors). */
export function firstErrorOf(socket: object): Error | undefined {
  return firstErrors.get(socket);
}

export function createConnector(options: ConnectorOptions): buildConnector.connector {
  const { tracker, resolve, connectTimeoutMs, insecure } = options;
  // Built once: parsing the root store for every connection would cost milliseconds each time.
  const ca = options.ca.length > 0 ? [...tls.rootCertificates, ...options.ca] : undefined;
  const secureContext = ca ? tls.createSecureContext({ ca }) : undefined;
  // One context per client certificate entry, made on first use (a bad passphrase fails that host only).
  const clientContexts = new Map<ClientCertificate, tls.SecureContext>();
  const contextFor = (certificate: ClientCertificate | null): tls.SecureContext | undefined => {
    if (!certificate) return secureContext;
    if (certificate.error) throw new ClientCertificateError(certificate.host, certificate.error);
    let context = clientContexts.get(certificate);
    if (!context) {
      try {
        context = tls.createSecureContext({
          ca,
          cert: toPem(certificate.cert),
          key: toPem(certificate.key),
          pfx: certificate.pfx ? Buffer.from(certificate.pfx) : undefined,
          passphrase: certificate.passphrase,
        });
      } catch (err) {
        throw new ClientCertificateError(certificate.host, err instanceof Error ? err.message : String(err));
      }
      clientContexts.set(certificate, context);
    }
    return context;
  };

  return ({ hostname, host, protocol, port, servername }, callback) => {
    const secure = protocol === 'https:';
    const portNumber = Number(port) || (secure ? 443 : 80);
    const target = resolveAddress(resolve, hostname, portNumber) ?? hostname;
    const startedAt = performance.now();
    let context: tls.SecureContext | undefined;
    if (secure) {
      try {
        context = contextFor(clientCertificateFor(options.clientCertificates ?? [], hostname, portNumber));
      } catch (err) {
        callback(err as Error, null);
        return;
      }
    }
    const socket = secure
      ? tls.connect({
          host: target,
          port: portNumber,
          // SNI and the certificate check use the URL's host even when a resolve rule changed the address.
          servername: servername || (isIP(hostname) ? undefined : hostname),
          rejectUnauthorized: !insecure,
          secureContext: context,
          ALPNProtocols: ['http/1.1'],
        })
      : net.connect({ host: target, port: portNumber });
    const state = tracker.attempt({
      origin: `${protocol}//${host ?? hostname}`,
      secure,
      insecure,
      needsLookup: isIP(target) === 0,
      startedAt,
      socket,
    });

    let pending: typeof callback | null = callback;
    const timer =
      connectTimeoutMs > 0
        ? setTimeout(() => {
            const stage =
              state.needsLookup && state.lookupDoneAt === null
                ? 'dns'
                : state.connectDoneAt === null
                  ? 'tcp'
                  : 'tls';
            socket.destroy(new ConnectTimeoutError(stage, connectTimeoutMs));
          }, connectTimeoutMs)
        : null;
    const ready = () => {
      if (timer) clearTimeout(timer);
      tracker.ready(state);
      const cb = pending;
      pending = null;
      cb?.(null, socket);
    };

    socket.setNoDelay(true);
    socket.setKeepAlive(true, 60_000);
    socket.once('lookup', (err: Error | null) => {
      if (!err) {
        state.lookupDoneAt = performance.now();
      }
    });
    socket.once('connect', () => {
      state.connectDoneAt = performance.now();
      if (!secure) {
        ready();
      }
    });
    if (secure) {
      socket.once('secureConnect', () => {
        state.tlsDoneAt = performance.now();
        ready();
      });
    }
    const fail = (err: Error) => {
      if (timer) clearTimeout(timer);
      const cb = pending;
      pending = null;
      if (cb) {
        tracker.failed(state, err);
        cb(err, null);
      } else if (!firstErrors.has(socket)) {
        firstErrors.set(socket, err);
      }
    };
    socket.on('error', fail);
    // Destroyed without an error (the session closing its connections): the attempt is over too.
    socket.once('close', () =>
      fail(Object.assign(new Error('connection closed while connecting'), { code: 'ECONNRESET' })),
    );
  };
}

function toPem(value: string | Uint8Array | undefined): string | Buffer | undefined {
  return value === undefined || typeof value === 'string' ? value : Buffer.from(value);
}
