// Hostile servers, part 3: redirects. Loops (plain, and one that changes its
// cookie every time so no hop repeats), a chain one past the limit, a
// downgrade from https to http, a jump to another port and to another origin
// with credentials written in the request. The rules themselves are pinned in
// redirects.test.ts and redirectRules.test.ts; here what matters is what the
// other side received and that the session is fine afterwards.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { testCertificate } from '../../helpers/certificates';
import { get } from '../../helpers/sessions';
import { EVIL, type Lab, OTHER, startLab } from './hostileLab';
import { type HostileServer, headerOf, startHostileServer } from './hostileServer';

const CREDENTIALS: readonly (readonly [string, string])[] = [
  ['Authorization', 'Bearer secret-token'],
  ['Proxy-Authorization', 'Basic cHJveHk6cHc='],
  ['Cookie', 'written=1'],
];

const param = (path: string, name: string) => new URL(path, 'http://x').searchParams.get(name);

let lab: Lab;
/** Plain http on another port, same host name: where the downgrade and the port jump land. */
let second: HostileServer;
let secure: HostileServer;

before(async () => {
  second = await startHostileServer({
    '/land': ({ reply }) => reply(200, [], 'landed'),
  });
  const { key, cert } = await testCertificate();
  secure = await startHostileServer(
    {
      '/downgrade': ({ reply }) =>
        reply(
          302,
          [
            ['Set-Cookie', 'sec=1; Secure; Path=/'],
            ['Set-Cookie', 'plain=1; Path=/'],
            ['Location', second.url('/land', EVIL)],
          ],
          '',
        ),
    },
    { key, cert },
  );
  lab = await startLab({
    '/loop': ({ reply }) => reply(302, [['Location', '/loop']]),
    '/spin': ({ request, reply }) => {
      const n = Number(/spin=(\d+)/.exec(headerOf(request, 'cookie') ?? '')?.[1] ?? 0) + 1;
      reply(302, [
        ['Set-Cookie', `spin=${n}; Path=/`],
        ['Location', '/spin'],
      ]);
    },
    '/chain': ({ request, reply }) => {
      const n = Number(param(request.path, 'n'));
      const to = Number(param(request.path, 'to'));
      if (n >= to) reply(200, [], `end of chain at ${n}`);
      else reply(302, [['Location', `/chain?n=${n + 1}&to=${to}`]]);
    },
    '/to-port': ({ reply }) =>
      reply(307, [
        ['Set-Cookie', 'port=1; Path=/'],
        ['Location', second.url('/land', EVIL)],
      ]),
    '/to-other': ({ reply }) =>
      reply(302, [
        ['Set-Cookie', 'evilSid=e1; Path=/'],
        ['Location', lab.otherUrl('/land')],
      ]),
    '/to-file': ({ reply }) => reply(302, [['Location', 'file:///etc/passwd']], 'not there'),
  });
  lab.other.route('/land', (_req, res) => res.end('other landed'));
});
after(() => Promise.all([lab?.close(), second?.close(), secure?.close()]));

test('a redirect to itself is REDIRECT_LOOP after one hop', async (t) => {
  const session = await lab.session(t);

  const result = await session.send(get(lab.evil('/loop')));

  assert.equal(result.error?.code, 'REDIRECT_LOOP');
  assert.equal(
    result.error?.message,
    `Redirect loop: GET ${lab.evil('/loop')} was reached again with the same cookies after 1 redirect — check the Location chain and the login cookies`,
  );
  assert.equal(result.hops.length, 1);
  await lab.afterCase(session, null);
});

test('a loop that sets a new cookie on every hop stops at the redirect limit', async (t) => {
  const session = await lab.session(t);

  const result = await session.send(get(lab.evil('/spin')));

  assert.equal(result.error?.code, 'TOO_MANY_REDIRECTS');
  assert.match(
    result.error?.message ?? '',
    /^Stopped after 20 redirects \(the limit\) at http:\/\/evil\.example\.org:\d+\/spin — /,
  );
  assert.equal(result.hops.length, 21);
  // Every hop's cookie replaced the last: one cookie, from the 21st response.
  await lab.afterCase(session, 'spin=21');
});

test('20 redirects are followed; 21 are TOO_MANY_REDIRECTS naming where it stopped', async (t) => {
  const session = await lab.session(t);

  const twenty = await session.send(get(lab.evil('/chain?n=0&to=20')));
  const twentyOne = await session.send(get(lab.evil('/chain?n=0&to=21')));

  assert.equal(twenty.error, null);
  assert.equal(twenty.response?.text, 'end of chain at 20');
  assert.equal(twentyOne.error?.code, 'TOO_MANY_REDIRECTS');
  assert.equal(
    twentyOne.error?.message,
    `Stopped after 20 redirects (the limit) at ${lab.evil('/chain?n=20&to=21')} — the server keeps redirecting; check the Location chain or raise the limit`,
  );
  assert.equal(twentyOne.response?.status, 302);
  await lab.afterCase(session, null);
});

test('https → http: followed without the written credentials, and the Secure cookie stays behind', async (t) => {
  const { ca } = await testCertificate();
  const session = await lab.session(t, { ca });

  const result = await session.send(get(secure.url('/downgrade', EVIL), CREDENTIALS));

  assert.equal(result.error, null, result.error?.message);
  assert.equal(result.response?.text, 'landed');
  const landed = second.requests.at(-1);
  assert.equal(headerOf(landed, 'authorization'), null);
  assert.equal(headerOf(landed, 'proxy-authorization'), null);
  assert.equal(headerOf(landed, 'cookie'), 'plain=1');
  // The first hop, same origin as written, did carry them.
  assert.equal(headerOf(secure.requests.at(-1), 'authorization'), 'Bearer secret-token');
  await lab.afterCase(session, 'plain=1');
});

test('a redirect to another port drops written credentials; the jar cookies of the host still go', async (t) => {
  const session = await lab.session(t);

  const result = await session.send(get(lab.evil('/to-port'), CREDENTIALS));

  assert.equal(result.error, null, result.error?.message);
  assert.equal(result.response?.text, 'landed');
  const landed = second.requests.at(-1);
  assert.equal(headerOf(landed, 'authorization'), null);
  assert.equal(headerOf(landed, 'proxy-authorization'), null);
  assert.equal(headerOf(landed, 'cookie'), 'port=1');
  await lab.afterCase(session, 'port=1');
});

test('a cross-origin redirect: written Authorization, Proxy-Authorization and Cookie never reach the other origin', async (t) => {
  const session = await lab.session(t);

  const result = await session.send(get(lab.evil('/to-other'), CREDENTIALS));

  assert.equal(result.error, null, result.error?.message);
  assert.equal(result.response?.text, 'other landed');
  const landed = lab.other.requests.at(-1)!;
  const seen = (name: string) => landed.headers.find(([n]) => n.toLowerCase() === name)?.[1] ?? null;
  assert.equal(landed.url, '/land');
  assert.equal(seen('authorization'), null);
  assert.equal(seen('proxy-authorization'), null);
  // Only the jar's cookie for that host: not the written one, not the redirecting host's.
  assert.equal(seen('cookie'), 'otherSid=o1');
  assert.equal(seen('host'), `${OTHER}:${lab.other.port}`);
  // The written cookie went to the origin it was written for, and never into the jar.
  assert.equal(lab.hostile.header('cookie'), 'written=1');
  await lab.afterCase(session, 'evilSid=e1');
});

test('a Location with a non-http scheme is not followed; the redirect is the answer, with a warning', async (t) => {
  const session = await lab.session(t);

  const result = await session.send(get(lab.evil('/to-file')));

  assert.equal(result.error, null);
  assert.equal(result.response?.status, 302);
  assert.equal(result.response?.text, 'not there');
  assert.deepEqual(result.warnings, ['redirect to file: URL not followed; showing the 302 response']);
  await lab.afterCase(session, null);
});
