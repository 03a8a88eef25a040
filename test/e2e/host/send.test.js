// Real requests to a local server through the commands a CodeLens runs, and the RunOutcome they return:
// keep-alive reuse, timing, the cookie jar, cURL export, unresolved variables, cancel, Markdown blocks.

const assert = require('node:assert/strict');
const vscode = require('vscode');
const {
  closeAllEditors,
  extensionApi,
  startLocalServer,
  waitFor,
  writeWorkspaceFile,
} = require('./helpers.js');

let fileCount = 0;
/** A fresh workspace file per test, so no earlier document or parse result is reused. */
function writeHttp(text, ext = 'http') {
  fileCount++;
  return writeWorkspaceFile(`generated/send-${fileCount}.${ext}`, text);
}

const send = (uri, line) => vscode.commands.executeCommand('httpSession.sendRequest', uri, line);

function assertSent(outcome, what) {
  assert.ok(outcome, `${what}: the command returned no outcome`);
  assert.equal(outcome.problem, null, `${what}: ${outcome.problem?.message}`);
  assert.ok(outcome.result, `${what}: no result`);
  assert.equal(outcome.result.error, null, `${what}: ${outcome.result.error?.message}`);
  return outcome.result;
}

const PHASES = ['dns', 'connect', 'tls', 'sent', 'firstByte', 'download'];

suite('send', () => {
  let server;
  setup(async () => {
    await extensionApi();
    server = await startLocalServer();
  });
  teardown(async () => {
    await closeAllEditors();
    await server.close();
  });

  test('two requests to one server: new connection, then the same one reused', async () => {
    const uri = await writeHttp(`GET ${server.url}/echo?n=1\n\n###\nGET ${server.url}/echo?n=2\n`);
    const first = assertSent(await send(uri, 0), 'first');
    const second = assertSent(await send(uri, 3), 'second');

    assert.equal(first.response.status, 200);
    assert.equal(second.response.status, 200);
    assert.equal(JSON.parse(second.response.text).path, '/echo?n=2');
    assert.equal(first.connection.reused, false, 'the first request opens a connection');
    assert.equal(first.connection.requestsOnConnection, 1);
    assert.equal(second.connection.reused, true, 'the second request reuses it');
    assert.equal(second.connection.id, first.connection.id);
    assert.equal(second.connection.requestsOnConnection, 2);
    assert.equal(server.connections, 1, 'the server saw one socket');
    assert.deepEqual(
      server.requests.map((r) => r.path),
      ['/echo?n=1', '/echo?n=2'],
    );
  });

  test('timing phases add up to the total', async () => {
    const uri = await writeHttp(`GET ${server.url}/echo\n\n###\nGET ${server.url}/echo?again\n`);
    for (const [line, reused] of [
      [0, false],
      [3, true],
    ]) {
      const result = assertSent(await send(uri, line), `line ${line}`);
      const timing = result.timing;
      const present = PHASES.filter((phase) => timing[phase] !== null);
      const sum = present.reduce((total, phase) => total + timing[phase], 0);
      assert.ok(
        Math.abs(sum - timing.total) <= 1,
        `phases ${JSON.stringify(timing)} sum to ${sum}, total is ${timing.total}`,
      );
      for (const phase of present) assert.ok(timing[phase] >= 0, `${phase} is negative: ${timing[phase]}`);
      assert.equal(timing.dns, null, 'no DNS for an IP literal');
      assert.equal(timing.tls, null, 'no TLS over http');
      if (reused) assert.equal(timing.connect, null, 'no connect on a reused connection');
      else assert.notEqual(timing.connect, null, 'a new connection has a connect phase');
    }
  });

  test('a cookie set by one response goes with the next request; resetSession clears it', async () => {
    const cookie = `e2e_${Date.now()}`;
    const uri = await writeHttp(
      `GET ${server.url}/cookies/set?${cookie}=yes\n\n###\nGET ${server.url}/cookies\n`,
    );
    const set = await send(uri, 0);
    assertSent(set, 'set');
    assert.ok(
      set.result.cookies.stored.some((c) => c.name === cookie && c.value === 'yes'),
      `the jar stored ${cookie}: ${JSON.stringify(set.result.cookies)}`,
    );
    assertSent(await send(uri, 3), 'with cookie');
    assert.match(server.requests.at(-1).headers.cookie ?? '', new RegExp(`\\b${cookie}=yes\\b`));

    await vscode.commands.executeCommand('httpSession.resetSession', set.session);
    const after = assertSent(await send(uri, 3), 'after reset');
    assert.doesNotMatch(server.requests.at(-1).headers.cookie ?? '', new RegExp(cookie));
    assert.equal(after.connection.reused, false, 'reset closes the pooled connections too');
  });

  test('copyAsCurl returns a command with the URL and headers', async () => {
    const uri = await writeHttp(
      `@token = abc123\nPOST ${server.url}/echo?q=1\nX-Test: {{token}}\nContent-Type: application/json\n\n{"a": 1}\n`,
    );
    const command = await vscode.commands.executeCommand('httpSession.copyAsCurl', uri, 1);
    assert.equal(typeof command, 'string', 'copyAsCurl returned no command');
    assert.match(command, /^curl /);
    assert.ok(command.includes(`${server.url}/echo?q=1`), command);
    assert.match(command, /X-Test: abc123/, 'variables are resolved');
    assert.match(command, /Content-Type: application\/json/);
    assert.match(command, /\{"a": 1\}/);
    assert.equal(server.requests.length, 0, 'copying sends nothing');
  });

  test('an unresolved variable is a problem naming it and its line; nothing is sent', async () => {
    const uri = await writeHttp(`GET ${server.url}/echo\n\n###\nGET ${server.url}/echo?x={{nope}}\n`);
    const outcome = await send(uri, 3);
    assert.ok(outcome, 'no outcome');
    assert.equal(outcome.result, null, 'nothing was sent');
    assert.ok(outcome.problem, 'no problem reported');
    assert.match(outcome.problem.message, /nope/);
    assert.equal(outcome.problem.line, 4, 'the 1-based line of the request');
    assert.match(outcome.problem.message, /\b4\b/, `the message names the line: ${outcome.problem.message}`);
    // Let anything in flight arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(server.requests.length, 0);
  });

  test('cancelRequest aborts a slow request', async () => {
    const uri = await writeHttp(`GET ${server.url}/slow?ms=20000\n`);
    const started = Date.now();
    const pending = send(uri, 0);
    await waitFor(() => server.requests.length === 1, {
      timeout: 15_000,
      message: 'the slow request to arrive',
    });
    await vscode.commands.executeCommand('httpSession.cancelRequest', uri, 0);
    const outcome = await pending;
    const elapsed = Date.now() - started;
    assert.ok(outcome?.result, `no result: ${JSON.stringify(outcome?.problem)}`);
    assert.equal(outcome.result.error?.code, 'CANCELLED', JSON.stringify(outcome.result.error));
    assert.equal(outcome.result.response, null, 'no response for a cancelled request');
    assert.ok(elapsed < 15_000, `the command resolved only after ${elapsed} ms`);
    await waitFor(() => server.requests[0].aborted, { message: 'the server to see the client go away' });
  });

  test('onDidFinish reports each outcome', async () => {
    const api = await extensionApi();
    const seen = [];
    const listener = api.engine().send.onDidFinish((outcome) => seen.push(outcome));
    try {
      const uri = await writeHttp(`GET ${server.url}/status/204\n`);
      const outcome = await send(uri, 0);
      assert.equal(outcome.result.response.status, 204);
      assert.equal(seen.length, 1);
      assert.equal(seen[0].result.response.status, 204);
    } finally {
      listener.dispose();
    }
  });

  test('Send All sends every request in file order, through one session', async () => {
    const uri = await writeHttp(
      `GET ${server.url}/cookies/set?all=1\n\n###\nGET ${server.url}/echo?n=2\n\n###\nGET ${server.url}/echo?n=3\n`,
    );
    const outcomes = await vscode.commands.executeCommand('httpSession.sendAll', uri);
    assert.equal(outcomes.length, 3);
    for (const outcome of outcomes) assertSent(outcome, outcome.request.url);
    assert.deepEqual(
      server.requests.map((r) => r.path),
      ['/cookies/set?all=1', '/echo?n=2', '/echo?n=3'],
    );
    assert.match(server.requests[2].headers.cookie ?? '', /\ball=1\b/, 'the jar carries over');
    assert.equal(server.connections, 1, 'one keep-alive connection for all three');
  });

  test('cancelling Send All stops it: the running request is aborted and the rest are not sent', async () => {
    const uri = await writeHttp(
      `GET ${server.url}/slow?ms=20000\n\n###\nGET ${server.url}/echo?never=1\n\n###\nGET ${server.url}/echo?never=2\n`,
    );
    const pending = vscode.commands.executeCommand('httpSession.sendAll', uri);
    await waitFor(() => server.requests.length === 1, { timeout: 15_000, message: 'the first request' });
    // No line: everything running for this document, as the keybinding does.
    await vscode.commands.executeCommand('httpSession.cancelRequest', uri);
    const outcomes = await pending;
    assert.equal(outcomes.length, 1, `outcomes: ${outcomes.map((o) => o.request.url).join(', ')}`);
    assert.equal(outcomes[0].result.error?.code, 'CANCELLED');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(
      server.requests.map((r) => r.path),
      ['/slow?ms=20000'],
    );
  });

  test('a fenced http block in Markdown can be sent', async () => {
    const uri = await writeHttp(
      [
        '# Notes',
        '',
        'Prose.',
        '',
        '```http',
        `GET ${server.url}/echo?from=markdown`,
        '```',
        '',
        'More prose.',
        '',
      ].join('\n'),
      'md',
    );
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.languageId, 'markdown');
    const outcome = await send(uri, 5);
    const result = assertSent(outcome, 'markdown');
    assert.equal(result.response.status, 200);
    assert.deepEqual(
      server.requests.map((r) => r.path),
      ['/echo?from=markdown'],
    );
  });
});
