// File reading for variables (env files, `.env`, body files) through VS Code's
// file system, so it works for any workspace the editor can open.
import * as vscode from 'vscode';
import type { VariableFileSystem } from '../core/variables';

export const workspaceFileSystem: VariableFileSystem = {
  async readFile(path: string): Promise<Uint8Array | undefined> {
    try {
      return await vscode.workspace.fs.readFile(vscode.Uri.file(path));
    } catch (e) {
      if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return undefined;
      if ((e as { code?: string }).code === 'FileNotFound' || (e as { code?: string }).code === 'ENOENT')
        return undefined;
      throw e;
    }
  },
};
