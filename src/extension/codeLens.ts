// `Send Request` above every request (`Cancel` while it runs) and
// `Send All` above the first.
import * as vscode from 'vscode';
import type { ParsedDocuments } from './parsedDocuments';
import { type RunningRequests, requestKey } from './runningRequests';
import { toVsRange } from './ranges';

export class RequestCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly documents: ParsedDocuments,
    private readonly running: RunningRequests,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const { requests } = this.documents.get(document);
    const lenses: vscode.CodeLens[] = [];
    for (const request of requests) {
      const line = request.ranges.requestLine.start.line;
      const range = toVsRange(request.ranges.requestLine);
      const key = requestKey(document.uri, line);
      lenses.push(
        new vscode.CodeLens(
          range,
          this.running.isRunning(key)
            ? { title: 'Cancel', command: 'httpSession.cancelRequest', arguments: [document.uri, line] }
            : { title: 'Send Request', command: 'httpSession.sendRequest', arguments: [document.uri, line] },
        ),
      );
    }
    if (requests.length > 1) {
      const first = toVsRange(requests[0].ranges.requestLine);
      lenses.splice(
        1,
        0,
        new vscode.CodeLens(first, {
          title: 'Send All',
          command: 'httpSession.sendAll',
          arguments: [document.uri],
        }),
      );
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
