// The Sessions view's data provider: one node per session, its cookies by
// domain and its connections by origin. Models come from treeModel.ts; this
// file follows the sessions (responses, edits, sockets, expiry) and tells the
// view which session changed, debounced, so one busy session does not
// redraw the others.
import * as vscode from 'vscode';
import { DEFAULT_SESSION, type Session, type SessionRegistry } from '../../core/session';
import type { RevealCookieRequest } from '../panel/responsePanel';
import type { SessionHost } from '../sessionHost';
import { listCookieEntries } from './jarEdits';
import type { NodeOf, SidebarNode } from './nodes';
import { buildSessionModel, type CookieModel, type DomainModel, ids, type SessionModel } from './treeModel';

const DEBOUNCE_MS = 100;
/** setTimeout's limit; a cookie expiring later than ~24 days is rechecked then. */
const MAX_TIMER_MS = 2 ** 31 - 1;
export const VALUES_SHOWN_CONTEXT = 'httpSession.cookieValuesShown';

export function sessionOrder(a: string, b: string): number {
  if (a === b) return 0;
  if (a === DEFAULT_SESSION) return -1;
  if (b === DEFAULT_SESSION) return 1;
  return a.localeCompare(b);
}

export class SessionTree implements vscode.TreeDataProvider<SidebarNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SidebarNode | SidebarNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** One object per id: VS Code matches refreshed and revealed elements by identity. */
  private readonly nodes = new Map<string, SidebarNode>();
  private readonly models = new Map<string, SessionModel>();
  private readonly pending = new Set<string>();
  private pendingRoot = false;
  private refreshTimer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;
  private expiryAt: number | null = null;
  private valuesShown = false;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private registryWatch: { dispose(): void }[] = [];
  private readonly sessionWatch = new Map<Session, { dispose(): void }[]>();
  /** Resolves after the next batch of changes has been handed to the view (tests). */
  private settled: { promise: Promise<void>; resolve: () => void } | null = null;

  constructor(
    private readonly host: SessionHost,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.watchRegistry(host.registry);
    this.disposables.push(
      host.onDidChangeRegistry((registry) => {
        this.watchRegistry(registry);
        this.models.clear();
        this.refreshAll();
      }),
      host.onDidChangeCookies((name) => this.refresh(name)),
    );
    void vscode.commands.executeCommand('setContext', VALUES_SHOWN_CONTEXT, false);
  }

  get masked(): boolean {
    return this.host.settings.maskSecrets && !this.valuesShown;
  }

  /** Shows or hides cookie values in this window (they start hidden when httpSession.maskSecrets is on). */
  setValuesShown(shown: boolean): void {
    this.valuesShown = shown;
    void vscode.commands.executeCommand('setContext', VALUES_SHOWN_CONTEXT, shown);
    this.refreshAll();
  }

  private watchRegistry(registry: SessionRegistry): void {
    for (const d of this.registryWatch) d.dispose();
    for (const list of this.sessionWatch.values()) for (const d of list) d.dispose();
    this.sessionWatch.clear();
    this.registryWatch = [
      registry.events.on('sessionCreated', (session) => {
        this.watchSession(session);
        this.refreshAll();
      }),
      registry.events.on('sessionDisposed', () => this.refreshAll()),
    ];
    for (const session of registry.list()) this.watchSession(session);
  }

  private watchSession(session: Session): void {
    const refresh = () => this.refresh(session.name);
    this.sessionWatch.set(session, [
      session.events.on('connectionOpened', refresh),
      session.events.on('connectionChanged', refresh),
      session.events.on('connectionClosed', refresh),
      // Cookie changes arrive through host.onDidChangeCookies, which also covers edits and merges.
    ]);
  }

  /** Redraws one session's node (and what is under it) within DEBOUNCE_MS. */
  refresh(session: string): void {
    this.pending.add(session);
    this.schedule();
  }

  refreshAll(): void {
    this.pendingRoot = true;
    this.schedule();
  }

  /** Resolves once every change seen so far has reached the view. */
  whenSettled(): Promise<void> {
    if (!this.refreshTimer && this.pending.size === 0 && !this.pendingRoot) return Promise.resolve();
    if (!this.settled) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      this.settled = { promise, resolve };
    }
    return this.settled.promise;
  }

  private schedule(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => void this.flush(), DEBOUNCE_MS);
  }

  /** Recomputes the changed sessions' models first, so getTreeItem answers from fresh data. */
  private async flush(): Promise<void> {
    const root = this.pendingRoot;
    const names = [...this.pending];
    this.pendingRoot = false;
    this.pending.clear();
    const settled = this.settled;
    this.settled = null;
    try {
      const registry = this.host.registry;
      const sessions = root
        ? registry.list()
        : names.map((n) => registry.find(n)).filter((s) => s !== undefined);
      await Promise.all(sessions.map((s) => this.computeModel(s, false)));
      if (root) {
        this.changed.fire(undefined);
      } else {
        const known = names.map((n) => this.nodes.get(ids.session(n)));
        // A session never drawn yet is new to the view: only a root refresh shows it.
        if (known.some((n) => n === undefined) && names.some((n) => registry.find(n)))
          this.changed.fire(undefined);
        else this.changed.fire(known.filter((n): n is SidebarNode => n !== undefined));
      }
    } finally {
      this.refreshTimer = undefined;
      if (this.pending.size > 0 || this.pendingRoot) this.schedule();
      if (settled) {
        if (this.refreshTimer) void this.whenSettled().then(settled.resolve);
        else settled.resolve();
      }
    }
  }

  /** `notify`: when the model was asked for outside a refresh (the view, a command) and a cookie expired since
   * the last one, the view is told, since computing it here also cancels the expiry timer that would have. */
  private async computeModel(session: Session, notify = true): Promise<SessionModel> {
    const now = this.now();
    const previous = this.models.get(session.name);
    const model = buildSessionModel({
      name: session.name,
      cookies: await listCookieEntries(session.jar, now),
      connections: session.connections(),
      now,
      masked: this.masked,
    });
    this.models.set(session.name, model);
    this.prune(model);
    this.scheduleExpiry();
    if (notify && previous?.nextExpiry != null && previous.nextExpiry <= now.getTime())
      this.refresh(session.name);
    return model;
  }

  /** Forgets nodes of things that are gone, so the map does not grow with every cookie ever seen. */
  private prune(model: SessionModel): void {
    const live = new Set<string>([
      ids.session(model.name),
      ids.cookies(model.name),
      ids.connections(model.name),
    ]);
    for (const d of model.domains) {
      live.add(d.id);
      for (const c of d.cookies) live.add(c.id);
    }
    for (const o of model.origins) {
      live.add(o.id);
      for (const c of o.connections) live.add(c.id);
    }
    for (const [id, node] of this.nodes)
      if (node.session === model.name && !live.has(id)) this.nodes.delete(id);
  }

  /** Re-draws a session when its next cookie expires, so expired cookies drop out on their own. */
  private scheduleExpiry(): void {
    const next = Math.min(...[...this.models.values()].map((m) => m.nextExpiry ?? Number.POSITIVE_INFINITY));
    const at = Number.isFinite(next) ? next : null;
    if (at === this.expiryAt) return;
    clearTimeout(this.expiryTimer);
    this.expiryAt = at;
    if (at === null) return;
    const delay = Math.min(Math.max(at - this.now().getTime() + 20, 20), MAX_TIMER_MS);
    this.expiryTimer = setTimeout(() => {
      this.expiryAt = null;
      const now = this.now().getTime();
      for (const model of this.models.values())
        if (model.nextExpiry !== null && model.nextExpiry <= now) this.refresh(model.name);
      this.scheduleExpiry();
    }, delay);
  }

  private node<N extends SidebarNode>(node: N): N {
    const existing = this.nodes.get(node.id);
    if (existing) return existing as N;
    this.nodes.set(node.id, node);
    return node;
  }

  sessionNode(session: string): NodeOf<'session'> {
    return this.node({ kind: 'session', id: ids.session(session), session });
  }

  cookieNode(model: CookieModel): NodeOf<'cookie'> {
    const { session, domain, path, name } = model.key;
    return this.node({ kind: 'cookie', id: model.id, session, domain, path, name });
  }

  private domainNode(session: string, domain: string): NodeOf<'domain'> {
    return this.node({ kind: 'domain', id: ids.domain(session, domain), session, domain });
  }

  private async modelOf(session: string): Promise<SessionModel | undefined> {
    const cached = this.models.get(session);
    if (cached) return cached;
    const live = this.host.registry.find(session);
    return live ? this.computeModel(live) : undefined;
  }

  /** The current model (computed if needed) for a session, for commands and tests. */
  async model(session: string): Promise<SessionModel | undefined> {
    const live = this.host.registry.find(session);
    return live ? this.computeModel(live) : undefined;
  }

  async getChildren(element?: SidebarNode): Promise<SidebarNode[]> {
    if (!element) {
      const sessions = this.host.registry.list().sort((a, b) => sessionOrder(a.name, b.name));
      await Promise.all(sessions.map((s) => this.computeModel(s)));
      return sessions.map((s) => this.sessionNode(s.name));
    }
    const model = await this.modelOf(element.session);
    if (!model) return [];
    const session = element.session;
    switch (element.kind) {
      case 'session':
        return [
          this.node({ kind: 'cookies', id: ids.cookies(session), session }),
          this.node({ kind: 'connections', id: ids.connections(session), session }),
        ];
      case 'cookies':
        return model.domains.map((d) => this.domainNode(session, d.domain));
      case 'domain':
        return (findDomain(model, element.domain)?.cookies ?? []).map((c) => this.cookieNode(c));
      case 'connections':
        return model.origins.map((o) =>
          this.node({ kind: 'origin', id: o.id, session, origin: o.origin } as const),
        );
      case 'origin':
        return (model.origins.find((o) => o.origin === element.origin)?.connections ?? []).map((c) =>
          this.node({
            kind: 'connection',
            id: c.id,
            session,
            origin: element.origin,
            connectionId: c.connectionId,
          } as const),
        );
      default:
        return [];
    }
  }

  getParent(element: SidebarNode): SidebarNode | undefined {
    const session = element.session;
    switch (element.kind) {
      case 'session':
        return undefined;
      case 'cookies':
      case 'connections':
        return this.sessionNode(session);
      case 'domain':
        return this.node({ kind: 'cookies', id: ids.cookies(session), session });
      case 'cookie':
        return this.domainNode(session, element.domain);
      case 'origin':
        return this.node({ kind: 'connections', id: ids.connections(session), session });
      case 'connection':
        return this.node({
          kind: 'origin',
          id: ids.origin(session, element.origin),
          session,
          origin: element.origin,
        });
    }
  }

  getTreeItem(element: SidebarNode): vscode.TreeItem {
    const model = this.models.get(element.session);
    const item = this.itemFor(element, model);
    item.id = element.id;
    return item;
  }

  private itemFor(element: SidebarNode, model: SessionModel | undefined): vscode.TreeItem {
    const { Expanded, None } = vscode.TreeItemCollapsibleState;
    if (!model) return new vscode.TreeItem(element.session, None);
    switch (element.kind) {
      case 'session': {
        const item = new vscode.TreeItem(model.label, Expanded);
        item.description = model.description;
        item.tooltip = model.tooltip;
        item.contextValue = 'session';
        item.iconPath = new vscode.ThemeIcon('layers');
        return item;
      }
      case 'cookies': {
        const item = new vscode.TreeItem('Cookies', model.cookieCount > 0 ? Expanded : None);
        item.description = model.cookieCount > 0 ? String(model.cookieCount) : 'none';
        item.contextValue = 'cookies';
        item.iconPath = new vscode.ThemeIcon('key');
        return item;
      }
      case 'connections': {
        const item = new vscode.TreeItem('Connections', model.connectionCount > 0 ? Expanded : None);
        item.description = model.connectionCount > 0 ? String(model.connectionCount) : 'none open';
        item.contextValue = 'connections';
        item.iconPath = new vscode.ThemeIcon('plug');
        return item;
      }
      case 'domain': {
        const domain = findDomain(model, element.domain);
        const item = new vscode.TreeItem(element.domain, Expanded);
        item.description = domain?.description;
        item.contextValue = 'domain';
        item.iconPath = new vscode.ThemeIcon('globe');
        return item;
      }
      case 'cookie': {
        const cookie = findCookie(model, element);
        const item = new vscode.TreeItem(element.name, None);
        if (!cookie) return item;
        item.description = cookie.description;
        item.tooltip = new vscode.MarkdownString(cookie.tooltip);
        item.contextValue = 'cookie';
        item.iconPath = new vscode.ThemeIcon(cookie.cookie.secure ? 'lock' : 'symbol-string');
        item.accessibilityInformation = {
          label: `Cookie ${element.name} for ${element.domain}${element.path === '/' ? '' : element.path}`,
        };
        return item;
      }
      case 'origin': {
        const origin = model.origins.find((o) => o.origin === element.origin);
        const item = new vscode.TreeItem(element.origin, Expanded);
        item.description = origin?.description;
        item.contextValue = 'origin';
        item.iconPath = new vscode.ThemeIcon('server');
        return item;
      }
      case 'connection': {
        const origin = model.origins.find((o) => o.origin === element.origin);
        const connection = origin?.connections.find((c) => c.connectionId === element.connectionId);
        const item = new vscode.TreeItem(`#${element.connectionId}`, None);
        item.description = connection?.description;
        item.tooltip = connection?.tooltip;
        item.contextValue = 'connection';
        item.iconPath = new vscode.ThemeIcon(connection?.busy ? 'sync~spin' : 'circle-outline');
        return item;
      }
    }
  }

  /** The node of the cookie the response panel asked for: best match by name, then domain and path. */
  async findCookieNode(request: RevealCookieRequest): Promise<NodeOf<'cookie'> | undefined> {
    const model = await this.model(request.sessionName);
    if (!model) return undefined;
    const domain = request.domain?.replace(/^\./, '').toLowerCase() ?? null;
    const candidates = model.domains.flatMap((d) => d.cookies).filter((c) => c.key.name === request.name);
    const match =
      candidates.find(
        (c) => (domain === null || c.key.domain === domain) && (!request.path || c.key.path === request.path),
      ) ??
      candidates.find((c) => domain === null || c.key.domain === domain) ??
      candidates[0];
    return match && this.cookieNode(match);
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    clearTimeout(this.expiryTimer);
    this.settled?.resolve();
    for (const d of [...this.disposables, ...this.registryWatch]) d.dispose();
    for (const list of this.sessionWatch.values()) for (const d of list) d.dispose();
  }
}

function findDomain(model: SessionModel, domain: string): DomainModel | undefined {
  return model.domains.find((d) => d.domain === domain);
}

function findCookie(
  model: SessionModel,
  ref: { domain: string; path: string; name: string },
): CookieModel | undefined {
  return findDomain(model, ref.domain)?.cookies.find(
    (c) => c.key.path === ref.path && c.key.name === ref.name,
  );
}
