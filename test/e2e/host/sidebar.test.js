// The Sessions view in a real extension host: the tree built from a jar filled by real requests, each
// action's effect on the next request's Cookie header, persistence across an engine restart (what a window
// reload does), and a cookies.txt round trip with curl. Every test uses a session of its own.

const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { promisify } = require('node:util');
const vscode = require('vscode');
const { extensionApi, send, startLocalServer, waitFor, writeWorkspaceFile } = require('./helpers.js');

const run = promisify(execFile);
let count = 0;

/** A file with one request per path, all in session `name`; returns the uri and the line of each request. */
async function sessionFile(name, server, paths) {
  count++;
  const lines = [`# @session ${name}`, ''];
  const at = {};
  for (const p of paths) {
    if (Object.keys(at).length > 0) lines.push('###');
    at[p] = lines.length;
    lines.push(`GET ${server.url}${p}`, '');
  }
  const uri = await writeWorkspaceFile(`generated/sidebar-${count}.http`, lines.join('\n'));
  return { uri, at };
}

async function sendLine(uri, line) {
  const outcome = await vscode.commands.executeCommand('httpSession.sendRequest', uri, line);
  assert.equal(outcome?.problem, null, outcome?.problem?.message);
  assert.equal(outcome?.result?.error, null, outcome?.result?.error?.message);
  return outcome.result;
}

/** The Cookie header the server received on its last request ('' when none). */
const lastCookie = (server) => server.requests.at(-1)?.headers.cookie ?? '';

async function tree() {
  const api = await extensionApi();
  const sidebar = api.engine().sidebar;
  await sidebar.tree.whenSettled();
  return sidebar.tree;
}

async function childrenOf(node) {
  return (await tree()).getChildren(node);
}

/** session node → { node, cookies: { domain: [cookie nodes] }, connections: [origin nodes] } */
async function sessionView(name) {
  const t = await tree();
  const roots = await t.getChildren();
  const node = roots.find((n) => n.kind === 'session' && n.session === name);
  if (!node) return null;
  const [cookiesNode, connectionsNode] = await t.getChildren(node);
  const cookies = {};
  for (const domain of await t.getChildren(cookiesNode)) cookies[domain.domain] = await t.getChildren(domain);
  return { node, cookiesNode, connectionsNode, cookies, origins: await t.getChildren(connectionsNode) };
}

const cookieNode = async (session, domain, name) =>
  (await sessionView(session))?.cookies[domain]?.find((c) => c.name === name);

suite('sessions view', () => {
  let server;
  setup(async () => {
    await extensionApi();
    server = await startLocalServer({
      'GET /login': (_req, res) =>
        send(res, 200, 'in', {
          'set-cookie': [
            'sid=s3cr3t-session-id; Path=/; HttpOnly; SameSite=Lax',
            'theme=dark; Path=/; Max-Age=3600',
            'scoped=1; Path=/api',
          ],
        }),
      'GET /short': (_req, res) => send(res, 200, 'short', { 'set-cookie': 'brief=1; Path=/; Max-Age=1' }),
      'GET /api/me': (req, res) => send(res, 200, { cookie: req.headers.cookie ?? null }),
      'GET /me': (req, res) => send(res, 200, { cookie: req.headers.cookie ?? null }),
    });
  });
  teardown(async () => {
    await server.close();
  });

  test('cookies set by real responses, grouped by domain, with labels and tooltips', async () => {
    const { uri, at } = await sessionFile('sb-tree', server, ['/login']);
    await sendLine(uri, at['/login']);
    const view = await sessionView('sb-tree');
    assert.ok(view, 'the session has a node');
    const t = await tree();
    const sessionItem = t.getTreeItem(view.node);
    assert.equal(sessionItem.label, 'sb-tree');
    assert.match(sessionItem.description, /^3 cookies · 1 connection$/);
    assert.deepEqual(Object.keys(view.cookies), ['127.0.0.1']);
    const names = view.cookies['127.0.0.1'].map((c) => c.name).sort();
    assert.deepEqual(names, ['scoped', 'sid', 'theme']);

    const sid = view.cookies['127.0.0.1'].find((c) => c.name === 'sid');
    const item = t.getTreeItem(sid);
    assert.equal(item.label, 'sid');
    assert.equal(item.contextValue, 'cookie');
    // httpSession.maskSecrets is on by default: the value is not shown.
    assert.ok(!String(item.description).includes('s3cr3t'), `value shown: ${item.description}`);
    const tooltip = item.tooltip.value;
    for (const expected of [/Domain/, /Path/, /Expires \| session/, /HttpOnly \| yes/, /SameSite \| Lax/]) {
      assert.match(tooltip, expected);
    }
    assert.match(tooltip, /Host-only \| yes/);
    assert.ok(!tooltip.includes('s3cr3t'), 'the tooltip masks the value too');
    const theme = t.getTreeItem(view.cookies['127.0.0.1'].find((c) => c.name === 'theme'));
    assert.match(theme.tooltip.value, /Expires \| \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(in (59 min|1 h)\)/);
    const scoped = t.getTreeItem(view.cookies['127.0.0.1'].find((c) => c.name === 'scoped'));
    assert.match(String(scoped.description), /· \/api$/, 'a cookie with its own path shows it');

    assert.equal(view.origins.length, 1, 'one origin with an open socket');
    assert.equal(t.getTreeItem(view.origins[0]).label, server.url);
    const [socket] = await childrenOf(view.origins[0]);
    assert.match(String(t.getTreeItem(socket).description), /^1 request · idle/);
  });

  test('an expired cookie drops out of the tree on its own', async () => {
    const t = await tree();
    const changes = [];
    const listener = t.onDidChangeTreeData((e) => changes.push({ e, at: Date.now() }));
    try {
      const { uri, at } = await sessionFile('sb-expiry', server, ['/short']);
      const sent = Date.now();
      await sendLine(uri, at['/short']);
      // Max-Age=1 from the response: it expires about a second after it was stored.
      const expiry = sent + 1000;
      if (Date.now() < expiry)
        assert.ok(await cookieNode('sb-expiry', '127.0.0.1', 'brief'), 'listed at first');
      // Nothing asks the tree for anything now: the view must be told by the tree's own expiry timer.
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiry - Date.now()) + 1500));
      const told = changes.filter(
        (c) =>
          c.at >= expiry &&
          Array.isArray(c.e) &&
          c.e.some((n) => n.kind === 'session' && n.session === 'sb-expiry'),
      );
      assert.ok(
        told.length > 0,
        `changes after expiry: ${JSON.stringify(changes.map((c) => c.at - expiry))}`,
      );
      assert.equal(await cookieNode('sb-expiry', '127.0.0.1', 'brief'), undefined, 'gone from the tree');
    } finally {
      listener.dispose();
    }
  });

  test('edit, add, delete, clear domain, clear session: each shows in the next request', async () => {
    const { uri, at } = await sessionFile('sb-actions', server, ['/login', '/me']);
    await sendLine(uri, at['/login']);
    await sendLine(uri, at['/me']);
    assert.equal(lastCookie(server), 'sid=s3cr3t-session-id; theme=dark');

    const sid = await cookieNode('sb-actions', '127.0.0.1', 'sid');
    const edited = await vscode.commands.executeCommand('httpSession.editCookieValue', sid, 'changed');
    assert.equal(edited.value, 'changed');
    await sendLine(uri, at['/me']);
    assert.equal(lastCookie(server), 'sid=changed; theme=dark');

    const session = (await sessionView('sb-actions')).node;
    const added = await vscode.commands.executeCommand('httpSession.addCookie', session, {
      url: `${server.url}/`,
      cookie: 'extra=42; Path=/',
    });
    assert.equal(added.name, 'extra');
    const refused = await vscode.commands.executeCommand('httpSession.addCookie', session, {
      url: `${server.url}/`,
      cookie: 'bad=1; Domain=example.com',
    });
    assert.match(refused.error, /domain/i, 'a cookie for another domain is refused with the reason');
    await sendLine(uri, at['/me']);
    assert.equal(lastCookie(server), 'sid=changed; theme=dark; extra=42');

    const theme = await cookieNode('sb-actions', '127.0.0.1', 'theme');
    assert.equal(await vscode.commands.executeCommand('httpSession.deleteCookie', theme), 1);
    await sendLine(uri, at['/me']);
    assert.equal(lastCookie(server), 'sid=changed; extra=42');

    const domain = (await childrenOf((await sessionView('sb-actions')).cookiesNode))[0];
    assert.equal(await vscode.commands.executeCommand('httpSession.clearDomainCookies', domain), 3);
    await sendLine(uri, at['/me']);
    assert.equal(lastCookie(server), '');

    await sendLine(uri, at['/login']);
    assert.equal(await vscode.commands.executeCommand('httpSession.clearSessionCookies', session), true);
    await sendLine(uri, at['/me']);
    assert.equal(lastCookie(server), '');
    assert.deepEqual((await sessionView('sb-actions')).cookies, {});
  });

  test('close connections: the next request opens a new one; the tree shows none open', async () => {
    const { uri, at } = await sessionFile('sb-sockets', server, ['/me']);
    const first = await sendLine(uri, at['/me']);
    const view = await sessionView('sb-sockets');
    assert.equal(view.origins.length, 1);
    assert.equal(await vscode.commands.executeCommand('httpSession.closeConnections', view.node), true);
    await waitFor(async () => (await sessionView('sb-sockets')).origins.length === 0, {
      message: 'the socket to leave the tree',
    });
    const t = await tree();
    assert.equal(t.getTreeItem((await sessionView('sb-sockets')).connectionsNode).description, 'none open');
    const second = await sendLine(uri, at['/me']);
    assert.equal(second.connection.reused, false);
    assert.notEqual(second.connection.id, first.connection.id);
  });

  test('cookies survive an engine restart (a window reload), read from workspace storage', async () => {
    const api = await extensionApi();
    const { uri, at } = await sessionFile('sb-persist', server, ['/login', '/me']);
    await sendLine(uri, at['/login']);
    const engine = await api.restartEngine();
    assert.notEqual(engine, undefined);
    assert.ok(await cookieNode('sb-persist', '127.0.0.1', 'sid'), 'the restored jar is in the tree');
    await sendLine(uri, at['/me']);
    assert.equal(lastCookie(server), 'sid=s3cr3t-session-id; theme=dark');
    // Kept outside the repository: nothing under the workspace folder holds the session id.
    const folder = vscode.workspace.workspaceFolders[0].uri.fsPath;
    const leaked = [];
    const walk = (dir) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (fs.readFileSync(full, 'utf8').includes('s3cr3t-session-id')) leaked.push(full);
      }
    };
    walk(folder);
    assert.deepEqual(leaked, []);
  });

  test('export to cookies.txt is read by curl; a file written by curl imports', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-cookies-'));
    try {
      const { uri, at } = await sessionFile('sb-export', server, ['/login']);
      await sendLine(uri, at['/login']);
      const session = (await sessionView('sb-export')).node;
      const exported = path.join(dir, 'exported.txt');
      const result = await vscode.commands.executeCommand(
        'httpSession.exportCookies',
        session,
        vscode.Uri.file(exported),
      );
      assert.equal(result.count, 3);
      await run('curl', ['-s', '-b', exported, `${server.url}/api/me`]);
      // curl orders cookies its own way: compare the set.
      assert.deepEqual(lastCookie(server).split('; ').sort(), [
        'scoped=1',
        'sid=s3cr3t-session-id',
        'theme=dark',
      ]);

      // curl's own jar, from a response that sets cookies, into a fresh session.
      const written = path.join(dir, 'curl.txt');
      await run('curl', ['-s', '-c', written, `${server.url}/login`]);
      const target = await sessionFile('sb-import', server, ['/api/me']);
      await sendLine(target.uri, target.at['/api/me']);
      const importSession = (await sessionView('sb-import')).node;
      const imported = await vscode.commands.executeCommand(
        'httpSession.importCookies',
        importSession,
        vscode.Uri.file(written),
      );
      assert.equal(imported.imported, 3, JSON.stringify(imported));
      await sendLine(target.uri, target.at['/api/me']);
      // The longer path first; cookies.txt has no creation times, so the rest follow the file's order.
      const header = lastCookie(server).split('; ');
      assert.equal(header[0], 'scoped=1');
      assert.deepEqual(header.sort(), ['scoped=1', 'sid=s3cr3t-session-id', 'theme=dark']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
