// Sessions for tests: disposed when the test ends, and short request builders.
import type { TestContext } from 'node:test';
import type { SessionConfig } from '../../src/core/session/config';
import { Session } from '../../src/core/session/session';
import type { HeaderList, OutgoingRequest } from '../../src/core/session/types';

export function testSession(t: TestContext, config: SessionConfig = {}, name = 'test'): Session {
  const session = new Session(name, config);
  t.after(() => session.dispose());
  return session;
}

export function get(url: string, headers: HeaderList = []): OutgoingRequest {
  return { method: 'GET', url, headers, body: null };
}

export function post(url: string, body: string | Uint8Array, headers: HeaderList = []): OutgoingRequest {
  return { method: 'POST', url, headers, body };
}
