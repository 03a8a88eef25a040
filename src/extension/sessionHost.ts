// The workspace's sessions and the runner that drives requests through them,
// rebuilt from settings when they change (cookies carry over). With
// `httpSession.persistCookies: workspace` each session's jar lives in the
// workspace's extension storage: restored when the host starts, saved a
// moment after every change and when the host goes away, merged with other
// windows' saves (see jarStore.ts).
import * as vscode from 'vscode';
import { Runner } from '../core/run';
import { type Session, SessionRegistry } from '../core/session';
import { JarStore } from './jarStore';
import { type ExtensionSettings, readSettings } from './settings';
import { workspaceFileSystem } from './workspaceFileSystem';

export class SessionHost implements vscode.Disposable {
  private settingsCache: ExtensionSettings;
  private registryValue: SessionRegistry;
  readonly runner: Runner;
  private readonly registryChanged = new vscode.EventEmitter<SessionRegistry>();
  /** Fires when settings replaced the registry (listeners re-subscribe to its sessions). */
  readonly onDidChangeRegistry = this.registryChanged.event;
  private readonly variableFilesChanged = new vscode.EventEmitter<void>();
  /** An env file or `.env` changed on disk (after the runner forgot what it had read). */
  readonly onDidChangeVariableFiles = this.variableFilesChanged.event;
  private readonly cookiesChanged = new vscode.EventEmitter<string>();
  /** A session's cookies changed: a response, an edit, a reset, or another window's save merged in. */
  readonly onDidChangeCookies = this.cookiesChanged.event;
  private readonly disposables: vscode.Disposable[] = [
    this.registryChanged,
    this.cookiesChanged,
    this.variableFilesChanged,
  ];
  private readonly store: JarStore | null;
  private readonly saveTimers = new Map<string, NodeJS.Timeout>();
  /** The save running or queued per session; saves of one session never overlap. */
  private readonly saving = new Map<string, Promise<void>>();
  private registryWatch: { dispose(): void }[] = [];
  private disposed = false;
  /** Resolves once the jars saved for this workspace are back in their sessions. */
  readonly restored: Promise<void>;

  constructor(
    private environmentName: string | null,
    storageFolder: string | null = null,
  ) {
    this.settingsCache = readSettings();
    this.registryValue = new SessionRegistry(this.settingsCache.session);
    this.watchRegistry(this.registryValue);
    this.store = storageFolder ? new JarStore(storageFolder) : null;
    this.restored = this.restore();
    this.runner = new Runner(this.runnerOptions());
    this.disposables.push(
      // Coming back to this window: take in what another window on the workspace saved meanwhile.
      vscode.window.onDidChangeWindowState((state) => {
        if (state.focused && this.persisting)
          for (const s of this.registryValue.list()) this.scheduleSave(s.name, 0);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('httpSession')) void this.reconfigure();
      }),
      // Trust lets workspace values of restricted settings (client certificates) apply: read them again.
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.reconfigure()),
    );
    // Env files and .env change on disk: read them again on the next send.
    const watcher = vscode.workspace.createFileSystemWatcher(
      '**/{http-client.env.json,http-client.private.env.json,.env}',
    );
    const forget = () => {
      this.runner.forgetFiles();
      this.variableFilesChanged.fire();
    };
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
    this.watchRegistry(next);
    for (const session of old.list()) next.get(session.name).replaceJar(session.jar);
    this.registryValue = next;
    this.runner.configure(this.runnerOptions());
    this.registryChanged.fire(next);
    await old.disposeAll();
  }

  private get persisting(): boolean {
    return this.store !== null && this.settingsCache.persistCookies === 'workspace' && !this.disposed;
  }

  /** For edits made outside a send (the Sessions view's actions): refreshes views and saves. */
  cookiesEdited(session: string): void {
    this.cookiesChanged.fire(session);
    this.scheduleSave(session);
  }

  private watchRegistry(registry: SessionRegistry): void {
    for (const d of this.registryWatch) d.dispose();
    const watchSession = (session: Session) =>
      this.registryWatch.push(session.events.on('cookiesChanged', () => this.cookiesEdited(session.name)));
    this.registryWatch = [registry.events.on('sessionCreated', watchSession)];
    for (const session of registry.list()) watchSession(session);
  }

  private async restore(): Promise<void> {
    if (!this.persisting || !this.store) return;
    try {
      for (const name of await this.store.sessions()) {
        this.registryValue.get(name);
        await this.save(name);
      }
    } catch (err) {
      void vscode.window.showWarningMessage(
        `HTTP Session: saved cookies could not be read: ${(err as Error).message}`,
      );
    }
  }

  private scheduleSave(session: string, delayMs = 300): void {
    if (!this.persisting) return;
    clearTimeout(this.saveTimers.get(session));
    this.saveTimers.set(
      session,
      setTimeout(() => {
        this.saveTimers.delete(session);
        void this.save(session);
      }, delayMs),
    );
  }

  /** Merges the session's jar with its file (see jarStore.ts); queued behind a save already running. */
  private save(name: string): Promise<void> {
    const previous = this.saving.get(name) ?? Promise.resolve();
    const next = previous.then(async () => {
      const session = this.registryValue.find(name);
      if (!session || !this.store || this.settingsCache.persistCookies !== 'workspace') return;
      try {
        const result = await this.store.sync(name, session.jar);
        for (const message of [result.warning, result.note]) {
          if (message) void vscode.window.showWarningMessage(`HTTP Session: ${message}`);
        }
        if (result.changedInMemory) this.cookiesChanged.fire(name);
      } catch (err) {
        void vscode.window.showWarningMessage(
          `HTTP Session: the cookies of session "${name}" could not be saved: ${(err as Error).message}`,
        );
      }
    });
    this.saving.set(name, next);
    void next.then(() => {
      if (this.saving.get(name) === next) this.saving.delete(name);
    });
    return next;
  }

  /** Saves every change not saved yet and waits for saves in flight (deactivation, tests). */
  async flush(): Promise<void> {
    const pending = [...this.saveTimers.keys()];
    for (const timer of this.saveTimers.values()) clearTimeout(timer);
    this.saveTimers.clear();
    await Promise.all([...pending.map((name) => this.save(name)), ...this.saving.values()]);
  }

  dispose(): void {
    if (this.disposed) return;
    // The last changes still go to disk; the jars outlive their sessions' sockets.
    const flushing = this.flush();
    this.disposed = true;
    for (const d of [...this.disposables, ...this.registryWatch]) d.dispose();
    void flushing.finally(() => this.registryValue.disposeAll());
  }
}
