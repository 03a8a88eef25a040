// Activation wires the editor features that only need the parser; the HTTP
// engine (undici, tough-cookie, variables) lives in dist/engine.js and is
// loaded by the first command that sends something.
import * as vscode from 'vscode';
import { RequestCodeLensProvider } from './codeLens';
import type { Engine } from './engine';
import { RequestOutlineProvider } from './outline';
import { registerParseDiagnostics } from './parseDiagnostics';
import { ParsedDocuments } from './parsedDocuments';
import { RunningRequests } from './runningRequests';

const SELECTOR = [{ language: 'http' }];
const ENVIRONMENT_KEY = 'httpSession.environment';

/** What the extension returns from `activate`, for integration tests and other extensions. */
export interface HttpSessionApi {
  readonly documents: ParsedDocuments;
  engine(): Engine;
}

export function activate(context: vscode.ExtensionContext): HttpSessionApi {
  const documents = new ParsedDocuments();
  const running = new RunningRequests();
  const codeLens = new RequestCodeLensProvider(documents, running);
  const outline = new RequestOutlineProvider(documents);
  let engine: Engine | undefined;
  const getEngine = (): Engine => {
    if (!engine) {
      // Kept out of this bundle on purpose (see esbuild.mjs): loading it costs more than activation may.
      const { startEngine } = require('./engine.js') as typeof import('./engine');
      engine = startEngine(
        context,
        documents,
        running,
        context.workspaceState.get<string>(ENVIRONMENT_KEY) ?? null,
        (name) => context.workspaceState.update(ENVIRONMENT_KEY, name ?? undefined),
      );
      context.subscriptions.push(engine);
    }
    return engine;
  };
  const command = (id: string, run: (...args: never[]) => unknown) =>
    context.subscriptions.push(vscode.commands.registerCommand(id, run));

  context.subscriptions.push(
    documents,
    running,
    codeLens,
    running.onDidChange(() => codeLens.refresh()),
    vscode.languages.registerCodeLensProvider([...SELECTOR, { language: 'markdown' }], codeLens),
    vscode.languages.registerDocumentSymbolProvider(SELECTOR, outline),
    vscode.languages.registerFoldingRangeProvider(SELECTOR, outline),
    registerParseDiagnostics(documents),
  );
  command('httpSession.sendRequest', (uri?: vscode.Uri, line?: number) =>
    getEngine().send.sendRequest(uri, line),
  );
  command('httpSession.sendAll', (uri?: vscode.Uri) => getEngine().send.sendAll(uri));
  command('httpSession.cancelRequest', (uri?: vscode.Uri, line?: number) => {
    if (engine) engine.send.cancel(uri, line);
  });
  command('httpSession.rerunLast', () => getEngine().send.rerunLast());
  command('httpSession.copyAsCurl', (uri?: vscode.Uri, line?: number) =>
    getEngine().curl.copyAsCurl(uri, line),
  );
  command('httpSession.importCurl', (text?: string) => getEngine().curl.importCurl(text));
  command('httpSession.resetSession', async (name?: string) => {
    const host = getEngine().host;
    const sessions = host.registry.list();
    const pick =
      typeof name === 'string'
        ? name
        : sessions.length <= 1
          ? (sessions[0]?.name ?? 'default')
          : await vscode.window.showQuickPick(
              sessions.map((s) => s.name),
              { title: 'Reset which session?' },
            );
    if (!pick) return;
    await host.registry.find(pick)?.reset();
    host.runner.chainsOf(pick).clear();
    void vscode.window.setStatusBarMessage(
      `HTTP Session: session "${pick}" reset (cookies cleared, connections closed)`,
      3000,
    );
  });
  command('httpSession.showLog', () => getEngine().log.show());
  command('httpSession.selectEnvironment', (name?: string | null) =>
    getEngine().variables.selectEnvironment(name),
  );

  // Hovers, completion and variable diagnostics live with the engine: start it
  // just after activation when an .http file is open, outside activation time.
  const startSoon = setTimeout(() => {
    if (vscode.workspace.textDocuments.some((d) => d.languageId === 'http')) getEngine();
  }, 50);
  context.subscriptions.push({ dispose: () => clearTimeout(startSoon) });

  return { documents, engine: getEngine };
}

export function deactivate(): void {}
