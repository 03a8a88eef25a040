// Hostile servers, part 2: oversized heads. A 60 KB header line is within
// the engine's limit (maxHeaderBytes, 256 KiB by default) and accepted; a
// head over the limit is a clear error; 10,000 Set-Cookie headers leave a
// jar that is still bounded and usable. After each case the same session
// still works with both origins and leaked nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MAX_COOKIES_PER_DOMAIN } from '../../../src/core/session/cookies';
import { DEFAULTS } from '../../../src/core/session/config';
import { get } from '../../helpers/sessions';
import { EVIL, type Lab, startLab } from './hostileLab';

const SET_COOKIES = 10_000;

let lab: Lab;
before(async () => {
  lab = await startLab({
    '/big-header': ({ request, reply }) => {
      const size = Number(new URL(request.path, 'http://x').searchParams.get('kb')) * 1024;
      reply(
        200,
        [
          ['X-Big', 'b'.repeat(size)],
          ['Set-Cookie', 'big=1; Path=/'],
        ],
        'big',
      );
    },
    '/many-cookies': ({ reply }) =>
      reply(
        200,
        Array.from({ length: SET_COOKIES }, (_, i) => ['Set-Cookie', `c${i}=${i}`] as const),
        'many',
      ),
  });
});
after(() => lab?.close());

test('a 60 KB header line is accepted whole', async (t) => {
  const session = await lab.session(t);

  const result = await session.send(get(lab.evil('/big-header?kb=60')));

  assert.equal(result.error, null);
  assert.equal(result.response?.text, 'big');
  const big = result.response?.headers.find(([name]) => name === 'X-Big')?.[1];
  assert.equal(big?.length, 60 * 1024);
  await lab.afterCase(session, 'big=1');
});

test('a head over the header limit is refused with the limit in the message', async (t) => {
  const session = await lab.session(t);
  const overDefault = DEFAULTS.maxHeaderBytes / 1024 + 8;

  const result = await session.send(get(lab.evil(`/big-header?kb=${overDefault}`)));

  assert.equal(result.error?.code, 'NETWORK');
  assert.equal(
    result.error?.message,
    `${EVIL}:${lab.hostile.port} (resolved to 127.0.0.1) sent response headers larger than the session's limit of 256 KiB (maxHeaderBytes) — check the server for runaway headers or cookies`,
  );
  assert.equal(result.response, null);
  // Nothing of a refused head reaches the jar.
  await lab.afterCase(session, null);
});

test('a lower maxHeaderBytes refuses the 60 KB line and names that limit', async (t) => {
  const session = await lab.session(t, { maxHeaderBytes: 32 * 1024 });

  const result = await session.send(get(lab.evil('/big-header?kb=60')));

  assert.equal(result.error?.code, 'NETWORK');
  assert.match(result.error?.message ?? '', /larger than the session's limit of 32 KiB \(maxHeaderBytes\)/);
  await lab.afterCase(session, null);
});

test(`${SET_COOKIES} Set-Cookie headers: the response arrives and the jar keeps ${MAX_COOKIES_PER_DOMAIN} for the domain`, async (t) => {
  const session = await lab.session(t);

  const result = await session.send(get(lab.evil('/many-cookies')));

  assert.equal(result.error, null);
  assert.equal(result.response?.text, 'many');
  // Storing them once took 14 s of blocked event loop (a jar scan per Set-Cookie); now well under a second.
  assert.ok(result.elapsedMs < 5000, `took ${result.elapsedMs} ms`);
  assert.equal(result.response?.headers.length, SET_COOKIES + 1);
  assert.match(
    result.warnings.join('\n'),
    new RegExp(`${SET_COOKIES - MAX_COOKIES_PER_DOMAIN} cookies were dropped from the jar`),
  );
  const jar = await session.cookies();
  const evil = jar.filter((c) => c.domain === EVIL);
  assert.equal(evil.length, MAX_COOKIES_PER_DOMAIN);
  // The latest ones stay: the least recently used go first.
  assert.deepEqual(
    evil.map((c) => c.name).sort(),
    Array.from(
      { length: MAX_COOKIES_PER_DOMAIN },
      (_, i) => `c${SET_COOKIES - MAX_COOKIES_PER_DOMAIN + i}`,
    ).sort(),
  );
  assert.deepEqual(
    jar.filter((c) => c.domain !== EVIL).map((c) => c.name),
    ['otherSid'],
  );
  const expected = Array.from(
    { length: MAX_COOKIES_PER_DOMAIN },
    (_, i) => `c${SET_COOKIES - MAX_COOKIES_PER_DOMAIN + i}=${SET_COOKIES - MAX_COOKIES_PER_DOMAIN + i}`,
  ).join('; ');
  await lab.afterCase(session, expected);
});
