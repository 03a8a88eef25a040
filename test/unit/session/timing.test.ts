import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeTiming, type TimingMarks } from '../../../src/core/session/timing';
import type { Timing } from '../../../src/core/session/types';
import { testCertificate } from '../../helpers/certificates';
import { startHttpServer, startHttpsServer } from '../../helpers/servers';
import { get, testSession } from '../../helpers/sessions';

function assertTiles(timing: Timing): void {
  const { total, ...phases } = timing;
  const sum = Object.values(phases).reduce<number>((acc, ms) => acc + (ms ?? 0), 0);
  assert.ok(Math.abs(sum - total) <= 1, `phases add up to ${sum}, total is ${total}`);
  for (const [phase, ms] of Object.entries(phases)) {
    assert.ok(ms === null || ms >= 0, `${phase} is ${ms}`);
  }
}

const present = (timing: Timing) =>
  Object.entries(timing)
    .filter(([name, ms]) => name !== 'total' && ms !== null)
    .map(([name]) => name);

const pureCases: readonly { rule: string; marks: TimingMarks; expect: Timing }[] = [
  {
    rule: 'each phase runs from the previous present phase to its own end',
    marks: {
      start: 100,
      end: 160,
      done: { dns: 105, connect: 110, tls: 130, sent: 131, firstByte: 150, download: 160 },
      running: null,
    },
    expect: { dns: 5, connect: 5, tls: 20, sent: 1, firstByte: 19, download: 10, total: 60 },
  },
  {
    rule: 'missing phases are null and the next phase starts where the last present one ended',
    marks: { start: 0, end: 10, done: { sent: 2, firstByte: 7, download: 10 }, running: null },
    expect: { dns: null, connect: null, tls: null, sent: 2, firstByte: 5, download: 3, total: 10 },
  },
  {
    rule: 'a hop that stopped early gives the rest to the phase that was running',
    marks: { start: 0, end: 500, done: { connect: 1 }, running: 'tls' },
    expect: { dns: null, connect: 1, tls: 499, sent: null, firstByte: null, download: null, total: 500 },
  },
  {
    rule: 'a hop that never got a connection spends all its time in connect',
    marks: { start: 0, end: 200, done: {}, running: 'connect' },
    expect: { dns: null, connect: 200, tls: null, sent: null, firstByte: null, download: null, total: 200 },
  },
  {
    rule: 'marks before the start (a connection opened earlier) are clamped to zero',
    marks: {
      start: 50,
      end: 60,
      done: { connect: 40, sent: 52, firstByte: 55, download: 60 },
      running: null,
    },
    expect: { dns: null, connect: 0, tls: null, sent: 2, firstByte: 3, download: 5, total: 10 },
  },
  {
    rule: 'marks seen out of order never make a phase negative',
    marks: { start: 0, end: 10, done: { sent: 6, firstByte: 4, download: 10 }, running: null },
    expect: { dns: null, connect: null, tls: null, sent: 6, firstByte: 0, download: 4, total: 10 },
  },
  {
    rule: 'phases are rounded to 1/100 ms and still add up',
    marks: { start: 0.001, end: 3.336, done: { sent: 1.114, firstByte: 2.227 }, running: 'download' },
    expect: { dns: null, connect: null, tls: null, sent: 1.11, firstByte: 1.12, download: 1.11, total: 3.34 },
  },
];

for (const { rule, marks, expect } of pureCases) {
  test(`timing: ${rule}`, () => {
    const timing = computeTiming(marks);
    assert.deepEqual(timing, expect);
    assertTiles(timing);
  });
}

test('a new http connection to an IP literal has connect but no dns or tls; a reused one has neither', async (t) => {
  const server = await startHttpServer({ '/': (_req, res) => res.end('ok') });
  t.after(() => server.close());
  const session = testSession(t);

  const fresh = await session.send(get(server.url('/')));
  const reused = await session.send(get(server.url('/')));

  assert.deepEqual(present(fresh.timing), ['connect', 'sent', 'firstByte', 'download']);
  assert.deepEqual(present(reused.timing), ['sent', 'firstByte', 'download']);
  assertTiles(fresh.timing);
  assertTiles(reused.timing);
});

test('a host name that needs a lookup has a dns phase', async (t) => {
  const server = await startHttpServer({ '/': (_req, res) => res.end('ok') });
  t.after(() => server.close());
  const session = testSession(t);

  const result = await session.send(get(server.url('/', 'localhost')));

  assert.equal(result.error, null);
  assert.deepEqual(present(result.timing), ['dns', 'connect', 'sent', 'firstByte', 'download']);
  assertTiles(result.timing);
});

test('a new https connection has a tls phase; a resolve rule means no dns phase', async (t) => {
  const { ca } = await testCertificate();
  const server = await startHttpsServer({ '/': (_req, res) => res.end('ok') });
  t.after(() => server.close());
  const session = testSession(t, { ca, resolve: [{ host: 'home.example.org', address: '127.0.0.1' }] });

  const fresh = await session.send(get(server.url('/', 'home.example.org')));
  const reused = await session.send(get(server.url('/', 'home.example.org')));

  assert.equal(fresh.error, null);
  assert.deepEqual(present(fresh.timing), ['connect', 'tls', 'sent', 'firstByte', 'download']);
  assert.ok((fresh.timing.tls ?? 0) > 0);
  assert.deepEqual(present(reused.timing), ['sent', 'firstByte', 'download']);
  assertTiles(fresh.timing);
});

test('waiting for the server counts as firstByte and a slow body as download', async (t) => {
  const server = await startHttpServer({
    '/': (_req, res) => {
      setTimeout(() => {
        res.writeHead(200, { 'Content-Length': '4' });
        res.write('ab');
        setTimeout(() => res.end('cd'), 120);
      }, 120);
    },
  });
  t.after(() => server.close());
  const session = testSession(t);

  const result = await session.send(get(server.url('/')));

  assert.equal(result.response?.text, 'abcd');
  assert.ok((result.timing.firstByte ?? 0) >= 100, `firstByte ${result.timing.firstByte}`);
  assert.ok((result.timing.download ?? 0) >= 100, `download ${result.timing.download}`);
  assert.ok(result.timing.total >= 200);
  assertTiles(result.timing);
});
