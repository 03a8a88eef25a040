// Variables in the editor, through VS Code's own provider commands: hover (value, origin, secrets masked),
// completion, go to definition, diagnostics for unknown names and missing requests, the environment picker
// — and a chained, environment-backed send whose secret stays out of the output log.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vscode = require('vscode');
const { extensionApi, send, startLocalServer, waitFor, writeWorkspaceFile } = require('./helpers.js');

const SECRET = 'tok-SECRET-4711';

/** Position of the `nth` occurrence of `needle` in the document, plus `offset` characters. */
function positionOf(document, needle, offset = 0, nth = 0) {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = document.getText().indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} not in the document`);
  return document.positionAt(at + offset);
}

/** The `HTTP Session` output channel's file, as this run's extension host wrote it (see lib/hostLayer.mjs). */
function outputLog() {
  const logs = path.resolve(__dirname, '../.run/host/user-data/logs');
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'HTTP Session.log') files.push(full);
    }
  };
  walk(logs);
  assert.ok(files.length > 0, `no HTTP Session.log under ${logs}`);
  const newest = files.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
  return fs.readFileSync(newest, 'utf8');
}

const hoverText = (hovers) =>
  hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');

suite('variables in the editor', () => {
  let server;
  let document;

  suiteSetup(async () => {
    await extensionApi();
    server = await startLocalServer({
      'POST /api/login': (req, res) =>
        send(res, 200, { user: 'alice', auth: req.headers.authorization ?? null }, { 'x-token': 'hdr-77' }),
      'GET /api/me': (req, res) => send(res, 200, { path: req.url }),
    });
    const dir = 'generated/vars';
    await writeWorkspaceFile(
      `${dir}/http-client.env.json`,
      JSON.stringify({
        $shared: { apiVersion: 'v2' },
        dev: { host: server.url },
        prod: { host: 'https://prod.invalid' },
      }),
    );
    await writeWorkspaceFile(
      `${dir}/http-client.private.env.json`,
      JSON.stringify({ dev: { token: SECRET } }),
    );
    const uri = await writeWorkspaceFile(
      `${dir}/api.http`,
      [
        '@base = {{host}}/api',
        '',
        '# @name login',
        'POST {{base}}/login',
        'Authorization: Bearer {{token}}',
        '',
        '###',
        '# @name me',
        'GET {{base}}/me?v={{apiVersion}}&u={{login.response.body.$.user}}&t={{login.response.headers.X-Token}}&k={{token}}',
        '',
        '###',
        'GET {{base}}/nowhere?x={{nope}}&y={{ghost.response.body.$.id}}',
        '',
      ].join('\n'),
    );
    await vscode.commands.executeCommand('httpSession.selectEnvironment', 'dev');
    document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('httpSession.selectEnvironment', null);
    await server?.close();
  });

  test('hover: a file variable shows its value and origin', async () => {
    const hovers = await vscode.commands.executeCommand(
      'vscode.executeHoverProvider',
      document.uri,
      positionOf(document, '{{base}}', 3),
    );
    const text = hoverText(hovers);
    assert.ok(text.includes(`${server.url}/api`), text);
    assert.match(text, /file variable/i);
  });

  test('hover: a private-env secret is masked', async () => {
    const hovers = await vscode.commands.executeCommand(
      'vscode.executeHoverProvider',
      document.uri,
      positionOf(document, '{{token}}', 3),
    );
    const text = hoverText(hovers);
    assert.ok(!text.includes(SECRET), `the secret shows in the hover: ${text}`);
    assert.match(text, /private/i);
    assert.match(text, /secret, masked/);
  });

  test('completion after {{ offers variables, system variables and request names', async () => {
    const line = document.lineAt(positionOf(document, '{{apiVersion}}').line);
    const at = new vscode.Position(line.lineNumber, line.text.indexOf('{{apiVersion}}') + 2);
    const list = await vscode.commands.executeCommand(
      'vscode.executeCompletionItemProvider',
      document.uri,
      at,
    );
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const expected of ['base', 'host', 'apiVersion', 'token', '$guid', 'login']) {
      assert.ok(
        labels.some((l) => l === expected || l.startsWith(`${expected}.`) || l.startsWith(`${expected}(`)),
        `${expected} not offered: ${labels.slice(0, 40).join(', ')}`,
      );
    }
  });

  test('go to definition: a file variable and a named request', async () => {
    const base = await vscode.commands.executeCommand(
      'vscode.executeDefinitionProvider',
      document.uri,
      positionOf(document, '{{base}}', 3),
    );
    assert.equal(base.length, 1);
    assert.equal((base[0].range ?? base[0].targetRange).start.line, 0);
    const login = await vscode.commands.executeCommand(
      'vscode.executeDefinitionProvider',
      document.uri,
      positionOf(document, '{{login.response', 3),
    );
    assert.equal(login.length, 1);
    const line = (login[0].range ?? login[0].targetRange).start.line;
    assert.ok(line === 2 || line === 3, `definition of login at line ${line}`);
  });

  test('diagnostics: an unknown variable and a reference to a request that does not exist', async () => {
    const found = await waitFor(
      () => {
        const list = vscode.languages.getDiagnostics(document.uri);
        return list.some((d) => /nope/.test(d.message)) && list.some((d) => /ghost/.test(d.message)) && list;
      },
      { message: 'diagnostics for nope and ghost' },
    );
    const nope = found.find((d) => /nope/.test(d.message));
    assert.equal(nope.range.start.line, 11);
    assert.equal(document.getText(nope.range).includes('nope'), true);
    assert.ok(!found.some((d) => /\b(base|host|token|apiVersion)\b/.test(d.message)), 'known names are fine');
  });

  test('a chained send: the referenced values arrive and the secret stays out of the log', async () => {
    const login = await vscode.commands.executeCommand('httpSession.sendRequest', document.uri, 3);
    assert.equal(login.result.response.status, 200);
    assert.equal(server.requests.at(-1).headers.authorization, `Bearer ${SECRET}`);
    const me = await vscode.commands.executeCommand('httpSession.sendRequest', document.uri, 8);
    assert.equal(me.problem, null, me.problem?.message);
    assert.equal(server.requests.at(-1).path, `/api/me?v=v2&u=alice&t=hdr-77&k=${SECRET}`);

    const log = outputLog();
    assert.match(log, /GET .*\/api\/me/, 'the request is logged');
    assert.ok(!log.includes(SECRET), 'the private-env secret is in the log');
  });

  test('an env file that is not valid JSON gets a diagnostic at its place, gone once fixed', async () => {
    const envUri = await writeWorkspaceFile(
      'generated/broken-env/http-client.env.json',
      '{\n  "dev": {\n    "host": "http://x",\n  }\n}\n',
    );
    const uri = await writeWorkspaceFile('generated/broken-env/api.http', 'GET {{host}}/x\n');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const found = await waitFor(
      () => {
        const list = vscode.languages.getDiagnostics(envUri);
        return list.length > 0 && list;
      },
      { message: 'a diagnostic on the env file' },
    );
    assert.match(found[0].message, /not valid JSON/);
    assert.equal(found[0].range.start.line, 3, 'the line of the stray comma');
    await writeWorkspaceFile(
      'generated/broken-env/http-client.env.json',
      '{ "dev": { "host": "http://x" } }\n',
    );
    await waitFor(() => vscode.languages.getDiagnostics(envUri).length === 0, {
      timeout: 15_000,
      message: 'the diagnostic to go once the file is fixed',
    });
    await vscode.window.showTextDocument(document);
  });

  test('the environment picker changes what {{host}} resolves to', async () => {
    await vscode.commands.executeCommand('httpSession.selectEnvironment', 'prod');
    try {
      const hovers = await vscode.commands.executeCommand(
        'vscode.executeHoverProvider',
        document.uri,
        positionOf(document, '{{base}}', 3),
      );
      assert.ok(hoverText(hovers).includes('https://prod.invalid/api'), hoverText(hovers));
    } finally {
      await vscode.commands.executeCommand('httpSession.selectEnvironment', 'dev');
    }
  });
});
