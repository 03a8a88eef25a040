// Which responses set which cookie during this window: a small in-memory
// index fed by every finished run, so "Show Responses That Set This Cookie"
// can answer without keeping the responses themselves.
import type { StoredCookie } from '../../core/session';
import type { CookieRef } from './jarEdits';

export interface CookieSetter {
  readonly method: string;
  readonly url: string;
  readonly status: number | null;
  /** Epoch ms. */
  readonly time: number;
  readonly requestName: string | null;
}

const PER_COOKIE = 20;
const MAX_COOKIES = 2000;

const keyOf = (session: string, ref: CookieRef) => `${session}\n${ref.domain}\t${ref.path}\t${ref.name}`;

export class CookieOrigins {
  // A Map keeps insertion order: the oldest-touched cookie is dropped first when full.
  private readonly index = new Map<string, CookieSetter[]>();

  record(session: string, stored: readonly StoredCookie[], setter: CookieSetter): void {
    for (const cookie of stored) {
      const key = keyOf(session, {
        domain: cookie.domain ?? '',
        path: cookie.path ?? '/',
        name: cookie.name,
      });
      const list = this.index.get(key) ?? [];
      this.index.delete(key);
      // A response that cleared and set the cookie again (`sid=; Max-Age=0`, `sid=new`) is one response.
      if (list[0] !== setter) list.unshift(setter);
      list.length = Math.min(list.length, PER_COOKIE);
      this.index.set(key, list);
    }
    while (this.index.size > MAX_COOKIES) {
      const oldest = this.index.keys().next().value;
      if (oldest === undefined) break;
      this.index.delete(oldest);
    }
  }

  /** Newest first. */
  lookup(session: string, ref: CookieRef): readonly CookieSetter[] {
    return this.index.get(keyOf(session, ref)) ?? [];
  }
}
