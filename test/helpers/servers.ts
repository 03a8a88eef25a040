// Real servers on 127.0.0.1 for tests: HTTP and HTTPS (with a certificate
// made by the test), routes as plain handlers, every received request
// recorded, and TCP connections counted so keep-alive can be asserted from
// the server's side.
//
//   const server = await startHttpServer({
//     'GET /hello': (_req, res) => res.end('hi'),
//     '/echo': (req, res, body) => res.end(body),   // any method
//   });
//   t.after(() => server.close());
//   server.url('/hello')                      → http://127.0.0.1:PORT/hello
//   server.url('/hello', 'a.example.org')     → http://a.example.org:PORT/hello (pair with a resolve rule)
import { EventEmitter, once } from 'node:events';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { type TestCertificate, testCertificate } from './certificates';

// What a handler returns is ignored (a promise is awaited), so `(_req, res) => res.end('x')` is fine.
export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => unknown;

/** Keys are `METHOD /path` or just `/path` (any method); the path is matched without the query. */
export type Routes = Record<string, Handler>;

export interface ReceivedRequest {
  readonly method: string;
  /** Path and query as received. */
  readonly url: string;
  /** In the order received, names as written by the client. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
  /** Client port: requests that share it came over the same connection. */
  readonly remotePort: number;
}

export interface TestServer {
  readonly protocol: 'http' | 'https';
  readonly port: number;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly requests: readonly ReceivedRequest[];
  /** TCP connections accepted since start. */
  readonly connectionCount: number;
  /** TCP connections open right now. */
  readonly openConnections: number;
  /** URL on this server, optionally with another host name (for resolve rules). */
  url(path?: string, host?: string): string;
  /** Adds or replaces a route. */
  route(key: string, handler: Handler): TestServer;
  /** Resolves once exactly `count` connections are open. */
  waitForOpenConnections(count: number): Promise<void>;
  /** Drops every connection and stops listening. */
  close(): Promise<void>;
}

export interface HttpsOptions {
  readonly certificate?: TestCertificate;
}

export function startHttpServer(routes: Routes = {}): Promise<TestServer> {
  return listen('http', http.createServer(), routes);
}

export async function startHttpsServer(routes: Routes = {}, options: HttpsOptions = {}): Promise<TestServer> {
  const { key, cert } = options.certificate ?? (await testCertificate());
  return listen('https', https.createServer({ key, cert }), routes);
}

async function listen(protocol: 'http' | 'https', server: http.Server, initial: Routes): Promise<TestServer> {
  const routes = new Map(Object.entries(initial));
  const requests: ReceivedRequest[] = [];
  const sockets = new Set<net.Socket>();
  const changes = new EventEmitter();
  let connectionCount = 0;

  // `connection` is the TCP accept for both http and https (secureConnection comes later).
  server.on('connection', (socket: net.Socket) => {
    connectionCount += 1;
    sockets.add(socket);
    changes.emit('change');
    socket.once('close', () => {
      sockets.delete(socket);
      changes.emit('change');
    });
  });
  server.on('request', async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const headers: [string, string][] = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2)
      headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      headers,
      body,
      remotePort: req.socket.remotePort ?? 0,
    });
    const path = (req.url ?? '/').split('?')[0]!;
    const handler = routes.get(`${req.method} ${path}`) ?? routes.get(path);
    try {
      if (handler) {
        await handler(req, res, body);
      } else {
        res.statusCode = 404;
        res.end(`no route for ${req.method} ${path}`);
      }
    } catch (err) {
      if (!res.headersSent) res.statusCode = 500;
      res.end(String(err));
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;

  const self: TestServer = {
    protocol,
    port,
    origin: `${protocol}://127.0.0.1:${port}`,
    requests,
    get connectionCount() {
      return connectionCount;
    },
    get openConnections() {
      return sockets.size;
    },
    url: (path = '/', host = '127.0.0.1') => `${protocol}://${host}:${port}${path}`,
    route(key, handler) {
      routes.set(key, handler);
      return self;
    },
    async waitForOpenConnections(count) {
      while (sockets.size !== count) {
        await once(changes, 'change');
      }
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
  return self;
}

/** A port on 127.0.0.1 that nothing listens on (it was opened and closed again). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface SilentServer {
  readonly port: number;
  /** Connections accepted so far. */
  readonly connectionCount: number;
  close(): Promise<void>;
}

/**
 * Accepts TCP connections and never says a word: a TLS handshake against it
 * stalls (a connect-phase timeout) and an HTTP request never gets an answer.
 */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<net.Socket>();
  let connectionCount = 0;
  const server = net.createServer((socket) => {
    connectionCount += 1;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    get connectionCount() {
      return connectionCount;
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
