// Outline (document symbols) and folding: one entry per request block.
import * as vscode from 'vscode';
import type { HttpRequest } from '../core/parser';
import type { ParsedDocuments } from './parsedDocuments';
import { toVsRange } from './ranges';

export function requestLabel(request: HttpRequest): string {
  return request.name ?? `${request.method} ${request.url}`;
}

export class RequestOutlineProvider implements vscode.DocumentSymbolProvider, vscode.FoldingRangeProvider {
  constructor(private readonly documents: ParsedDocuments) {}

  provideDocumentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] {
    return this.documents.get(document).requests.map((request) => {
      const symbol = new vscode.DocumentSymbol(
        requestLabel(request),
        request.name ? `${request.method} ${request.url}` : '',
        vscode.SymbolKind.Method,
        toVsRange(request.ranges.block),
        toVsRange(request.ranges.requestLine),
      );
      return symbol;
    });
  }

  provideFoldingRanges(document: vscode.TextDocument): vscode.FoldingRange[] {
    const ranges: vscode.FoldingRange[] = [];
    for (const request of this.documents.get(document).requests) {
      const { start, end } = request.ranges.block;
      if (end.line > start.line)
        ranges.push(new vscode.FoldingRange(start.line, end.line, vscode.FoldingRangeKind.Region));
    }
    return ranges;
  }
}
