import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MASK } from '../../../src/core/mask';
import { createJar } from '../../../src/core/session/cookies';
import type { ConnectionView } from '../../../src/core/session';
import { listCookieEntries } from '../../../src/extension/sidebar/jarEdits';
import {
  buildSessionModel,
  type CookieEntry,
  code,
  cookieDescription,
  cookieHeader,
  cookieTooltip,
  formatDate,
  relative,
  shorten,
} from '../../../src/extension/sidebar/treeModel';

const NOW = new Date('2030-06-01T12:00:00.000Z');
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs).toISOString();
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

function entry(over: Partial<CookieEntry> = {}): CookieEntry {
  return {
    name: 'sid',
    value: 'secret-value',
    domain: 'example.com',
    path: '/',
    expires: null,
    secure: false,
    httpOnly: false,
    sameSite: null,
    hostOnly: true,
    created: at(-2 * HOUR),
    lastAccessed: at(-5 * MIN),
    ...over,
  };
}

function connection(over: Partial<ConnectionView> = {}): ConnectionView {
  return {
    id: 1,
    origin: 'https://example.com',
    remoteAddress: '127.0.0.1:443',
    requests: 1,
    state: 'idle',
    insecure: false,
    ...over,
  };
}

function model(cookies: readonly CookieEntry[], connections: readonly ConnectionView[] = [], masked = false) {
  return buildSessionModel({ name: 'default', cookies, connections, now: NOW, masked });
}

const wellFormed = (text: string) =>
  !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

/** The tooltip's table as `{ row: value }`. */
function rows(tooltip: string): Record<string, string> {
  return Object.fromEntries(
    tooltip
      .split('\n')
      .map((line) => /^\| (.+?) \| (.*) \|$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null && m[1] !== '---')
      .map((m) => [m[1]!, m[2]!]),
  );
}

describe('cookies by domain', () => {
  test('cookies are grouped by domain, subdomains next to their parent, names sorted', () => {
    const m = model([
      entry({ name: 'b', domain: 'example.com' }),
      entry({ name: 'x', domain: 'other.org' }),
      entry({ name: 'a', domain: 'example.com' }),
      entry({ name: 'k', domain: 'api.example.com' }),
      entry({ name: 'z', domain: 'exampleb.com' }),
    ]);
    assert.deepEqual(
      m.domains.map((d) => [d.label, d.description, d.cookies.map((c) => c.label)]),
      [
        ['example.com', '2 cookies', ['a', 'b']],
        ['api.example.com', '1 cookie', ['k']],
        ['exampleb.com', '1 cookie', ['z']],
        ['other.org', '1 cookie', ['x']],
      ],
    );
  });

  test('one name on two paths is two cookies, told apart by the path in the description', () => {
    const m = model([entry({ path: '/api', value: 'b' }), entry({ path: '/', value: 'a' })]);
    const cookies = m.domains[0]!.cookies;
    assert.deepEqual(
      cookies.map((c) => [c.label, c.description]),
      [
        ['sid', 'a'],
        ['sid', 'b · /api'],
      ],
    );
    assert.notEqual(cookies[0]!.id, cookies[1]!.id);
    assert.deepEqual(cookies[1]!.key, {
      session: 'default',
      domain: 'example.com',
      path: '/api',
      name: 'sid',
    });
  });

  test('expired cookies are dropped from groups and counts', () => {
    const m = model([
      entry({ name: 'gone', expires: at(-1) }),
      entry({ name: 'edge', expires: at(0) }),
      entry({ name: 'alive', expires: at(HOUR) }),
      entry({ name: 'other', domain: 'old.example.org', expires: at(-DAY) }),
    ]);
    assert.deepEqual(
      m.domains.map((d) => d.cookies.map((c) => c.label)),
      [['alive']],
    );
    assert.equal(m.cookieCount, 1);
    assert.equal(m.description, '1 cookie · 0 connections');
  });

  test('the next expiry is the soonest of the cookies still alive', () => {
    assert.equal(
      model([entry({ name: 'a', expires: at(2 * HOUR) }), entry({ name: 'b', expires: at(HOUR) })])
        .nextExpiry,
      NOW.getTime() + HOUR,
    );
    assert.equal(model([entry({ expires: null })]).nextExpiry, null);
    assert.equal(model([entry({ expires: at(-HOUR) })]).nextExpiry, null);
  });

  test('ids are unique over sessions, domains and cookies', () => {
    const cookies = [
      entry({ domain: 'a.org' }),
      entry({ domain: 'b.org' }),
      entry({ domain: 'b.org', path: '/x' }),
    ];
    const one = model(cookies);
    const two = buildSessionModel({ name: 'two', cookies, connections: [], now: NOW, masked: false });
    const ids = [one, two].flatMap((m) => [
      m.id,
      ...m.domains.flatMap((d) => [d.id, ...d.cookies.map((c) => c.id)]),
    ]);
    assert.equal(new Set(ids).size, ids.length);
  });
});

describe('cookie descriptions and tooltips', () => {
  test('the description is the value, shortened, or (empty)', () => {
    assert.equal(cookieDescription(entry({ value: 'abc' }), false), 'abc');
    assert.equal(cookieDescription(entry({ value: '' }), false), '(empty)');
    const long = cookieDescription(entry({ value: 'v'.repeat(100) }), false);
    assert.equal(long, `${'v'.repeat(39)}…`);
  });

  test('shortening never splits a character in two', () => {
    const text = `${'a'.repeat(38)}😀😀😀`;
    const short = shorten(text);
    assert.ok(short.endsWith('…'));
    assert.ok(short.length <= 40);
    assert.ok(wellFormed(short), JSON.stringify(short));
    assert.ok(wellFormed(shorten('😀'.repeat(30), 10)));
  });

  test('masked, the value appears nowhere: not in label, description, tooltip or id', () => {
    const m = model([entry({ value: 'hunter2-token', path: '/api' })], [], true);
    const c = m.domains[0]!.cookies[0]!;
    for (const text of [c.label, c.description, c.tooltip, c.id, m.tooltip, m.description]) {
      assert.ok(!text.includes('hunter2'), text);
    }
    assert.equal(c.description, `${MASK} · /api`);
    assert.match(c.tooltip, /^\*\*sid\*\* = •••• \*\(hidden: httpSession\.maskSecrets\)\*/);
  });

  test('unmasked, the tooltip shows the value as code', () => {
    const tip = cookieTooltip(entry({ value: 'a`b' }), NOW, false);
    assert.equal(tip.split('\n')[0], '**sid** = ``a`b``');
  });

  test('the tooltip lists every attribute of a full cookie', () => {
    const tip = cookieTooltip(
      entry({
        domain: 'example.com',
        hostOnly: false,
        path: '/api',
        expires: at(3 * HOUR),
        secure: true,
        httpOnly: true,
        sameSite: 'strict',
        created: at(-2 * DAY),
        lastAccessed: at(-90_000),
      }),
      NOW,
      false,
    );
    assert.deepEqual(rows(tip), {
      Domain: '`example.com` and its subdomains',
      Path: '`/api`',
      Expires: '2030-06-01 15:00:00 UTC (in 3 h)',
      Secure: 'yes',
      HttpOnly: 'yes',
      SameSite: 'Strict',
      'Host-only': 'no',
      Created: '2030-05-30 12:00:00 UTC (2 d ago)',
      'Last set or sent': '2030-06-01 11:58:30 UTC (1 min ago)',
    });
  });

  test('the tooltip of a bare session cookie says session, not set and unknown', () => {
    assert.deepEqual(rows(cookieTooltip(entry({ created: null, lastAccessed: null }), NOW, false)), {
      Domain: '`example.com` only',
      Path: '`/`',
      Expires: 'session (until the session is reset)',
      Secure: 'no',
      HttpOnly: 'no',
      SameSite: 'not set',
      'Host-only': 'yes',
      Created: 'unknown',
      'Last set or sent': 'unknown',
    });
  });

  test('markdown in names and pipes in paths cannot break the tooltip', () => {
    const tip = cookieTooltip(entry({ name: '*x*_[y](z)', path: '/a|b' }), NOW, false);
    assert.ok(tip.startsWith('**\\*x\\*\\_\\[y\\]\\(z\\)** = '), tip);
    assert.equal(rows(tip)['Path'], '`/a\\|b`');
  });

  test('dates read the same on every machine, relative times are coarse', () => {
    assert.equal(formatDate('2026-01-02T03:04:05.999Z'), '2026-01-02 03:04:05 UTC');
    assert.equal(formatDate('not a date'), 'not a date');
    assert.equal(relative(at(5 * MIN + 30_000), NOW), 'in 5 min');
    assert.equal(relative(at(-3 * HOUR), NOW), '3 h ago');
    assert.equal(relative(at(400), NOW), 'in 0 s');
    assert.equal(relative(at(-45 * DAY), NOW), '45 d ago');
  });

  test('an inline code span survives backticks and shows empty text', () => {
    assert.equal(code('plain'), '`plain`');
    assert.equal(code('a``b'), '```a``b```');
    assert.equal(code('`x'), '`` `x ``');
    assert.equal(code(''), '*(empty)*');
  });
});

describe('connections by origin', () => {
  test('connections are grouped by origin with socket and busy counts', () => {
    const m = model(
      [],
      [
        connection({ id: 3, origin: 'https://b.org', requests: 2, state: 'busy' }),
        connection({ id: 1, origin: 'https://a.org', requests: 1 }),
        connection({ id: 2, origin: 'https://b.org', requests: 5, insecure: true, remoteAddress: null }),
      ],
    );
    assert.deepEqual(
      m.origins.map((o) => [
        o.label,
        o.description,
        o.connections.map((c) => [c.label, c.description, c.busy]),
      ]),
      [
        ['https://a.org', '1 socket', [['#1', '1 request · idle', false]]],
        [
          'https://b.org',
          '2 sockets, 1 busy',
          [
            ['#2', '5 requests · idle · TLS unverified', false],
            ['#3', '2 requests · busy', true],
          ],
        ],
      ],
    );
    assert.equal(
      m.origins[1]!.connections[0]!.tooltip,
      'Connection #2 to https://b.org\nRequests carried: 5\nState: idle\nTLS verification off for this connection',
    );
    assert.equal(
      m.origins[0]!.connections[0]!.tooltip,
      'Connection #1 to https://a.org\nRemote address: 127.0.0.1:443\nRequests carried: 1\nState: idle',
    );
    assert.equal(m.description, '0 cookies · 3 connections');
    assert.equal(m.tooltip, 'Session "default": 0 cookies · 3 connections');
  });
});

describe('from a real jar', () => {
  test('what tough-cookie stores shows with its dates and flags', async () => {
    const jar = createJar();
    const now = new Date();
    await jar.setCookie('sid=abc; Path=/; Secure; HttpOnly; SameSite=Lax', 'https://example.com/', { now });
    await jar.setCookie('wide=1; Domain=example.com; Max-Age=3600', 'https://api.example.com/', { now });
    await jar.setCookie('old=1; Max-Age=60', 'https://example.com/', { now: new Date(now.getTime() - HOUR) });

    const cookies = await listCookieEntries(jar, now);
    const m = buildSessionModel({ name: 'default', cookies, connections: [], now, masked: false });

    assert.deepEqual(
      m.domains.map((d) => [d.domain, d.cookies.map((c) => c.label)]),
      [['example.com', ['sid', 'wide']]],
    );
    const [sid, wide] = m.domains[0]!.cookies;
    const sidRows = rows(sid!.tooltip);
    assert.equal(sidRows['Secure'], 'yes');
    assert.equal(sidRows['HttpOnly'], 'yes');
    assert.equal(sidRows['SameSite'], 'Lax');
    assert.equal(sidRows['Host-only'], 'yes');
    assert.equal(sidRows['Created'], `${formatDate(now.toISOString())} (in 0 s)`);
    assert.equal(rows(wide!.tooltip)['Domain'], '`example.com` and its subdomains');
    assert.match(rows(wide!.tooltip)['Expires']!, /\(in 59 min\)$|\(in 1 h\)$/);
  });

  test('a Cookie header lists the cookies given, in order', () => {
    assert.equal(
      cookieHeader([
        { name: 'a', value: '1' },
        { name: 'b', value: '' },
      ]),
      'Cookie: a=1; b=',
    );
  });
});
