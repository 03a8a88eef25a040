// Everything that needs the HTTP engine (undici, tough-cookie, variables),
// bundled apart from extension.js and loaded on the first command that
// needs it, so activation stays cheap.
import type * as vscode from 'vscode';
import { CurlCommands } from './curlCommands';
import { createLog } from './log';
import { ResponsePanel } from './panel/responsePanel';
import type { ParsedDocuments } from './parsedDocuments';
import type { RunningRequests } from './runningRequests';
import { SendCommands } from './sendCommands';
import { SessionHost } from './sessionHost';
import { VariableFeatures } from './variableFeatures';

export interface Engine extends vscode.Disposable {
  readonly host: SessionHost;
  readonly send: SendCommands;
  readonly curl: CurlCommands;
  readonly panel: ResponsePanel;
  readonly log: vscode.LogOutputChannel;
  readonly variables: VariableFeatures;
}

export function startEngine(
  context: vscode.ExtensionContext,
  documents: ParsedDocuments,
  running: RunningRequests,
  environment: string | null,
  saveEnvironment: (name: string | null) => Thenable<void>,
): Engine {
  const log = createLog();
  const host = new SessionHost(environment);
  const panel = new ResponsePanel(context.extensionUri);
  const send = new SendCommands({ documents, host, running, panel, log });
  const curl = new CurlCommands(documents, host);
  const variables = new VariableFeatures(documents, host, saveEnvironment);
  const disposables = [log, host, panel, send, variables];
  return {
    host,
    send,
    curl,
    panel,
    log,
    variables,
    dispose: () => {
      for (const d of disposables.reverse()) d.dispose();
    },
  };
}
