// Runs one cookie case through the real engine: a local HTTP and HTTPS
// server answer each step with the case's Set-Cookie lines written as raw
// bytes (so control characters and odd dates reach the client untouched),
// the session follows redirects and fills its jar, and the server records
// the Cookie header the next request actually carried.
import { once } from 'node:events';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Session } from '../../../src/core/session/session';
import type { StoredCookie } from '../../../src/core/session/types';
import type { CookieCase } from './cookieCases';
import { createPki } from './pki';

/** Every name a case may use; all are pointed at 127.0.0.1 by resolve rules. */
export const CORPUS_HOSTS = [
  'localhost',
  'sub.localhost',
  'home.example.org',
  'sub.home.example.org',
  'deep.sub.home.example.org',
  'sibling.example.org',
  'example.org',
  'example.com',
  'www.example.com',
  'shop.co.uk',
  'other.co.uk',
  'github.io',
  'user.github.io',
  'sub.user.github.io',
  'other.github.io',
] as const;

interface Plan {
  readonly status: number;
  readonly setCookie: readonly string[];
  readonly location: string | null;
}

interface Recorded {
  readonly url: string;
  /** Every Cookie header as received, bytes decoded as UTF-8. */
  readonly cookies: readonly string[];
}

export interface CaseOutcome {
  /** The Cookie header the checked request carried ('' when none). */
  readonly cookie: string;
  /** The last stored state of each cookie name over all steps. */
  readonly stored: ReadonlyMap<string, StoredCookie>;
  readonly errors: readonly string[];
}

export interface CookieLab {
  run(c: CookieCase): Promise<CaseOutcome>;
  close(): Promise<void>;
}

// Case strings are written as the text a server means (UTF-8); on the wire headers are bytes.
const wire = (text: string) => Buffer.from(text, 'utf8');
const fromWire = (latin1: string) => Buffer.from(latin1, 'latin1').toString('utf8');

export async function startCookieLab(): Promise<CookieLab> {
  const pki = await createPki('cookie corpus CA');
  const names = [...CORPUS_HOSTS, '127.0.0.1', '*.example.org', '*.home.example.org', '*.example.com'];
  const serverCert = await pki.server(names);
  const plans = new Map<string, Plan>();
  const recorded: Recorded[] = [];

  const handle = (protocol: 'http' | 'https') => (req: http.IncomingMessage, res: http.ServerResponse) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const key = `${protocol}://${host}${req.url ?? '/'}`;
    const cookies: string[] = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      if (req.rawHeaders[i]!.toLowerCase() === 'cookie') cookies.push(fromWire(req.rawHeaders[i + 1]!));
    }
    recorded.push({ url: key, cookies });
    req.resume();
    const plan = plans.get(key);
    if (!plan) {
      res.end('ok');
      return;
    }
    const lines = [`HTTP/1.1 ${plan.status} Step`];
    for (const value of plan.setCookie) lines.push(`Set-Cookie: ${value}`);
    if (plan.location) lines.push(`Location: ${plan.location}`);
    lines.push('Content-Length: 0', 'Connection: close', '', '');
    // Raw, so bytes Node's own header checks would refuse still go out.
    req.socket.end(wire(lines.join('\r\n')));
  };

  // Room for the size cases (twenty 4000-byte cookies in one Cookie header).
  const maxHeaderSize = 1024 * 1024;
  const plain = http.createServer({ maxHeaderSize }, handle('http'));
  const secure = https.createServer(
    { key: serverCert.key, cert: serverCert.cert, maxHeaderSize },
    handle('https'),
  );
  for (const server of [plain, secure]) {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  }
  const ports = {
    http: (plain.address() as AddressInfo).port,
    https: (secure.address() as AddressInfo).port,
  };
  /** Case URLs are written without ports; the servers' ports go in here. */
  const withPort = (url: string) =>
    url.replace(/^(https?):\/\/([^/?#]+)/i, (_m, scheme: string, host: string) => {
      const lower = scheme.toLowerCase() as 'http' | 'https';
      return `${lower}://${host}:${ports[lower]}`;
    });
  const keyOf = (url: string) => {
    const u = new URL(url);
    return `${u.protocol.slice(0, -1)}://${u.hostname}${u.pathname}${u.search}`;
  };

  return {
    async run(c) {
      plans.clear();
      const targets = new Set(c.steps.flatMap((s) => (s.location ? [keyOf(s.location)] : [])));
      for (const step of c.steps) {
        plans.set(keyOf(step.url), {
          status: step.location ? (step.status ?? 302) : (step.status ?? 200),
          setCookie: step.set,
          location: step.location ? withPort(step.location) : null,
        });
      }
      const session = new Session('corpus', {
        resolve: CORPUS_HOSTS.map((host) => ({ host, address: '127.0.0.1' })),
        ca: pki.ca.cert,
        timeoutMs: 10_000,
      });
      const stored = new Map<string, StoredCookie>();
      const errors: string[] = [];
      try {
        for (const step of c.steps) {
          if (targets.has(keyOf(step.url))) continue;
          const result = await session.send({
            method: 'GET',
            url: withPort(step.url),
            headers: [],
            body: null,
          });
          if (result.error) errors.push(result.error.message);
          for (const cookie of result.cookies.stored) stored.set(cookie.name, cookie);
        }
        if (c.request !== null) {
          const result = await session.send({
            method: 'GET',
            url: withPort(c.request),
            headers: [],
            body: null,
          });
          if (result.error) errors.push(`checked request: ${result.error.message}`);
        }
      } finally {
        await session.dispose();
      }
      const checked = recorded.at(-1);
      return { cookie: checked?.cookies.join(' | ') ?? '', stored, errors };
    },
    async close() {
      for (const server of [plain, secure]) {
        server.closeAllConnections();
        server.close();
      }
      await pki.dispose();
    },
  };
}
