// Which request a command means: the CodeLens passes (uri, line); from the
// palette or a keybinding it is the request under the cursor, or the
// selected text parsed on its own.
import * as vscode from 'vscode';
import { type HttpDocument, type HttpRequest, parseHttp } from '../core/parser';
import type { ParsedDocuments } from './parsedDocuments';

export interface RequestTarget {
  readonly editorDocument: vscode.TextDocument;
  readonly document: HttpDocument;
  readonly request: HttpRequest;
}

export function requestAt(doc: HttpDocument, line: number): HttpRequest | undefined {
  return (
    doc.requests.find((r) => r.ranges.block.start.line <= line && line <= r.ranges.block.end.line) ??
    doc.requests.find((r) => r.ranges.requestLine.start.line === line)
  );
}

export async function findTarget(
  documents: ParsedDocuments,
  uri?: vscode.Uri,
  line?: number,
): Promise<RequestTarget | undefined> {
  if (uri instanceof vscode.Uri && typeof line === 'number') {
    const editorDocument = await vscode.workspace.openTextDocument(uri);
    const document = documents.get(editorDocument);
    const request =
      document.requests.find((r) => r.ranges.requestLine.start.line === line) ?? requestAt(document, line);
    return request ? { editorDocument, document, request } : undefined;
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const editorDocument = editor.document;
  const full = documents.get(editorDocument);
  const selection = editor.selection;
  if (!selection.isEmpty) {
    // The selection alone, at its own lines, with the file's variables and file-wide directives.
    const text =
      '\n'.repeat(selection.start.line) +
      ' '.repeat(selection.start.character) +
      editorDocument.getText(selection);
    const selected = parseHttp(text);
    if (selected.requests.length > 0) {
      const document: HttpDocument = {
        ...selected,
        variables: [...full.variables, ...selected.variables],
        fileDirectives: full.fileDirectives,
      };
      return { editorDocument, document, request: selected.requests[0] };
    }
  }
  const request = requestAt(full, selection.active.line);
  return request ? { editorDocument, document: full, request } : undefined;
}
