// Everything that needs the HTTP engine (undici, tough-cookie, variables),
// bundled apart from extension.js and loaded on the first command that
// needs it, so activation stays cheap.
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { CurlCommands } from './curlCommands';
import { createLog } from './log';
import { ResponsePanel } from './panel/responsePanel';
import type { ParsedDocuments } from './parsedDocuments';
import type { RunningRequests } from './runningRequests';
import { SendCommands } from './sendCommands';
import { SessionHost } from './sessionHost';
import type { SidebarSlot } from './sidebar/lazyTree';
import { Sidebar } from './sidebar/sidebar';
import { VariableFeatures } from './variableFeatures';

export interface Engine extends vscode.Disposable {
  readonly host: SessionHost;
  readonly send: SendCommands;
  readonly curl: CurlCommands;
  readonly panel: ResponsePanel;
  readonly log: vscode.LogOutputChannel;
  readonly variables: VariableFeatures;
  readonly sidebar: Sidebar;
  /** Writes unsaved cookie changes to workspace storage (deactivation, tests). */
  flush(): Promise<void>;
}

/** Where this workspace's jars live: its extension storage, never the repository. */
function jarFolder(context: vscode.ExtensionContext): string | null {
  const storage = context.storageUri;
  return storage?.scheme === 'file' ? join(storage.fsPath, 'sessions') : null;
}

export function startEngine(
  context: vscode.ExtensionContext,
  documents: ParsedDocuments,
  running: RunningRequests,
  environment: string | null,
  saveEnvironment: (name: string | null) => Thenable<void>,
  sidebarSlot: SidebarSlot | null = null,
): Engine {
  const log = createLog();
  const host = new SessionHost(environment, jarFolder(context));
  const panel = new ResponsePanel(context.extensionUri);
  const send = new SendCommands({ documents, host, running, panel, log });
  const curl = new CurlCommands(documents, host);
  const variables = new VariableFeatures(documents, host, saveEnvironment);
  const sidebar = new Sidebar({ host, send, panel, slot: sidebarSlot });
  const disposables = [log, host, panel, send, variables, sidebar];
  let disposed = false;
  return {
    host,
    send,
    curl,
    panel,
    log,
    variables,
    sidebar,
    flush: () => host.flush(),
    dispose: () => {
      if (disposed) return;
      disposed = true;
      for (const d of disposables.reverse()) d.dispose();
    },
  };
}
