// Activation wires the editor features that only need the parser; the HTTP
// engine (undici, tough-cookie, variables) lives in dist/engine.js and is
// loaded by the first command that sends something.
import * as vscode from 'vscode';
import { commandOutcome } from './commandResult';
import { RequestCodeLensProvider } from './codeLens';
import type { Engine } from './engine';
import { RequestOutlineProvider } from './outline';
import { registerParseDiagnostics } from './parseDiagnostics';
import { ParsedDocuments } from './parsedDocuments';
import { RunningRequests } from './runningRequests';
import { createSessionsView } from './sidebar/lazyTree';
import { isSidebarNode, SIDEBAR_COMMANDS } from './sidebar/nodes';

const SELECTOR = [{ language: 'http' }];
const ENVIRONMENT_KEY = 'httpSession.environment';

/** What the extension returns from `activate`, for integration tests and other extensions. */
export interface HttpSessionApi {
  readonly documents: ParsedDocuments;
  /** Milliseconds spent loading extension.js plus running activate(): the extension's own start-up cost. */
  readonly activationMs: number;
  engine(): Engine;
  /** Saves the jars, disposes the engine and starts a new one, as a window reload would (tests). */
  restartEngine(): Promise<Engine>;
}

/** The running engine, so deactivate can save the jars before the window goes. */
let current: Engine | undefined;

// Set by the bundle's first and last lines (esbuild.mjs); absent when the module is loaded unbundled.
declare const __httpSessionLoadStart: number | undefined;
declare const __httpSessionLoadEnd: number | undefined;

export function activate(context: vscode.ExtensionContext): HttpSessionApi {
  const activateStart = performance.now();
  const documents = new ParsedDocuments();
  const running = new RunningRequests();
  const codeLens = new RequestCodeLensProvider(documents, running);
  const outline = new RequestOutlineProvider(documents);
  let engine: Engine | undefined;
  // The view exists from activation; opening it is a reason to start the engine, which fills it.
  const sessionsView = createSessionsView(() => getEngine());
  context.subscriptions.push(sessionsView);
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
        sessionsView,
      );
      current = engine;
      context.subscriptions.push(engine);
    }
    return engine;
  };
  const restartEngine = async (): Promise<Engine> => {
    if (engine) {
      await engine.flush();
      engine.dispose();
      engine = undefined;
    }
    const next = getEngine();
    await next.host.restored;
    return next;
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
  command('httpSession.sendRequest', async (uri?: vscode.Uri, line?: number) =>
    commandOutcome(await getEngine().send.sendRequest(uri, line)),
  );
  command('httpSession.sendAll', async (uri?: vscode.Uri) =>
    (await getEngine().send.sendAll(uri)).map((outcome) => commandOutcome(outcome)),
  );
  command('httpSession.cancelRequest', (uri?: vscode.Uri, line?: number) => {
    if (engine) engine.send.cancel(uri, line);
  });
  command('httpSession.rerunLast', async () => commandOutcome(await getEngine().send.rerunLast()));
  command('httpSession.copyAsCurl', (uri?: vscode.Uri, line?: number) =>
    getEngine().curl.copyAsCurl(uri, line),
  );
  command('httpSession.importCurl', (text?: string) => getEngine().curl.importCurl(text));
  command('httpSession.resetSession', async (name?: unknown) => {
    const host = getEngine().host;
    const sessions = host.registry.list();
    const given = isSidebarNode(name) ? name.session : name;
    const pick =
      typeof given === 'string'
        ? given
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
  for (const [method, id] of Object.entries(SIDEBAR_COMMANDS)) {
    command(id, (...args: unknown[]) => {
      const commands = getEngine().sidebar.commands;
      return (commands[method as keyof typeof SIDEBAR_COMMANDS] as (...a: unknown[]) => unknown).apply(
        commands,
        args,
      );
    });
  }
  command('httpSession.selectEnvironment', (name?: string | null) =>
    getEngine().variables.selectEnvironment(name),
  );

  // Hovers, completion and variable diagnostics live with the engine: start it
  // just after activation when an .http file is open, outside activation time.
  const startSoon = setTimeout(() => {
    if (vscode.workspace.textDocuments.some((d) => d.languageId === 'http')) getEngine();
  }, 50);
  context.subscriptions.push({ dispose: () => clearTimeout(startSoon) });

  // Like VS Code's own figure: loading the code plus the activate call, not the wait between them.
  const loadMs =
    typeof __httpSessionLoadStart === 'number' && typeof __httpSessionLoadEnd === 'number'
      ? __httpSessionLoadEnd - __httpSessionLoadStart
      : 0;
  return {
    documents,
    engine: getEngine,
    restartEngine,
    activationMs: loadMs + performance.now() - activateStart,
  };
}

/** VS Code waits for this (briefly) before disposing: the last cookie changes reach the disk. */
export function deactivate(): Promise<void> | undefined {
  return current?.flush();
}
