// Send Request, Send All, Cancel and Rerun Last: from a target request to a
// response in the panel, with cancellable progress for anything slow.
import * as vscode from 'vscode';
import type { RunOutcome } from '../core/run';
import type { ParsedDocuments } from './parsedDocuments';
import { logResult } from './log';
import type { ResponsePanel } from './panel/responsePanel';
import { askPrompts } from './prompts';
import type { RunningRequests } from './runningRequests';
import { requestKey } from './runningRequests';
import type { SessionHost } from './sessionHost';
import { findTarget, type RequestTarget } from './targets';

/** Progress appears only for requests slower than this, so quick ones do not flash a notification. */
const PROGRESS_DELAY_MS = 300;

export interface SendDependencies {
  readonly documents: ParsedDocuments;
  readonly host: SessionHost;
  readonly running: RunningRequests;
  readonly panel: ResponsePanel;
  readonly log: vscode.LogOutputChannel;
}

export class SendCommands {
  private last: { uri: vscode.Uri; line: number } | null = null;
  private readonly outcomesEmitter = new vscode.EventEmitter<RunOutcome>();
  /** Every finished run, for views that follow the session (and for tests). */
  readonly onDidFinish = this.outcomesEmitter.event;

  constructor(private readonly deps: SendDependencies) {}

  rerunLast(): Promise<RunOutcome | undefined> {
    return this.last ? this.sendRequest(this.last.uri, this.last.line) : this.sendRequest();
  }

  async sendRequest(uri?: vscode.Uri, line?: number): Promise<RunOutcome | undefined> {
    const target = await findTarget(this.deps.documents, uri, line);
    if (!target) {
      void vscode.window.showWarningMessage(
        'HTTP Session: put the cursor in a request (or select one) to send it.',
      );
      return undefined;
    }
    const requestLine = target.request.ranges.requestLine.start.line;
    this.last = { uri: target.editorDocument.uri, line: requestLine };
    const key = requestKey(target.editorDocument.uri, requestLine);
    const signal = this.deps.running.start(key);
    try {
      const outcome = await withDelayedProgress(
        `Sending ${target.request.method} ${target.request.url}`,
        signal,
        () => this.deps.running.cancel(key),
        () => this.run(target, signal),
      );
      if (outcome) this.show(target, outcome);
      return outcome;
    } finally {
      this.deps.running.finish(key, signal);
    }
  }

  dispose(): void {
    this.outcomesEmitter.dispose();
  }

  async sendAll(uri?: vscode.Uri): Promise<RunOutcome[]> {
    const editorDocument =
      uri instanceof vscode.Uri
        ? await vscode.workspace.openTextDocument(uri)
        : vscode.window.activeTextEditor?.document;
    if (!editorDocument) return [];
    const document = this.deps.documents.get(editorDocument);
    const outcomes: RunOutcome[] = [];
    const all = requestKey(editorDocument.uri, -1);
    const signal = this.deps.running.start(all);
    try {
      await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: 'HTTP Session: Send All',
          cancellable: true,
        },
        async (progress, token) => {
          token.onCancellationRequested(() => this.deps.running.cancel(all));
          const total = document.requests.length;
          for (const [i, request] of document.requests.entries()) {
            if (signal.aborted) break;
            progress.report({
              message: `${i + 1}/${total} ${request.name ?? `${request.method} ${request.url}`}`,
              increment: 100 / total,
            });
            const target = { editorDocument, document, request };
            const outcome = await this.run(target, signal);
            if (!outcome) break;
            outcomes.push(outcome);
            this.show(target, outcome, i < total - 1);
          }
        },
      );
    } finally {
      this.deps.running.finish(all, signal);
    }
    return outcomes;
  }

  cancel(uri?: vscode.Uri, line?: number): void {
    if (uri instanceof vscode.Uri && typeof line === 'number') {
      this.deps.running.cancel(requestKey(uri, line));
      return;
    }
    const active = vscode.window.activeTextEditor?.document.uri;
    // From the keyboard: everything running in this document, or anywhere.
    if (this.deps.running.cancel(active?.toString()) === 0) this.deps.running.cancel();
  }

  private async run(target: RequestTarget, signal: AbortSignal): Promise<RunOutcome | undefined> {
    const prompts = await askPrompts(target.request);
    if (!prompts) return undefined;
    const doc = target.editorDocument;
    const lines: string[] = [];
    for (let i = 0; i < doc.lineCount; i++) lines.push(doc.lineAt(i).text);
    const outcome = await this.deps.host.runner.run({
      document: target.document,
      request: target.request,
      httpFile: doc.uri.scheme === 'file' ? doc.uri.fsPath : null,
      lines,
      prompts,
      signal,
    });
    if (outcome.result)
      logResult(this.deps.log, outcome.result, outcome.secrets, this.deps.host.settings.maskSecrets);
    else if (outcome.problem)
      this.deps.log.warn(`Not sent (${doc.uri.fsPath}:${outcome.problem.line}): ${outcome.problem.message}`);
    this.outcomesEmitter.fire(outcome);
    return outcome;
  }

  private show(target: RequestTarget, outcome: RunOutcome, quiet = false): void {
    if (!outcome.result) {
      if (outcome.problem && !quiet)
        void vscode.window.showErrorMessage(outcome.problem.message.split('\n').join(' '));
      return;
    }
    if (outcome.result.error?.code === 'CANCELLED') return;
    const perRequest = this.deps.host.settings.panelPerRequest;
    const line = target.request.ranges.requestLine.start.line;
    const key = perRequest
      ? `request:${target.editorDocument.uri.toString()}#${line}`
      : `session:${outcome.session}`;
    this.deps.panel.show(key, {
      result: outcome.result,
      requestName: target.request.name,
      sessionName: outcome.session,
      source: { file: target.editorDocument.uri.toString(), line },
      secrets: outcome.secrets,
    });
  }
}

/** Runs `work`, showing a cancellable notification only if it takes longer than PROGRESS_DELAY_MS. */
async function withDelayedProgress<T>(
  title: string,
  signal: AbortSignal,
  cancel: () => void,
  work: () => Promise<T>,
): Promise<T> {
  const running = work();
  let finished = false;
  void running.finally(() => {
    finished = true;
  });
  const timer = setTimeout(() => {
    if (finished || signal.aborted) return;
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `HTTP Session: ${title}`, cancellable: true },
      async (_progress, token) => {
        token.onCancellationRequested(cancel);
        await running.catch(() => undefined);
      },
    );
  }, PROGRESS_DELAY_MS);
  try {
    return await running;
  } finally {
    clearTimeout(timer);
  }
}
