// Finding and reading `http-client.env.json`, `http-client.private.env.json`
// and `.env` from the `.http` file's folder up to the workspace root, through
// an injected file system so the CLI and VS Code each supply their own.
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { type EnvFile, flattenEnvironmentSet, isPlainObject } from './environment';
import { locateJsonError } from './jsonError';
import type { DotenvFile, VariableFileSystem } from './model';

export const ENV_FILE = 'http-client.env.json';
export const PRIVATE_ENV_FILE = 'http-client.private.env.json';
export const DOTENV_FILE = '.env';

export interface FileProblem {
  readonly path: string;
  /** Follows the path: "is not valid JSON (…); its environments are ignored". */
  readonly message: string;
  /** 1-based place of the problem in the file, when it has one. */
  readonly line?: number;
  readonly column?: number;
}

export interface VariableFiles {
  /** Every env file found, public and private, with its distance from the `.http` file. */
  readonly envFiles: readonly EnvFile[];
  /** `.env` files, nearest first. Empty when not trusted. */
  readonly dotenv: readonly DotenvFile[];
  readonly problems: readonly FileProblem[];
}

export interface VariableFileOptions {
  /** Absolute path of the `.http` file. */
  readonly httpFile: string;
  /** The search stops here; null searches the `.http` file's folder only. */
  readonly workspaceRoot: string | null;
  /** False in Restricted Mode: private env files and `.env` are not read. */
  readonly trusted: boolean;
}

/** The `.http` file's folder and its parents up to the workspace root, nearest first. */
export function searchFolders(httpFile: string, workspaceRoot: string | null): string[] {
  let dir = dirname(resolve(httpFile));
  const folders = [dir];
  if (workspaceRoot === null) return folders;
  const root = resolve(workspaceRoot);
  const rel = relative(root, dir);
  // A file outside the workspace gets its own folder only: never climb into unrelated folders.
  if (rel.startsWith('..') || isAbsolute(rel)) return folders;
  while (dir !== root) {
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
    folders.push(dir);
  }
  return folders;
}

const utf8 = new TextDecoder('utf-8');

export async function loadVariableFiles(
  fs: VariableFileSystem,
  options: VariableFileOptions,
): Promise<VariableFiles> {
  const folders = searchFolders(options.httpFile, options.workspaceRoot);
  const problems: FileProblem[] = [];
  const read = async (path: string): Promise<string | undefined> => {
    try {
      const bytes = await fs.readFile(path);
      return bytes === undefined ? undefined : utf8.decode(bytes);
    } catch (e) {
      problems.push({ path, message: `could not be read: ${(e as Error).message}` });
      return undefined;
    }
  };

  const loaded = await Promise.all(
    folders.map(async (folder, distance) => {
      const envPath = join(folder, ENV_FILE);
      const privatePath = join(folder, PRIVATE_ENV_FILE);
      const dotenvPath = join(folder, DOTENV_FILE);
      const [env, priv, dotenv] = await Promise.all([
        read(envPath),
        options.trusted ? read(privatePath) : undefined,
        options.trusted ? read(dotenvPath) : undefined,
      ]);
      return { distance, envPath, privatePath, dotenvPath, env, priv, dotenv };
    }),
  );

  const envFiles: EnvFile[] = [];
  const dotenv: DotenvFile[] = [];
  for (const f of loaded) {
    for (const [path, text, isPrivate] of [
      [f.envPath, f.env, false],
      [f.privatePath, f.priv, true],
    ] as const) {
      if (text === undefined) continue;
      const parsed = parseEnvFile(path, text, isPrivate, f.distance);
      if ('message' in parsed) problems.push(parsed);
      else envFiles.push(parsed);
    }
    if (f.dotenv !== undefined) dotenv.push({ path: f.dotenvPath, values: parseDotenv(f.dotenv) });
  }
  return { envFiles, dotenv, problems };
}

export function parseEnvFile(
  path: string,
  text: string,
  isPrivate: boolean,
  distance: number,
): EnvFile | FileProblem {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Not V8's message: it quotes the text near the error, and a private env file holds secrets.
    const at = locateJsonError(text) ?? { line: 1, column: 1, message: 'not JSON' };
    return {
      path,
      line: at.line,
      column: at.column,
      message: `is not valid JSON (${at.message}); its environments are ignored`,
    };
  }
  if (!isPlainObject(json)) {
    return {
      path,
      line: 1,
      column: 1,
      message: 'must be a JSON object of environments, e.g. { "dev": { "host": "..." } }',
    };
  }
  return { path, private: isPrivate, distance, environments: flattenEnvironmentSet(json) };
}
