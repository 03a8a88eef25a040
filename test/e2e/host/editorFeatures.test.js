// What the extension adds to the editor without sending anything: commands, CodeLens, outline, folding and
// parse diagnostics, for .http files and fenced http blocks in Markdown.

const assert = require('node:assert/strict');
const vscode = require('vscode');
const { closeAllEditors, extension, openFixture, waitFor, workspaceUri } = require('./helpers.js');

// outline.http, 0-based lines: `# @name listUsers` + GET on 4, POST on 8, `### Health check` + GET on 16.
const REQUEST_LINES = [4, 8, 16];

/** CodeLenses of a document, once the provider answers with at least `min` of them. */
async function codeLenses(uri, min) {
  return waitFor(
    async () => {
      const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri);
      return lenses && lenses.length >= min ? lenses : null;
    },
    { timeout: 15_000, message: `${min} CodeLens(es) on ${uri.path}` },
  );
}

const lensSummary = (lenses) =>
  lenses
    .map((lens) => ({
      line: lens.range.start.line,
      title: lens.command?.title,
      command: lens.command?.command,
    }))
    .sort((a, b) => a.line - b.line || a.title.localeCompare(b.title));

suite('editor features', () => {
  teardown(closeAllEditors);

  test('every command in package.json is registered', async () => {
    await openFixture('outline.http');
    await waitFor(() => extension().isActive, { message: 'the extension to activate' });
    const registered = new Set(await vscode.commands.getCommands(true));
    const declared = extension().packageJSON.contributes.commands.map((entry) => entry.command);
    assert.ok(declared.length >= 9, `only ${declared.length} commands declared`);
    const missing = declared.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], 'declared in package.json but not registered');
  });

  test('Send Request lens on every request line, Send All on the first', async () => {
    const { document } = await openFixture('outline.http');
    const lenses = await codeLenses(document.uri, 4);
    assert.deepEqual(lensSummary(lenses), [
      { line: 4, title: 'Send All', command: 'httpSession.sendAll' },
      { line: 4, title: 'Send Request', command: 'httpSession.sendRequest' },
      { line: 8, title: 'Send Request', command: 'httpSession.sendRequest' },
      { line: 16, title: 'Send Request', command: 'httpSession.sendRequest' },
    ]);
    for (const lens of lenses.filter((l) => l.command.title === 'Send Request')) {
      const [uri, line] = lens.command.arguments;
      assert.equal(uri.toString(), document.uri.toString());
      assert.equal(line, lens.range.start.line, 'the lens sends the request it sits on');
    }
  });

  test('outline names are @name, ### title or METHOD URL', async () => {
    const { document } = await openFixture('outline.http');
    const symbols = await waitFor(
      async () => {
        const found = await vscode.commands.executeCommand(
          'vscode.executeDocumentSymbolProvider',
          document.uri,
        );
        return found?.length ? found : null;
      },
      { timeout: 15_000, message: 'document symbols' },
    );
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['listUsers', 'POST {{host}}/users', 'Health check'],
    );
    assert.deepEqual(
      symbols.map((s) => s.selectionRange.start.line),
      REQUEST_LINES,
      'each symbol selects its request line',
    );
  });

  test('each request block folds', async () => {
    const { document } = await openFixture('outline.http');
    const ranges = await waitFor(
      async () => {
        const found = await vscode.commands.executeCommand(
          'vscode.executeFoldingRangeProvider',
          document.uri,
        );
        return found?.length ? found : null;
      },
      { timeout: 15_000, message: 'folding ranges' },
    );
    const blocks = ranges.map((r) => [r.start, r.end]).sort((a, b) => a[0] - b[0]);
    // Blocks: the file preamble + first request (0-5), `###` + POST (7-13), `### Health check` + GET (15-16).
    assert.deepEqual(blocks, [
      [0, 5],
      [7, 13],
      [15, 16],
    ]);
  });

  test('a line after the headers without a blank line gets a warning on that line', async () => {
    const { document } = await openFixture('broken.http');
    const diagnostics = await waitFor(
      () => {
        const found = vscode.languages
          .getDiagnostics(document.uri)
          .filter((d) => d.source === 'HTTP Session' && d.code === 'missing-blank-line');
        return found.length ? found : null;
      },
      { timeout: 15_000, message: 'the missing-blank-line diagnostic' },
    );
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0].severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(diagnostics[0].range.start.line, 2);
    assert.match(diagnostics[0].message, /blank line/);
  });

  test('a clean file has no parse diagnostics', async () => {
    const { document } = await openFixture('outline.http');
    // Give the provider the same chance it had above (diagnostics follow a change by 100 ms), then expect silence.
    await codeLenses(document.uri, 4);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const parse = vscode.languages
      .getDiagnostics(document.uri)
      .filter((d) => d.source === 'HTTP Session' && d.severity <= vscode.DiagnosticSeverity.Warning);
    assert.deepEqual(
      parse.map((d) => `${d.range.start.line}: ${d.message}`),
      [],
    );
  });

  test('a fenced http block in Markdown gets a Send Request lens', async () => {
    const { document } = await openFixture('requests.md');
    assert.equal(document.languageId, 'markdown');
    const lenses = await codeLenses(document.uri, 1);
    // requests.md, 0-based: the fence opens on line 4, the request line is 5.
    assert.deepEqual(lensSummary(lenses), [
      { line: 5, title: 'Send Request', command: 'httpSession.sendRequest' },
    ]);
    assert.equal(lenses[0].command.arguments[0].toString(), workspaceUri('requests.md').toString());
  });
});
