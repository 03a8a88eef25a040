// The cookie corpus (cookieCases.ts) through the real engine: each case's
// Set-Cookie lines come from a local server, and the Cookie header checked is
// the one that server received on the next request.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MAX_COOKIE_AGE_MS } from '../../../src/core/session/cookies';
import { COOKIE_CASES, type CookieCase } from './cookieCases';
import { type CookieLab, startCookieLab } from './cookieHarness';

let lab: CookieLab;

function checkExpiry(c: CookieCase, name: string, want: string, got: string | null | undefined): void {
  if (got === undefined) assert.fail(`${c.rule}: no cookie ${name} was stored`);
  if (want === 'session') {
    assert.equal(got, null, `${name} should be a session cookie`);
  } else if (want === 'capped') {
    const at = Date.parse(got ?? '');
    const limit = Date.now() + MAX_COOKIE_AGE_MS;
    assert.ok(at <= limit && at > limit - 60_000, `${name} expires ${got}, not 400 days from now`);
  } else {
    assert.equal(got, want, `${name} expiry`);
  }
}

describe('cookie corpus', () => {
  before(async () => {
    lab = await startCookieLab();
  });
  after(() => lab.close());

  test(`the corpus has at least 150 cases (${COOKIE_CASES.length})`, () => {
    assert.ok(COOKIE_CASES.length >= 150);
    const rules = new Set(COOKIE_CASES.map((c) => c.rule));
    assert.equal(rules.size, COOKIE_CASES.length, 'every rule is named once');
  });

  for (const c of COOKIE_CASES) {
    test(`${c.rule} [${c.ref}]`, async () => {
      const outcome = await lab.run(c);
      const want = c.engine ? c.engine.cookie : c.expect;
      assert.equal(outcome.cookie, want, `Cookie header (errors: ${outcome.errors.join('; ') || 'none'})`);
      for (const [name, expiry] of Object.entries(c.expires ?? {})) {
        checkExpiry(c, name, expiry, outcome.stored.get(name)?.expires);
      }
      for (const [name, sameSite] of Object.entries(c.sameSite ?? {})) {
        assert.equal(outcome.stored.get(name)?.sameSite, sameSite, `${name} SameSite`);
      }
    });
  }
});
