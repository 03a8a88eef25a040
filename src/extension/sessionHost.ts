// The workspace's sessions and the runner that drives requests through them,
// rebuilt from settings when they change (cookies carry over).
import * as vscode from 'vscode';
import { Runner } from '../core/run';
import { SessionRegistry } from '../core/session';
import { type ExtensionSettings, readSettings } from './settings';
import { workspaceFileSystem } from './workspaceFileSystem';

export class SessionHost implements vscode.Disposable {
  private settingsCache: ExtensionSettings;
  private registryValue: SessionRegistry;
  readonly runner: Runner;
  private readonly registryChanged = new vscode.EventEmitter<SessionRegistry>();
  /** Fires when settings replaced the registry (listeners re-subscribe to its sessions). */
  readonly onDidChangeRegistry = this.registryChanged.event;
  private readonly disposables: vscode.Disposable[] = [this.registryChanged];

  constructor(private environmentName: string | null) {
    this.settingsCache = readSettings();
    this.registryValue = new SessionRegistry(this.settingsCache.session);
    this.runner = new Runner(this.runnerOptions());
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('httpSession')) void this.reconfigure();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.runner.configure(this.runnerOptions())),
    );
    // Env files and .env change on disk: read them again on the next send.
    const watcher = vscode.workspace.createFileSystemWatcher(
      '**/{http-client.env.json,http-client.private.env.json,.env}',
    );
    const forget = () => this.runner.forgetFiles();
    this.disposables.push(
      watcher,
      watcher.onDidChange(forget),
      watcher.onDidCreate(forget),
      watcher.onDidDelete(forget),
    );
  }

  get registry(): SessionRegistry {
    return this.registryValue;
  }

  get settings(): ExtensionSettings {
    return this.settingsCache;
  }

  get environment(): string | null {
    return this.environmentName;
  }

  selectEnvironment(name: string | null): void {
    this.environmentName = name;
    this.runner.configure({ environmentName: name });
  }

  private runnerOptions() {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    return {
      registry: this.registryValue,
      fs: workspaceFileSystem,
      workspaceRoot: root?.scheme === 'file' ? root.fsPath : null,
      trusted: vscode.workspace.isTrusted,
      environmentName: this.environmentName,
      settingsEnvironments: this.settingsCache.environments,
      defaults: this.settingsCache.defaults,
    };
  }

  private async reconfigure(): Promise<void> {
    const old = this.registryValue;
    this.settingsCache = readSettings();
    const next = new SessionRegistry(this.settingsCache.session);
    for (const session of old.list()) next.get(session.name).replaceJar(session.jar);
    this.registryValue = next;
    this.runner.configure(this.runnerOptions());
    this.registryChanged.fire(next);
    await old.disposeAll();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    void this.registryValue.disposeAll();
  }
}
