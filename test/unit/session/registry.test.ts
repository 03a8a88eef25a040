import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SESSION, SessionRegistry } from '../../../src/core/session/registry';
import { startHttpServer } from '../../helpers/servers';
import { get } from '../../helpers/sessions';

test('sessions are created on first use, by name, with the shared config', async (t) => {
  const registry = new SessionRegistry({ timeoutMs: 1234 });
  t.after(() => registry.disposeAll());
  const created: string[] = [];
  registry.events.on('sessionCreated', (s) => created.push(s.name));

  const first = registry.get();
  const again = registry.get(DEFAULT_SESSION);
  const other = registry.get('admin');

  assert.equal(first, again);
  assert.equal(first.name, 'default');
  assert.notEqual(other, first);
  assert.equal(other.config.timeoutMs, 1234);
  assert.deepEqual(created, ['default', 'admin']);
  assert.deepEqual(
    registry.list().map((s) => s.name),
    ['default', 'admin'],
  );
});

test('sessions keep separate jars', async (t) => {
  const server = await startHttpServer({
    '/set': (_req, res) => {
      res.setHeader('Set-Cookie', 'who=default');
      res.end();
    },
    '/echo': (req, res) => res.end(req.headers.cookie ?? '(none)'),
  });
  t.after(() => server.close());
  const registry = new SessionRegistry();
  t.after(() => registry.disposeAll());

  await registry.get().send(get(server.url('/set')));
  const mine = await registry.get().send(get(server.url('/echo')));
  const theirs = await registry.get('other').send(get(server.url('/echo')));

  assert.equal(mine.response?.text, 'who=default');
  assert.equal(theirs.response?.text, '(none)');
});

test('disposeAll closes every session and its sockets', async (t) => {
  const server = await startHttpServer({ '/': (_req, res) => res.end('ok') });
  t.after(() => server.close());
  const registry = new SessionRegistry();
  const disposed: string[] = [];
  registry.events.on('sessionDisposed', (name) => disposed.push(name));

  await registry.get('a').send(get(server.url('/')));
  await registry.get('b').send(get(server.url('/')));
  assert.equal(server.openConnections, 2);
  await registry.disposeAll();

  assert.deepEqual(disposed.sort(), ['a', 'b']);
  assert.deepEqual(registry.list(), []);
  await server.waitForOpenConnections(0);
});
