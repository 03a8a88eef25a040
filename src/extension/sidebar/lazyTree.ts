// The Sessions view as activation creates it: a stand-in provider with no
// engine code behind it. The first time the view asks for its children the
// engine starts and attaches the real provider; a restarted engine attaches
// its own. Keeps activation cheap while the view still works when opened first.
import * as vscode from 'vscode';
import { SESSIONS_VIEW, type SidebarNode } from './nodes';

export interface SidebarSlot {
  readonly view: vscode.TreeView<SidebarNode>;
  /** Puts `provider` behind the view until the returned disposable is disposed. */
  attach(provider: vscode.TreeDataProvider<SidebarNode>): vscode.Disposable;
}

class LazyTreeProvider implements vscode.TreeDataProvider<SidebarNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SidebarNode | SidebarNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private target: vscode.TreeDataProvider<SidebarNode> | undefined;
  private forward: vscode.Disposable | undefined;

  constructor(private readonly start: () => void) {}

  attach(provider: vscode.TreeDataProvider<SidebarNode>): vscode.Disposable {
    this.forward?.dispose();
    this.target = provider;
    this.forward = provider.onDidChangeTreeData?.((e) => this.changed.fire(e ?? undefined));
    this.changed.fire(undefined);
    return new vscode.Disposable(() => {
      if (this.target !== provider) return;
      this.forward?.dispose();
      this.forward = undefined;
      this.target = undefined;
      this.changed.fire(undefined);
    });
  }

  getTreeItem(element: SidebarNode): vscode.TreeItem | Thenable<vscode.TreeItem> {
    return this.target ? this.target.getTreeItem(element) : new vscode.TreeItem(element.id);
  }

  getChildren(element?: SidebarNode): vscode.ProviderResult<SidebarNode[]> {
    if (!this.target) this.start();
    return this.target?.getChildren(element) ?? [];
  }

  getParent(element: SidebarNode): vscode.ProviderResult<SidebarNode> {
    return this.target?.getParent?.(element);
  }

  resolveTreeItem(item: vscode.TreeItem, element: SidebarNode, token: vscode.CancellationToken) {
    return this.target?.resolveTreeItem?.(item, element, token) ?? item;
  }

  dispose(): void {
    this.forward?.dispose();
    this.changed.dispose();
  }
}

export function createSessionsView(start: () => void): SidebarSlot & vscode.Disposable {
  const provider = new LazyTreeProvider(start);
  const view = vscode.window.createTreeView(SESSIONS_VIEW, {
    treeDataProvider: provider,
    showCollapseAll: true,
    canSelectMany: true,
  });
  return {
    view,
    attach: (p) => provider.attach(p),
    dispose: () => {
      view.dispose();
      provider.dispose();
    },
  };
}
