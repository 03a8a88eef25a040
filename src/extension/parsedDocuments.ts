// One incremental parser per open `.http` document (and per Markdown
// document, for its fenced http blocks), kept in step with edits so every
// provider asks for the model instead of parsing again.
import * as vscode from 'vscode';
import { type HttpDocument, HttpDocumentParser, parseHttp } from '../core/parser';
import { extractMarkdownHttp } from './markdownBlocks';

interface Entry {
  version: number;
  parser: HttpDocumentParser | null;
  document: HttpDocument;
}

export class ParsedDocuments implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<vscode.TextDocument>();
  /** Fires after a document's model changed. */
  readonly onDidChange = this.changed.event;

  constructor() {
    this.disposables.push(
      this.changed,
      vscode.workspace.onDidChangeTextDocument((e) => this.update(e)),
      vscode.workspace.onDidCloseTextDocument((d) => this.entries.delete(d.uri.toString())),
    );
  }

  static isHttp(document: vscode.TextDocument): boolean {
    return document.languageId === 'http';
  }

  static isSupported(document: vscode.TextDocument): boolean {
    return document.languageId === 'http' || document.languageId === 'markdown';
  }

  get(document: vscode.TextDocument): HttpDocument {
    const key = document.uri.toString();
    const entry = this.entries.get(key);
    if (entry && entry.version === document.version) return entry.document;
    const fresh = this.parse(document);
    this.entries.set(key, fresh);
    return fresh.document;
  }

  private parse(document: vscode.TextDocument): Entry {
    if (document.languageId === 'markdown') {
      return {
        version: document.version,
        parser: null,
        document: parseHttp(extractMarkdownHttp(document.getText())),
      };
    }
    const parser = new HttpDocumentParser(document.getText());
    return { version: document.version, parser, document: parser.document };
  }

  private update(e: vscode.TextDocumentChangeEvent): void {
    const key = e.document.uri.toString();
    const entry = this.entries.get(key);
    if (!entry) return;
    if (e.contentChanges.length === 0) return;
    // One change (typing, paste, delete) re-reads only the blocks it touched.
    if (entry.parser && e.contentChanges.length === 1 && entry.version === e.document.version - 1) {
      const change = e.contentChanges[0];
      const start = change.range.start.line;
      const deleted = change.range.end.line - start + 1;
      const inserted = 1 + countNewlines(change.text);
      const lines: string[] = [];
      for (let i = start; i < start + inserted; i++) lines.push(e.document.lineAt(i).text);
      entry.document = entry.parser.applyEdit(start, deleted, lines);
      entry.version = e.document.version;
    } else {
      this.entries.set(key, this.parse(e.document));
    }
    this.changed.fire(e.document);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.entries.clear();
  }
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
