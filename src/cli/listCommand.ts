// `http-session list FILE [--json]`: what the parser read, as the JSON
// contract other tools rely on, or as a table for people.
import type { HttpDocument, HttpRequest } from '../core/parser';

export interface ListedRequest {
  name: string | null;
  method: string;
  url: string;
  httpVersion: string | null;
  line: number;
  headers: [string, string][];
  body: string | null;
  bodyFile: string | null;
  directives: Record<string, string | true>;
}

export function listRequest(request: HttpRequest): ListedRequest {
  const directives: Record<string, string | true> = {};
  for (const d of request.directives) directives[d.name] = d.value;
  const file = request.body?.file ?? null;
  return {
    name: request.name,
    method: request.method,
    url: request.url,
    httpVersion: request.httpVersion,
    line: request.ranges.requestLine.start.line + 1,
    headers: request.headers.map((h) => [h.name, h.value]),
    body: request.body && !file ? request.body.text : null,
    bodyFile: file ? file.path : null,
    directives,
  };
}

export function formatTable(doc: HttpDocument): string {
  const rows = doc.requests.map((r, i) => [
    String(i + 1),
    String(r.ranges.requestLine.start.line + 1),
    r.name ?? '-',
    r.method,
    r.url,
  ]);
  if (rows.length === 0) return 'No requests.';
  const header = ['#', 'LINE', 'NAME', 'METHOD', 'URL'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const format = (row: string[]) =>
    row
      .map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return [format(header), ...rows.map(format)].join('\n');
}
