// The Sessions view as the engine runs it: the tree, its commands, the
// index of which response set which cookie, and the links from the response
// panel. Created with the engine; the view itself was created at activation.
import type * as vscode from 'vscode';
import type { RunOutcome } from '../../core/run';
import type { ResponsePanel } from '../panel/responsePanel';
import type { SendCommands } from '../sendCommands';
import type { SessionHost } from '../sessionHost';
import { CookieCommands } from './cookieCommands';
import { CookieOrigins } from './cookieOrigins';
import type { SidebarSlot } from './lazyTree';
import { SessionTree } from './sessionTree';

export interface SidebarDependencies {
  readonly host: SessionHost;
  readonly send: SendCommands;
  readonly panel: ResponsePanel;
  /** Null when there is no view (tests that start the engine on their own). */
  readonly slot: SidebarSlot | null;
}

export class Sidebar implements vscode.Disposable {
  readonly tree: SessionTree;
  readonly origins = new CookieOrigins();
  readonly commands: CookieCommands;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(deps: SidebarDependencies) {
    this.tree = new SessionTree(deps.host);
    this.commands = new CookieCommands(deps.host, this.tree, this.origins, deps.slot?.view ?? null);
    this.disposables.push(
      this.tree,
      deps.send.onDidFinish((outcome) => this.record(outcome)),
      deps.panel.onDidRequestRevealCookie((request) => void this.commands.revealCookie(request)),
    );
    if (deps.slot) this.disposables.push(deps.slot.attach(this.tree));
  }

  private record(outcome: RunOutcome): void {
    const result = outcome.result;
    if (!result || result.cookies.stored.length === 0) return;
    this.origins.record(outcome.session, result.cookies.stored, {
      method: result.method,
      url: result.url,
      status: result.response?.status ?? null,
      time: Date.now(),
      requestName: outcome.request.name,
    });
  }

  dispose(): void {
    for (const d of this.disposables.reverse()) d.dispose();
  }
}
