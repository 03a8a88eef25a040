// The extension loads, and `.http` / `.rest` files get its language and activate it.

const assert = require('node:assert/strict');
const { EXTENSION_ID, extension, openFixture, waitFor, closeAllEditors } = require('./helpers.js');

suite('activation', () => {
  teardown(closeAllEditors);

  test('the extension is loaded from the repository', () => {
    const ext = extension();
    assert.equal(ext.id, EXTENSION_ID);
    assert.equal(ext.packageJSON.name, 'http-session');
  });

  test('a .http file gets the http language', async () => {
    const { document } = await openFixture('sample.http');
    assert.equal(document.languageId, 'http');
  });

  test('opening a .http file activates the extension', async () => {
    await openFixture('sample.http');
    await waitFor(() => extension().isActive, { message: `${EXTENSION_ID} to activate` });
  });

  test('a .rest file gets the http language', async () => {
    const { document } = await openFixture('sample.rest');
    assert.equal(document.languageId, 'http');
  });
});
