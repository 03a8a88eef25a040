// Requests in flight, keyed by document and request line, so the CodeLens
// can turn `Send Request` into `Cancel` and commands can cancel them.
import * as vscode from 'vscode';

export function requestKey(uri: vscode.Uri, line: number): string {
  return `${uri.toString()}#${line}`;
}

export class RunningRequests implements vscode.Disposable {
  private readonly running = new Map<string, AbortController>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  start(key: string): AbortSignal {
    this.running.get(key)?.abort();
    const controller = new AbortController();
    this.running.set(key, controller);
    this.changed.fire();
    return controller.signal;
  }

  finish(key: string, signal: AbortSignal): void {
    // A newer send of the same request may have replaced this one.
    if (this.running.get(key)?.signal === signal) {
      this.running.delete(key);
      this.changed.fire();
    }
  }

  isRunning(key: string): boolean {
    return this.running.has(key);
  }

  /** Cancels one request, or every request of a document when `key` is a document prefix. */
  cancel(keyOrPrefix?: string): number {
    let n = 0;
    for (const [key, controller] of this.running) {
      if (keyOrPrefix === undefined || key === keyOrPrefix || key.startsWith(`${keyOrPrefix}#`)) {
        controller.abort();
        this.running.delete(key);
        n++;
      }
    }
    if (n > 0) this.changed.fire();
    return n;
  }

  get size(): number {
    return this.running.size;
  }

  dispose(): void {
    this.cancel();
    this.changed.dispose();
  }
}
