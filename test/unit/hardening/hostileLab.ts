// The bench every hostile case runs on: the hostile server at
// evil.example.org and a well-behaved origin at other.example.net, both on
// 127.0.0.1 through resolve rules, so cookies and credentials have two real
// origins to leak between. After each case `afterCase` checks the same
// session still works with both, and asserts on what each server received.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { SessionConfig } from '../../../src/core/session/config';
import type { Session } from '../../../src/core/session/session';
import { startHttpServer, type TestServer } from '../../helpers/servers';
import { get, testSession } from '../../helpers/sessions';
import { type HostileServer, headerOf, type Route, startHostileServer } from './hostileServer';

export const EVIL = 'evil.example.org';
export const OTHER = 'other.example.net';

export interface Lab {
  readonly hostile: HostileServer;
  readonly other: TestServer;
  readonly config: SessionConfig;
  /** URL on the hostile server, under its name. */
  evil(path: string): string;
  /** URL on the well-behaved origin. */
  otherUrl(path: string): string;
  /** A session for one case, with the other origin's cookie `otherSid=o1` already in its jar. */
  session(t: TestContext, config?: SessionConfig): Promise<Session>;
  /**
   * The same session sends a normal request to each origin: both answer 200,
   * the other origin receives only its own cookie and no credentials, and the
   * hostile one receives exactly `evilCookies` from the jar.
   */
  afterCase(session: Session, evilCookies: string | null): Promise<void>;
  close(): Promise<void>;
}

export async function startLab(routes: Record<string, Route>): Promise<Lab> {
  const hostile = await startHostileServer({
    '/ok': ({ reply }) => reply(200, [['Content-Type', 'text/plain']], 'fine'),
    ...routes,
  });
  const other = await startHttpServer({
    '/set': (_req, res) => {
      res.setHeader('Set-Cookie', 'otherSid=o1; Path=/');
      res.end('set');
    },
    '/ok': (_req, res) => res.end('other fine'),
  });
  const config: SessionConfig = {
    resolve: [
      { host: EVIL, address: '127.0.0.1' },
      { host: OTHER, address: '127.0.0.1' },
    ],
  };
  const lab: Lab = {
    hostile,
    other,
    config,
    evil: (path) => hostile.url(path, EVIL),
    otherUrl: (path) => other.url(path, OTHER),
    async session(t, extra = {}) {
      const session = testSession(t, { ...config, ...extra });
      const seeded = await session.send(get(lab.otherUrl('/set')));
      assert.equal(seeded.error, null);
      return session;
    },
    async afterCase(session, evilCookies) {
      const toOther = await session.send(get(lab.otherUrl('/ok')), { timeoutMs: 5000 });
      assert.equal(toOther.error, null, toOther.error?.message);
      assert.equal(toOther.response?.text, 'other fine');
      const seen = other.requests.at(-1)!;
      const seenHeader = (name: string) =>
        seen.headers
          .filter(([n]) => n.toLowerCase() === name)
          .map(([, v]) => v)
          .join(', ') || null;
      assert.equal(seenHeader('cookie'), 'otherSid=o1', 'the other origin gets its own cookie only');
      assert.equal(seenHeader('authorization'), null);
      assert.equal(seenHeader('proxy-authorization'), null);

      const toEvil = await session.send(get(lab.evil('/ok')), { timeoutMs: 5000 });
      assert.equal(toEvil.error, null, toEvil.error?.message);
      assert.equal(toEvil.response?.text, 'fine');
      assert.equal(
        headerOf(hostile.requests.at(-1), 'cookie'),
        evilCookies,
        'cookies the hostile origin got',
      );
    },
    close: async () => {
      await Promise.all([hostile.close(), other.close()]);
    },
  };
  return lab;
}
