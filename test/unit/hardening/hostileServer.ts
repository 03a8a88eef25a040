// A misbehaving server for the hostile suite: raw TCP (or TLS) on 127.0.0.1,
// its own tiny HTTP/1.1 request reader, and responses written byte for byte
// by each route, so it can do what no well-behaved server library allows —
// reset mid-body, trickle its headers, lie about Content-Length, never end.
//
//   const hostile = await startHostileServer({
//     '/ok': ({ reply }) => reply(200, [], 'fine'),          // keep-alive, next request on the socket is read
//     '/reset': ({ socket, write }) => { write('HTTP/1.1 200 OK\r\n…'); socket.resetAndDestroy(); },
//   });
//
// A route that does not call `reply` owns the socket from then on.
import { once } from 'node:events';
import * as net from 'node:net';
import * as tls from 'node:tls';

export interface RawRequest {
  readonly method: string;
  /** Path and query as received. */
  readonly path: string;
  /** In the order received, names as written by the client. */
  readonly headers: readonly (readonly [string, string])[];
  readonly body: Buffer;
  /** 1, 2, 3… per accepted connection: requests that share it came over one socket. */
  readonly connection: number;
  /** Common name of the client certificate presented over TLS, or null. */
  readonly clientCN: string | null;
}

export interface Exchange {
  readonly request: RawRequest;
  readonly socket: net.Socket;
  /** Raw bytes onto the socket (ignored once it is gone). */
  write(data: string | Buffer): void;
  /** A complete response with Content-Length; the connection stays open for the next request. */
  reply(status: number, headers: readonly (readonly [string, string])[], body?: string | Buffer): void;
  /** Runs `tick` every `ms` until it returns false or the socket closes. */
  every(ms: number, tick: () => boolean | undefined): void;
}

export type Route = (exchange: Exchange) => void;

export interface HostileTls {
  readonly key: string;
  readonly cert: string;
  /** CA for client certificates; with it the server asks for one. */
  readonly ca?: string;
  /** Refuse the handshake without a client certificate from `ca` (otherwise asking is all). */
  readonly requireClientCertificate?: boolean;
}

export interface HostileServer {
  readonly protocol: 'http' | 'https';
  readonly port: number;
  readonly requests: readonly RawRequest[];
  /** Connections served since start (over TLS: handshakes completed). */
  readonly connectionCount: number;
  /** TCP connections accepted since start, handshake or not. */
  readonly acceptedCount: number;
  /** `protocol://host:port/path`; pair a host name with a resolve rule to 127.0.0.1. */
  url(path: string, host?: string): string;
  route(path: string, route: Route): void;
  /** Header value of the `index`-th request received (negative counts from the end). */
  header(name: string, index?: number): string | null;
  close(): Promise<void>;
}

export function headerOf(request: RawRequest | undefined, name: string): string | null {
  const lower = name.toLowerCase();
  const values = (request?.headers ?? []).filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
  return values.length > 0 ? values.join(', ') : null;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  404: 'Not Found',
};

export function responseHead(status: number, headers: readonly (readonly [string, string])[]): string {
  const lines = headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Whatever'}\r\n${lines}\r\n`;
}

export async function startHostileServer(
  routes: Record<string, Route> = {},
  tlsOptions?: HostileTls,
): Promise<HostileServer> {
  const table = new Map(Object.entries(routes));
  const requests: RawRequest[] = [];
  const sockets = new Set<net.Socket>();
  let connectionCount = 0;
  let acceptedCount = 0;

  const serve = (socket: net.Socket) => {
    const connection = ++connectionCount;
    sockets.add(socket);
    socket.on('error', () => {});
    const timers = new Set<NodeJS.Timeout>();
    socket.once('close', () => {
      sockets.delete(socket);
      for (const timer of timers) clearInterval(timer);
    });
    let buffered = Buffer.alloc(0);
    let owned = false;

    const next = () => {
      while (!owned) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = buffered.subarray(0, end).toString('latin1').split('\r\n');
        const [method = '', path = ''] = lines[0]!.split(' ');
        const headers = lines.slice(1).map((line): [string, string] => {
          const colon = line.indexOf(':');
          return [line.slice(0, colon), line.slice(colon + 1).trim()];
        });
        const length = Number(headers.find(([n]) => n.toLowerCase() === 'content-length')?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        const body = buffered.subarray(end + 4, end + 4 + length);
        buffered = buffered.subarray(end + 4 + length);
        const peer = socket instanceof tls.TLSSocket ? socket.getPeerCertificate() : null;
        const request: RawRequest = {
          method,
          path,
          headers,
          body,
          connection,
          clientCN: peer?.subject?.CN ?? null,
        };
        requests.push(request);
        owned = true;
        const write = (data: string | Buffer) => {
          if (!socket.destroyed) socket.write(data);
        };
        const route = table.get(path.split('?')[0]!);
        const exchange: Exchange = {
          request,
          socket,
          write,
          reply(status, replyHeaders, replyBody = '') {
            const bytes = Buffer.from(replyBody);
            write(responseHead(status, [...replyHeaders, ['Content-Length', String(bytes.length)]]));
            write(bytes);
            owned = false;
          },
          every(ms, tick) {
            const timer = setInterval(() => {
              if (socket.destroyed || tick() === false) {
                clearInterval(timer);
                timers.delete(timer);
              }
            }, ms);
            timers.add(timer);
          },
        };
        if (route) route(exchange);
        else exchange.reply(404, [], `no route for ${path}`);
      }
    };
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      next();
    });
  };

  const server = tlsOptions
    ? tls.createServer(
        {
          key: tlsOptions.key,
          cert: tlsOptions.cert,
          ca: tlsOptions.ca,
          requestCert: tlsOptions.ca !== undefined,
          rejectUnauthorized: tlsOptions.requireClientCertificate === true,
          ALPNProtocols: ['http/1.1'],
        },
        serve,
      )
    : net.createServer(serve);
  server.on('connection', (socket: net.Socket) => {
    acceptedCount += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // A client that gives up mid-handshake is part of the game.
  server.on('tlsClientError', () => {});
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  const protocol = tlsOptions ? 'https' : 'http';

  return {
    protocol,
    port,
    requests,
    get connectionCount() {
      return connectionCount;
    },
    get acceptedCount() {
      return acceptedCount;
    },
    url: (path, host = '127.0.0.1') => `${protocol}://${host}:${port}${path}`,
    route(path, route) {
      table.set(path, route);
    },
    header(name, index = -1) {
      return headerOf(requests.at(index), name);
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
