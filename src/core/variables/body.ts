// The request body from its parsed parts: text runs with variables
// substituted, `< file` read as bytes (sent as is), `<@ file` read as text
// (`<@latin1 file` decoded as Latin-1) with variables substituted.
//
// Line endings, by Content-Type:
// - multipart/*: every line break written in the .http file becomes CRLF, as
//   RFC 2046 requires between boundaries and part headers; the contents of
//   files and the values of variables are never changed.
// - application/x-www-form-urlencoded: line breaks are dropped, so `&a=1`
//   lines continue the form (REST Client).
// - anything else: the text as written, lines joined with LF.
import { isAbsolute, join } from 'node:path';
import type { HttpRequest } from '../parser';
import { checkPath } from './checks';
import type { RequestField } from './fields';
import { fixedLocator } from './locate';
import type { VariableFileSystem, VariableProblem } from './model';
import { problemAt, type VariableScope } from './scope';

export interface BodyResult {
  readonly body: Uint8Array | string | null;
  readonly problems: VariableProblem[];
  readonly secrets: string[];
}

export function lineEndingRule(contentType: string | null): ((text: string) => string) | undefined {
  const mime = contentType?.split(';')[0].trim().toLowerCase() ?? '';
  if (mime.startsWith('multipart/')) return (t) => t.replace(/\r?\n/g, '\r\n');
  if (mime === 'application/x-www-form-urlencoded') return (t) => t.replace(/\r?\n[ \t]*/g, '');
  return undefined;
}

export async function assembleBody(
  request: HttpRequest,
  fields: readonly RequestField[],
  contentType: string | null,
  scope: VariableScope,
  line: number,
  baseDir: string | null,
  fs: VariableFileSystem,
): Promise<BodyResult> {
  const problems: VariableProblem[] = [];
  const secrets: string[] = [];
  if (!request.body) return { body: null, problems, secrets };
  const literal = lineEndingRule(contentType);
  const chunks: (string | Uint8Array)[] = [];

  for (const field of fields) {
    if (field.kind === 'body-text') {
      const sub = scope.substitute(field.text, field.locate, line, { literal });
      problems.push(...sub.problems);
      secrets.push(...sub.secrets);
      chunks.push(sub.text);
      continue;
    }
    if (field.kind !== 'body-file') continue;
    const part = request.body.parts[field.index];
    if (part.kind !== 'file') continue;
    const where = fixedLocator(part.range);
    const pathSub = scope.substitute(field.text, field.locate, line, { check: checkPath });
    problems.push(...pathSub.problems);
    if (pathSub.problems.length > 0) continue;
    const written = pathSub.text;
    if (!isAbsolute(written) && baseDir === null) {
      problems.push(
        problemAt(
          'file-not-found',
          `${written}: a relative path needs the .http file to be saved`,
          null,
          part.range,
        ),
      );
      continue;
    }
    const path = isAbsolute(written) ? written : join(baseDir as string, written);
    let bytes: Uint8Array | undefined;
    try {
      bytes = await fs.readFile(path);
    } catch (e) {
      problems.push(problemAt('file-read', `${written}: ${(e as Error).message}`, null, part.range));
      continue;
    }
    if (bytes === undefined) {
      problems.push(problemAt('file-not-found', `${written}: no such file (${path})`, null, part.range));
      continue;
    }
    if (!part.processVariables) {
      chunks.push(bytes);
      continue;
    }
    const encoding = (part.encoding || 'utf8').toLowerCase();
    if (!Buffer.isEncoding(encoding)) {
      problems.push(problemAt('file-read', `<@${part.encoding}: unknown encoding`, null, part.range));
      continue;
    }
    const text = decode(bytes, encoding);
    const sub = scope.substitute(text, where, line);
    problems.push(...sub.problems.map((p) => ({ ...p, message: `${p.message} (in ${written})` })));
    secrets.push(...sub.secrets);
    chunks.push(sub.text);
  }
  return { body: concatChunks(chunks), problems, secrets };
}

function decode(bytes: Uint8Array, encoding: BufferEncoding): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(encoding);
  // A UTF-8 byte order mark is not part of the text.
  return (encoding === 'utf8' || encoding === 'utf-8') && text.charCodeAt(0) === 0xfeff
    ? text.slice(1)
    : text;
}

function concatChunks(chunks: readonly (string | Uint8Array)[]): Uint8Array | string {
  if (chunks.every((c) => typeof c === 'string')) return chunks.join('');
  const encoder = new TextEncoder();
  const parts = chunks.map((c) => (typeof c === 'string' ? encoder.encode(c) : c));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
