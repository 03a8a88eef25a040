// The editor side of the response panel: one WebviewPanel per key (the caller
// chooses: per session, or per request), re-rendered with a fresh nonce on
// every show, and the work behind the page's buttons. Everything it shows
// comes from the pure view model and renderer.
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { PageCursor } from './body';
import { nextPage } from './bodyPages';
import { toCurl } from './curl';
import { suggestFileName } from './fileName';
import { renderResponseHtml } from './html';
import { type BodyPageMessage, parseWebviewMessage, type WebviewMessage } from './messages';
import { languageIdFor } from './mime';
import { createNonce } from './nonce';
import { buildResponseView, panelTitle, type ResponseView, type ResponseViewInput } from './viewModel';

export interface RevealCookieRequest {
  readonly sessionName: string;
  readonly name: string;
  readonly domain: string | null;
  readonly path: string | null;
}

interface Entry {
  readonly panel: vscode.WebviewPanel;
  input: ResponseViewInput;
  view: ResponseView;
  showSecrets: boolean;
  /** Cursors of the body pages the page may ask for next, by offset. */
  pages: Map<number, PageCursor>;
}

export class ResponsePanel implements vscode.Disposable {
  static readonly viewType = 'httpSession.response';
  private readonly entries = new Map<string, Entry>();
  private readonly revealCookieEmitter = new vscode.EventEmitter<RevealCookieRequest>();
  /** A cookie name was clicked: the cookie tree should reveal it. */
  readonly onDidRequestRevealCookie = this.revealCookieEmitter.event;

  constructor(private readonly extensionUri: vscode.Uri) {}

  /** Shows a response in the panel for `key`, creating the panel beside the editor the first time. */
  show(key: string, input: ResponseViewInput, title?: string): void {
    let entry = this.entries.get(key);
    if (entry) {
      entry.input = input;
      // Every new response starts masked, whatever the previous one showed.
      entry.showSecrets = false;
      this.render(entry);
      if (!entry.panel.visible) entry.panel.reveal(undefined, true);
    } else {
      entry = this.create(key, input);
    }
    entry.panel.title = title ?? panelTitle(entry.view);
  }

  dispose(): void {
    for (const entry of [...this.entries.values()]) entry.panel.dispose();
    this.revealCookieEmitter.dispose();
  }

  private create(key: string, input: ResponseViewInput): Entry {
    const panel = vscode.window.createWebviewPanel(
      ResponsePanel.viewType,
      'Response',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        enableScripts: true,
        enableFindWidget: true,
        localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist')],
      },
    );
    const entry: Entry = { panel, input, showSecrets: false, ...this.renderInto(panel, input, false) };
    const onMessage = panel.webview.onDidReceiveMessage((data: unknown) => this.onMessage(entry, data));
    panel.onDidDispose(() => {
      onMessage.dispose();
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    this.entries.set(key, entry);
    return entry;
  }

  private render(entry: Entry): void {
    Object.assign(entry, this.renderInto(entry.panel, entry.input, entry.showSecrets));
  }

  /** Builds the view and sets the page, with a fresh nonce each time. */
  private renderInto(
    panel: vscode.WebviewPanel,
    input: ResponseViewInput,
    showSecrets: boolean,
  ): Pick<Entry, 'view' | 'pages'> {
    const view = buildResponseView(input, { showSecrets });
    const next = 'next' in view.body ? view.body.next : null;
    const webview = panel.webview;
    webview.html = renderResponseHtml(
      view,
      {
        asWebviewUri: (path) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, path)).toString(),
        cspSource: webview.cspSource,
      },
      createNonce(),
    );
    return { view, pages: new Map(next ? [[next.offset, next]] : []) };
  }

  private async onMessage(entry: Entry, data: unknown): Promise<void> {
    const message = parseWebviewMessage(data);
    if (!message) return;
    try {
      await this.handle(entry, message);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      void vscode.window.showErrorMessage(`HTTP Session: could not ${message.type}: ${reason}`);
    }
  }

  private async handle(entry: Entry, message: WebviewMessage): Promise<void> {
    const { result } = entry.input;
    const response = result.response;
    switch (message.type) {
      case 'copyBody': {
        if (!response) return;
        const bytes = entry.view.body.kind === 'binary' || entry.view.body.kind === 'image';
        await vscode.env.clipboard.writeText(
          bytes ? Buffer.from(response.body).toString('base64') : response.text,
        );
        vscode.window.setStatusBarMessage(
          bytes ? 'Response body copied as Base64' : 'Response body copied',
          3000,
        );
        return;
      }
      case 'saveBody': {
        if (!response) return;
        const uri = await vscode.window.showSaveDialog({
          defaultUri: vscode.Uri.joinPath(saveFolder(entry.input), suggestFileName(result)),
          saveLabel: 'Save Body',
        });
        if (uri) await vscode.workspace.fs.writeFile(uri, response.body);
        return;
      }
      case 'openInEditor': {
        if (!response) return;
        const document = await vscode.workspace.openTextDocument({
          content: response.text,
          language: languageIdFor(response.contentType),
        });
        await vscode.window.showTextDocument(document, { preview: false });
        return;
      }
      case 'copyAsCurl':
        if (!result.sent) return;
        // The real request, credentials included: the command has to work when pasted.
        await vscode.env.clipboard.writeText(toCurl(result.sent));
        vscode.window.setStatusBarMessage('Request copied as cURL', 3000);
        return;
      case 'toggleSecrets':
        entry.showSecrets = !entry.showSecrets;
        this.render(entry);
        return;
      case 'goToRequest':
        await goToRequest(entry.input);
        return;
      case 'revealCookie':
        this.revealCookieEmitter.fire({
          sessionName: entry.input.sessionName,
          name: message.name,
          domain: message.domain,
          path: message.path,
        });
        return;
      case 'loadMore': {
        const cursor = entry.pages.get(message.offset);
        const body = entry.view.body;
        if (!cursor || !response || !('next' in body)) return;
        const page = nextPage(response.text, body.kind, cursor, response.truncated);
        if (page.next) entry.pages.set(page.next.offset, page.next);
        const reply: BodyPageMessage = {
          type: 'bodyPage',
          offset: page.offset,
          html: page.html,
          next: page.next?.offset ?? null,
          capped: page.capped,
        };
        await entry.panel.webview.postMessage(reply);
        return;
      }
    }
  }
}

function sourceUri(file: string): vscode.Uri {
  // `C:\…` is a Windows path, not a URI with scheme `c`.
  return /^[a-z][a-z0-9+.-]+:/i.test(file) && !/^[a-z]:[\\/]/i.test(file)
    ? vscode.Uri.parse(file)
    : vscode.Uri.file(file);
}

function saveFolder(input: ResponseViewInput): vscode.Uri {
  const source = input.source ? sourceUri(input.source.file) : null;
  if (source?.scheme === 'file') return vscode.Uri.joinPath(source, '..');
  return vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
}

async function goToRequest(input: ResponseViewInput): Promise<void> {
  if (!input.source) return;
  const uri = sourceUri(input.source.file);
  const at = new vscode.Position(input.source.line, 0);
  // Back to where the file is already open, not into the panel's column.
  const column = vscode.window.visibleTextEditors.find(
    (e) => e.document.uri.toString() === uri.toString(),
  )?.viewColumn;
  await vscode.window.showTextDocument(uri, {
    selection: new vscode.Range(at, at),
    viewColumn: column,
    preview: false,
  });
}
