// Copy as cURL (the request resolved, as it would go out) and Import cURL
// (a pasted command becomes a request in the `.http` file).
import * as vscode from 'vscode';
import { parseCurl } from '../core/parser';
import { toCurl } from './panel/curl';
import type { ParsedDocuments } from './parsedDocuments';
import type { SessionHost } from './sessionHost';
import { findTarget } from './targets';

/** A curl command as `.http` text: request line, headers, blank line, body. */
export function curlToHttp(command: string): string {
  const curl = parseCurl(command.trim().startsWith('curl') ? command.trim() : `curl ${command.trim()}`);
  const lines: string[] = [];
  if (curl.insecure) lines.push('# @insecure');
  lines.push(`${curl.method} ${curl.url}${curl.httpVersion ? ` ${curl.httpVersion}` : ''}`);
  for (const [name, value] of curl.headers) lines.push(`${name}: ${value}`);
  if (curl.body !== null) lines.push('', curl.body);
  return lines.join('\n');
}

export class CurlCommands {
  constructor(
    private readonly documents: ParsedDocuments,
    private readonly host: SessionHost,
  ) {}

  async copyAsCurl(uri?: vscode.Uri, line?: number): Promise<string | undefined> {
    const target = await findTarget(this.documents, uri, line);
    if (!target) {
      void vscode.window.showWarningMessage('HTTP Session: put the cursor in a request to copy it as cURL.');
      return undefined;
    }
    const doc = target.editorDocument;
    const prepared = await this.host.runner.prepare({
      document: target.document,
      request: target.request,
      httpFile: doc.uri.scheme === 'file' ? doc.uri.fsPath : null,
    });
    if (!prepared.resolved) {
      void vscode.window.showErrorMessage(
        prepared.problem?.message.split('\n').join(' ') ?? 'Cannot resolve the request.',
      );
      return undefined;
    }
    const r = prepared.resolved;
    const command = toCurl({ method: r.method, url: r.url, headers: r.headers, body: r.body });
    await vscode.env.clipboard.writeText(command);
    void vscode.window.setStatusBarMessage('HTTP Session: copied as cURL', 3000);
    return command;
  }

  async importCurl(command?: string): Promise<void> {
    const text =
      typeof command === 'string'
        ? command
        : await vscode.window.showInputBox({
            title: 'HTTP Session: Import cURL',
            prompt: 'Paste a curl command',
            value: (await vscode.env.clipboard.readText()).trim().startsWith('curl')
              ? (await vscode.env.clipboard.readText()).trim()
              : '',
            ignoreFocusOut: true,
          });
    if (!text) return;
    const http = curlToHttp(text);
    const editor = vscode.window.activeTextEditor;
    if (editor && editor.document.languageId === 'http') {
      const at = editor.selection.active;
      const prefix = editor.document.getText().trim().length > 0 ? '\n###\n' : '';
      await editor.edit((b) => b.insert(at, `${prefix}${http}\n`));
    } else {
      const doc = await vscode.workspace.openTextDocument({ language: 'http', content: `${http}\n` });
      await vscode.window.showTextDocument(doc);
    }
  }
}
