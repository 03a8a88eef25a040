// Parser problems as editor diagnostics, refreshed as the model changes.
import * as vscode from 'vscode';
import type { ParseDiagnostic } from '../core/parser';
import { ParsedDocuments } from './parsedDocuments';
import { toVsRange } from './ranges';

const SEVERITY = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
} as const;

export function toVsDiagnostic(d: ParseDiagnostic): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toVsRange(d.range), d.message, SEVERITY[d.severity]);
  diagnostic.source = 'HTTP Session';
  diagnostic.code = d.code;
  return diagnostic;
}

/**
 * A moment after a file opens or changes: the parser reads a block's headers
 * and body only when asked, and the diagnostics ask for every block, so
 * waiting lets the code lenses (request lines only) come first, and a burst
 * of typing costs one pass.
 */
const DELAY_MS = 100;

export function registerParseDiagnostics(documents: ParsedDocuments): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('httpSession');
  const timers = new Map<string, NodeJS.Timeout>();
  const refresh = (doc: vscode.TextDocument) => {
    if (!ParsedDocuments.isHttp(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        if (!doc.isClosed) collection.set(doc.uri, documents.get(doc).diagnostics.map(toVsDiagnostic));
      }, DELAY_MS),
    );
  };
  vscode.workspace.textDocuments.forEach(refresh);
  return vscode.Disposable.from(
    collection,
    vscode.workspace.onDidOpenTextDocument(refresh),
    documents.onDidChange(refresh),
    vscode.workspace.onDidCloseTextDocument((d) => {
      clearTimeout(timers.get(d.uri.toString()));
      timers.delete(d.uri.toString());
      collection.delete(d.uri);
    }),
    {
      dispose: () => {
        for (const t of timers.values()) clearTimeout(t);
      },
    },
  );
}
