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

export function registerParseDiagnostics(documents: ParsedDocuments): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('httpSession');
  const refresh = (doc: vscode.TextDocument) => {
    if (!ParsedDocuments.isHttp(doc)) return;
    collection.set(doc.uri, documents.get(doc).diagnostics.map(toVsDiagnostic));
  };
  vscode.workspace.textDocuments.forEach(refresh);
  return vscode.Disposable.from(
    collection,
    vscode.workspace.onDidOpenTextDocument(refresh),
    documents.onDidChange(refresh),
    vscode.workspace.onDidCloseTextDocument((d) => collection.delete(d.uri)),
  );
}
