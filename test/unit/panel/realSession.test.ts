// The panel over real SendResults: a local server, a real session, the view
// model and the page, checked together so the panel keeps up with what the
// session engine actually reports.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderResponseHtml } from '../../../src/extension/panel/html';
import { buildResponseView } from '../../../src/extension/panel/viewModel';
import { startHttpServer } from '../../helpers/servers';
import { get, testSession } from '../../helpers/sessions';
import { NONCE, RESOURCES } from './fixtures';
import { scanHtml } from './tags';

test('two requests on one session: a new connection, then the same one reused, with the cookie it set', async (t) => {
  const server = await startHttpServer({
    '/login': (_req, res) => {
      res.setHeader('Set-Cookie', 'sid=s3cr3t; Path=/; HttpOnly');
      res.setHeader('Content-Type', 'application/json');
      res.end('{"user":"alice","roles":["admin"]}');
    },
    '/page': (_req, res) => {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end('<script>alert(1)</script><p>hi</p>');
    },
  });
  t.after(() => server.close());
  const session = testSession(t);

  const first = buildResponseView({
    result: await session.send(get(server.url('/login'))),
    sessionName: 'test',
  });
  assert.equal(first.connectionLabel, 'new connection #1');
  assert.equal(first.status?.httpVersion, 'HTTP/1.1');
  assert.equal(first.body.kind, 'json');
  assert.deepEqual(
    first.cookies.stored.map((c) => [c.name, c.value, c.flags.includes('HttpOnly')]),
    [['sid', '••••', true]],
  );

  const second = buildResponseView({
    result: await session.send(get(server.url('/page'))),
    sessionName: 'test',
  });
  assert.equal(second.connectionLabel, 'reused connection #1 (request 2 on it)');
  assert.deepEqual(
    second.timing.segments.filter((s) => s.absent).map((s) => [s.phase, s.reason]),
    [
      ['dns', 'reused connection'],
      ['connect', 'reused connection'],
      ['tls', 'plain HTTP, no TLS'],
    ],
  );
  const cookieHeader = second.request?.headers.find((h) => h.name.toLowerCase() === 'cookie');
  assert.equal(cookieHeader?.value, 'sid=••••');
  const html = renderResponseHtml(second, RESOURCES, NONCE);
  assert.equal(scanHtml(html).tags.filter((tag) => tag.name === 'script' && !tag.closing).length, 1);
  assert.ok(scanHtml(html).text.includes('<script>alert(1)</script><p>hi</p>'));
});
