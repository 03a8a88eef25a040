import { readFileSync } from 'node:fs';
import { UsageError } from './usage';

export function readDocumentText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(code ?? e);
    throw new UsageError(`Cannot read ${file}: ${why}.`);
  }
}
