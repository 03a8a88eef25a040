// The file system the CLI passes in: Node's, with a missing file as undefined.
import { readFile } from 'node:fs/promises';
import type { VariableFileSystem } from './model';

export const nodeFileSystem: VariableFileSystem = {
  async readFile(path) {
    try {
      return await readFile(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw e;
    }
  },
};
