// What `run` says about env files before sending: each unreadable one with
// its place (`path:line:column: warning: …`), and an `--env` that names no
// environment, which would otherwise only show up as undefined variables.
import { isAbsolute, relative } from 'node:path';
import { listEnvironmentNames, type VariableFiles } from '../core/variables';
import { UsageError } from './usage';

/** A path under the current folder as a relative one, like the FILE argument usually is. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

export function checkEnvironmentFiles(
  files: VariableFiles | null,
  env: string | undefined,
  httpFile: string,
  err: (line: string) => void,
): void {
  for (const p of files?.problems ?? []) {
    err(`${shown(p.path)}:${p.line ?? 1}:${p.column ?? 1}: warning: this env file ${p.message}`);
  }
  if (env === undefined) return;
  const names = listEnvironmentNames(files?.envFiles ?? []);
  if (names.includes(env)) return;
  const found = (files?.envFiles ?? []).map((f) => shown(f.path));
  const unreadable = (files?.problems ?? []).map((p) => shown(p.path));
  const why =
    found.length > 0
      ? `no such environment in ${found.join(', ')} (${names.length > 0 ? `found: ${names.join(', ')}` : 'none defined'})`
      : unreadable.length > 0
        ? `${unreadable.join(', ')} could not be read (see above)`
        : `no http-client.env.json or http-client.private.env.json next to ${httpFile} or above it`;
  throw new UsageError(`--env ${env}: ${why}.`);
}
