// Helpers for the extension-host tests (they run inside VS Code's extension host, real `vscode` API).

const path = require('node:path');
const vscode = require('vscode');
const { startLocalServer, send } = require('../localServer.js');

const manifest = require(path.resolve(__dirname, '../../../package.json'));
const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;

/** The extension under test, loaded from the repository (extensionDevelopmentPath). */
function extension() {
  const found = vscode.extensions.getExtension(EXTENSION_ID);
  if (!found) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return found;
}

/** A file of the test workspace (a fresh copy of test/e2e/fixtures/). */
function workspaceUri(...segments) {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder open');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

/** Opens a workspace file in an editor. */
async function openFixture(name) {
  const document = await vscode.workspace.openTextDocument(workspaceUri(name));
  const editor = await vscode.window.showTextDocument(document);
  return { document, editor };
}

/** Polls `predicate` (may be async) until it returns a truthy value, which it returns. */
async function waitFor(predicate, { timeout = 10_000, interval = 50, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${message}`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** Writes `text` to a workspace file (folders created as needed) and returns its URI. */
async function writeWorkspaceFile(name, text) {
  const uri = workspaceUri(name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  return uri;
}

/** The extension's API (`activate`'s return value), activating it first if needed. */
async function extensionApi() {
  const ext = extension();
  return ext.isActive ? ext.exports : ext.activate();
}

function closeAllEditors() {
  return vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

module.exports = {
  EXTENSION_ID,
  extension,
  workspaceUri,
  openFixture,
  writeWorkspaceFile,
  extensionApi,
  waitFor,
  closeAllEditors,
  startLocalServer,
  send,
};
