// The Sessions view's actions. From a menu the first argument is the node
// (and the second the selection); from the palette there is none and the
// command asks which session or cookie; tests pass the node and, instead of
// answering prompts, the value as the second argument.
import { writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { Session } from '../../core/session';
import type { SessionHost } from '../sessionHost';
import type { CookieOrigins } from './cookieOrigins';
import {
  addCookie,
  addCookieProblem,
  type CookieRef,
  CookieRejected,
  clearDomain,
  deleteCookie,
  exportCookiesTxt,
  findCookie,
  importCookiesTxt,
  type ImportResult,
  setCookieValue,
  targetUrl,
  valueProblem,
} from './jarEdits';
import { isSidebarNode, type NodeOf, type SidebarNode } from './nodes';
import type { SessionTree } from './sessionTree';
import { sessionOrder } from './sessionTree';
import { cookieHeader, type CookieEntry } from './treeModel';

type CookieTarget = { session: Session; ref: CookieRef };

const status = (text: string) => void vscode.window.setStatusBarMessage(`HTTP Session: ${text}`, 4000);

export class CookieCommands {
  constructor(
    private readonly host: SessionHost,
    private readonly tree: SessionTree,
    private readonly origins: CookieOrigins,
    private readonly view: vscode.TreeView<SidebarNode> | null,
  ) {}

  // --- choosing what to act on -------------------------------------------------------------

  private async pickSession(arg: unknown, title: string): Promise<Session | undefined> {
    const registry = this.host.registry;
    if (isSidebarNode(arg)) return registry.find(arg.session);
    if (typeof arg === 'string') return registry.find(arg);
    const sessions = registry.list().sort((a, b) => sessionOrder(a.name, b.name));
    if (sessions.length === 0) {
      void vscode.window.showInformationMessage('HTTP Session: no session yet. Send a request to start one.');
      return undefined;
    }
    if (sessions.length === 1) return sessions[0];
    const pick = await vscode.window.showQuickPick(
      sessions.map((s) => ({ label: s.name, session: s })),
      { title },
    );
    return pick?.session;
  }

  private async pickCookie(arg: unknown, title: string): Promise<CookieTarget | undefined> {
    if (isSidebarNode(arg) && arg.kind === 'cookie') {
      const session = this.host.registry.find(arg.session);
      return session && { session, ref: { domain: arg.domain, path: arg.path, name: arg.name } };
    }
    const session = await this.pickSession(arg, title);
    if (!session) return undefined;
    const model = await this.tree.model(session.name);
    const inDomain = isSidebarNode(arg) && arg.kind === 'domain' ? arg.domain : null;
    const cookies = (model?.domains ?? [])
      .filter((d) => inDomain === null || d.domain === inDomain)
      .flatMap((d) => d.cookies);
    if (cookies.length === 0) {
      void vscode.window.showInformationMessage(`HTTP Session: session "${session.name}" has no cookies.`);
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      cookies.map((c) => ({
        label: c.label,
        description: `${c.key.domain}${c.key.path === '/' ? '' : c.key.path}`,
        detail: c.description,
        ref: c.key,
      })),
      { title, matchOnDescription: true },
    );
    return pick && { session, ref: pick.ref };
  }

  private async cookieOf(target: CookieTarget) {
    const cookie = await findCookie(target.session.jar, target.ref);
    if (!cookie) {
      void vscode.window.showWarningMessage(
        `HTTP Session: cookie ${target.ref.name} is no longer in the jar.`,
      );
      this.tree.refresh(target.session.name);
    }
    return cookie;
  }

  private edited(session: Session): void {
    this.host.cookiesEdited(session.name);
  }

  // --- the commands ---------------------------------------------------------------------------

  async copyValue(arg?: unknown): Promise<string | undefined> {
    const target = await this.pickCookie(arg, 'Copy the value of which cookie?');
    const cookie = target && (await this.cookieOf(target));
    if (!cookie) return undefined;
    await vscode.env.clipboard.writeText(cookie.value);
    status(`value of ${cookie.key} copied`);
    return cookie.value;
  }

  /** A cookie: `Cookie: name=value`; a domain or a session: every cookie under it. */
  async copyHeader(arg?: unknown, selection?: unknown): Promise<string | undefined> {
    let entries: Pick<CookieEntry, 'name' | 'value'>[];
    const selected = Array.isArray(selection) ? selection.filter(isSidebarNode) : [];
    if (
      selected.length > 1 &&
      selected.every((n) => n.kind === 'cookie' && n.session === selected[0]!.session)
    ) {
      const session = this.host.registry.find(selected[0]!.session);
      if (!session) return undefined;
      const found = await Promise.all(selected.map((n) => findCookie(session.jar, n as NodeOf<'cookie'>)));
      entries = found.filter((c) => c !== null).map((c) => ({ name: c.key, value: c.value }));
    } else if (
      isSidebarNode(arg) &&
      (arg.kind === 'domain' || arg.kind === 'session' || arg.kind === 'cookies')
    ) {
      const model = await this.tree.model(arg.session);
      const domains = (model?.domains ?? []).filter((d) => arg.kind !== 'domain' || d.domain === arg.domain);
      entries = domains.flatMap((d) => d.cookies.map((c) => c.cookie));
    } else {
      const target = await this.pickCookie(arg, 'Copy which cookie as a Cookie header?');
      const cookie = target && (await this.cookieOf(target));
      if (!cookie) return undefined;
      entries = [{ name: cookie.key, value: cookie.value }];
    }
    if (entries.length === 0) return undefined;
    const header = cookieHeader(entries);
    await vscode.env.clipboard.writeText(header);
    status(`Cookie header with ${entries.length} cookie${entries.length === 1 ? '' : 's'} copied`);
    return header;
  }

  async editValue(arg?: unknown, newValue?: unknown): Promise<CookieEntry | undefined> {
    const target = await this.pickCookie(arg, 'Edit which cookie?');
    const cookie = target && (await this.cookieOf(target));
    if (!target || !cookie) return undefined;
    const value =
      typeof newValue === 'string'
        ? newValue
        : await vscode.window.showInputBox({
            title: `Value of ${cookie.key} (${cookie.domain}${cookie.path})`,
            value: cookie.value,
            password: this.tree.masked,
            prompt: 'Every other attribute stays as it is.',
            validateInput: (v) => valueProblem(v),
          });
    if (value === undefined) return undefined;
    try {
      const updated = await setCookieValue(target.session.jar, target.ref, value);
      this.edited(target.session);
      status(`${cookie.key} updated`);
      return updated;
    } catch (err) {
      void vscode.window.showErrorMessage(`HTTP Session: ${(err as Error).message}`);
      return undefined;
    }
  }

  /** Returns the stored cookie, or `{ error }` with tough-cookie's reason when it was refused. */
  async addCookie(arg?: unknown, given?: unknown): Promise<CookieEntry | { error: string } | undefined> {
    const session = await this.pickSession(arg, 'Add a cookie to which session?');
    if (!session) return undefined;
    const input = given as { url?: unknown; cookie?: unknown } | undefined;
    let url: URL | null = typeof input?.url === 'string' ? targetUrl(input.url) : null;
    if (!url) {
      const suggested =
        isSidebarNode(arg) && arg.kind === 'domain'
          ? `https://${arg.domain}/`
          : (session.connections()[0]?.origin ?? 'https://example.com/');
      const answer = await vscode.window.showInputBox({
        title: `Add a cookie to session "${session.name}" (1/2): where it comes from`,
        prompt:
          'The URL (or domain) that sets it, as if its response had. Use http:// only if the cookie is not Secure.',
        value: suggested,
        validateInput: (v) =>
          targetUrl(v) ? null : 'An http(s) URL or a host name, e.g. https://api.example.com/',
      });
      url = answer === undefined ? null : targetUrl(answer);
      if (!url) return undefined;
    }
    const from = url;
    let line = typeof input?.cookie === 'string' ? input.cookie : undefined;
    if (line === undefined) {
      line = await vscode.window.showInputBox({
        title: `Add a cookie to session "${session.name}" (2/2): the cookie, as in Set-Cookie`,
        prompt: `name=value, then attributes: Domain=, Path=, Max-Age= or Expires=, Secure, HttpOnly, SameSite=. From ${from.origin}.`,
        placeHolder: 'name=value; Path=/; Max-Age=3600; HttpOnly; SameSite=Lax',
        value: 'name=value; Path=/',
        valueSelection: [0, 10],
        validateInput: (v) => addCookieProblem(from, v),
      });
      if (line === undefined) return undefined;
    }
    try {
      const stored = await addCookie(session.jar, from, line);
      this.edited(session);
      status(`${stored.name} added to session "${session.name}"`);
      return stored;
    } catch (err) {
      const message = err instanceof CookieRejected ? err.message : String(err);
      void vscode.window.showErrorMessage(`HTTP Session: the cookie was refused: ${message}`);
      return { error: message };
    }
  }

  async deleteCookie(arg?: unknown, selection?: unknown): Promise<number> {
    const selected = Array.isArray(selection) ? selection.filter(isSidebarNode) : [];
    const nodes = selected.filter((n): n is NodeOf<'cookie'> => n.kind === 'cookie');
    const targets: CookieTarget[] = [];
    if (nodes.length > 1) {
      for (const n of nodes) {
        const session = this.host.registry.find(n.session);
        if (session) targets.push({ session, ref: { domain: n.domain, path: n.path, name: n.name } });
      }
    } else {
      const target = await this.pickCookie(arg, 'Delete which cookie?');
      if (target) targets.push(target);
    }
    for (const t of targets) await deleteCookie(t.session.jar, t.ref);
    for (const session of new Set(targets.map((t) => t.session))) this.edited(session);
    if (targets.length === 1) status(`${targets[0]!.ref.name} deleted`);
    else if (targets.length > 1) status(`${targets.length} cookies deleted`);
    return targets.length;
  }

  async clearDomain(arg?: unknown): Promise<number> {
    let session: Session | undefined;
    let domain: string | undefined;
    if (isSidebarNode(arg) && arg.kind === 'domain') {
      session = this.host.registry.find(arg.session);
      domain = arg.domain;
    } else {
      session = await this.pickSession(arg, 'Clear a domain of which session?');
      const model = session && (await this.tree.model(session.name));
      if (!model || model.domains.length === 0) return 0;
      domain = (
        await vscode.window.showQuickPick(
          model.domains.map((d) => ({ label: d.domain, description: d.description })),
          { title: `Clear which domain's cookies in session "${session!.name}"?` },
        )
      )?.label;
    }
    if (!session || domain === undefined) return 0;
    const removed = await clearDomain(session.jar, domain);
    this.edited(session);
    status(`${removed} cookie${removed === 1 ? '' : 's'} of ${domain} removed`);
    return removed;
  }

  async clearCookies(arg?: unknown): Promise<boolean> {
    const session = await this.pickSession(arg, 'Clear the cookies of which session?');
    if (!session) return false;
    // Session.clearCookies fires cookiesChanged: the host saves and the view redraws.
    await session.clearCookies();
    status(`cookies of session "${session.name}" cleared`);
    return true;
  }

  async closeConnections(arg?: unknown): Promise<boolean> {
    const session = await this.pickSession(arg, 'Close the connections of which session?');
    if (!session) return false;
    await session.closeConnections();
    status(`connections of session "${session.name}" closed`);
    return true;
  }

  async exportCookies(
    arg?: unknown,
    destination?: unknown,
  ): Promise<{ path: string; count: number } | undefined> {
    const session = await this.pickSession(arg, 'Export the cookies of which session?');
    if (!session) return undefined;
    let uri = toUri(destination);
    if (!uri) {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const name = `cookies-${session.name.replace(/[^\w.-]+/g, '_')}.txt`;
      uri = await vscode.window.showSaveDialog({
        title: `Export the cookies of session "${session.name}" (curl -b/-c format; keep the file private)`,
        defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
        filters: { 'Netscape cookies.txt': ['txt'], 'All files': ['*'] },
        saveLabel: 'Export',
      });
      if (!uri) return undefined;
    }
    const { text, count } = await exportCookiesTxt(session.jar, session.name);
    if (uri.scheme === 'file') await writeFile(uri.fsPath, text, { mode: 0o600 });
    else await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
    status(`${count} cookie${count === 1 ? '' : 's'} of session "${session.name}" exported`);
    return { path: uri.scheme === 'file' ? uri.fsPath : uri.toString(), count };
  }

  async importCookies(arg?: unknown, source?: unknown): Promise<ImportResult | undefined> {
    const session = await this.pickSession(arg, 'Import cookies into which session?');
    if (!session) return undefined;
    let uri = toUri(source);
    if (!uri) {
      const picked = await vscode.window.showOpenDialog({
        title: `Import a cookies.txt (curl -c, browser export) into session "${session.name}"`,
        canSelectMany: false,
        filters: { 'Netscape cookies.txt': ['txt'], 'All files': ['*'] },
        openLabel: 'Import',
      });
      uri = picked?.[0];
      if (!uri) return undefined;
    }
    const text = Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8');
    const result = await importCookiesTxt(session.jar, text);
    if (result.imported > 0) this.edited(session);
    const summary = `${result.imported} cookie${result.imported === 1 ? '' : 's'} imported into session "${session.name}"`;
    if (result.skipped.length === 0) {
      void vscode.window.showInformationMessage(`HTTP Session: ${summary}.`);
    } else {
      const lines = result.skipped
        .slice(0, 5)
        .map((p) => `line ${p.line}: ${p.message}`)
        .join('; ');
      const more = result.skipped.length > 5 ? ` and ${result.skipped.length - 5} more` : '';
      void vscode.window.showWarningMessage(
        `HTTP Session: ${summary}; ${result.skipped.length} skipped (${lines}${more}).`,
      );
    }
    return result;
  }

  /** Lists the responses of this window that set the cookie; picking one copies its URL. */
  async showSetters(arg?: unknown): Promise<readonly { method: string; url: string }[] | undefined> {
    const target = await this.pickCookie(arg, 'Show the responses that set which cookie?');
    if (!target) return undefined;
    const setters = this.origins.lookup(target.session.name, target.ref);
    if (setters.length === 0) {
      void vscode.window.showInformationMessage(
        `HTTP Session: no response in this window set ${target.ref.name}; it came from an earlier window, an import or an edit.`,
      );
      return setters;
    }
    void vscode.window
      .showQuickPick(
        setters.map((s) => ({
          label: `${s.method} ${s.url}`,
          description: s.status === null ? undefined : String(s.status),
          detail: `${new Date(s.time).toLocaleTimeString()}${s.requestName ? ` · ${s.requestName}` : ''}`,
          url: s.url,
        })),
        { title: `Responses that set ${target.ref.name} (newest first); pick one to copy its URL` },
      )
      .then(async (pick) => {
        if (!pick) return;
        await vscode.env.clipboard.writeText(pick.url);
        status('URL copied');
      });
    return setters;
  }

  /** Reveals a cookie in the view (the response panel's cookie links). */
  async revealCookie(request: unknown): Promise<SidebarNode | undefined> {
    const r = request as
      | { sessionName?: unknown; name?: unknown; domain?: unknown; path?: unknown }
      | undefined;
    if (!r || typeof r.sessionName !== 'string' || typeof r.name !== 'string') return undefined;
    const node = await this.tree.findCookieNode({
      sessionName: r.sessionName,
      name: r.name,
      domain: typeof r.domain === 'string' ? r.domain : null,
      path: typeof r.path === 'string' ? r.path : null,
    });
    if (!node) {
      void vscode.window.showInformationMessage(
        `HTTP Session: ${r.name} is not in session "${r.sessionName}" any more (deleted, expired or refused).`,
      );
      return undefined;
    }
    this.tree.refresh(node.session);
    await this.tree.whenSettled();
    await this.view?.reveal(node, { select: true, focus: true, expand: true });
    return node;
  }

  showValues(): void {
    this.tree.setValuesShown(true);
  }

  hideValues(): void {
    this.tree.setValuesShown(false);
  }

  refresh(): void {
    this.tree.refreshAll();
  }

  /** The welcome view's second button: an .http file of the workspace, or a new one. */
  async openHttpFile(): Promise<void> {
    const files = await vscode.workspace.findFiles('**/*.{http,rest}', '**/node_modules/**', 200);
    let uri: vscode.Uri | undefined;
    if (files.length === 1) uri = files[0];
    else if (files.length > 1) {
      const pick = await vscode.window.showQuickPick(
        files
          .map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f }))
          .sort((a, b) => a.label.localeCompare(b.label)),
        { title: 'Open which .http file?' },
      );
      uri = pick?.uri;
      if (!uri) return;
    }
    const document = uri
      ? await vscode.workspace.openTextDocument(uri)
      : await vscode.workspace.openTextDocument({
          language: 'http',
          content:
            '# Put the cursor in a request and run "Send Request" (Ctrl+Alt+R).\nGET https://example.com/\n',
        });
    await vscode.window.showTextDocument(document);
  }
}

function toUri(value: unknown): vscode.Uri | undefined {
  if (value instanceof vscode.Uri) return value;
  if (typeof value === 'string' && value !== '') return vscode.Uri.file(value);
  return undefined;
}
