// Merging environments: the selected environment over `$shared`, private env
// files over public ones over the settings, and nearer files over farther ones.
//
// Lowest to highest, later layers overwrite earlier ones name by name:
//   settings.$shared, settings[env],
//   for each public env file, farthest first:  file.$shared, file[env],
//   for each private env file, farthest first: file.$shared, file[env].
// So the nearest file that defines a name wins, and within one file the
// selected environment beats `$shared` (REST Client's rule for `$shared`).
import type { Environment, EnvironmentEntry, EnvironmentSet, EnvironmentSource } from './model';

export const SHARED = '$shared';

/** JetBrains keys inside an environment that configure the client rather than define variables. */
const RESERVED_KEYS: ReadonlySet<string> = new Set(['SSLConfiguration', 'Security']);

export interface EnvFile {
  readonly path: string;
  readonly private: boolean;
  /** Folders between the env file and the `.http` file: 0 is the same folder. */
  readonly distance: number;
  /** Environment name → variable → value as written. */
  readonly environments: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/**
 * Reads `{ "dev": { "host": "x", "auth": { "user": "u" } } }` into names and
 * string values. Nested objects become dotted names (`auth.user`, as JetBrains
 * lets you write them), numbers and booleans their JSON text; `null` and
 * arrays are skipped, as are keys starting with `$` other than `$shared`
 * (`$schema`).
 */
export function flattenEnvironmentSet(set: EnvironmentSet): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const [envName, vars] of Object.entries(set)) {
    if (envName.startsWith('$') && envName !== SHARED) continue;
    if (!isPlainObject(vars)) continue;
    const flat = new Map<string, string>();
    flatten(vars, '', flat);
    out.set(envName, flat);
  }
  return out;
}

function flatten(obj: Readonly<Record<string, unknown>>, prefix: string, into: Map<string, string>): void {
  for (const [key, value] of Object.entries(obj)) {
    if (prefix === '' && RESERVED_KEYS.has(key)) continue;
    const name = prefix + key;
    if (typeof value === 'string') into.set(name, value);
    else if (typeof value === 'number' || typeof value === 'boolean') into.set(name, String(value));
    else if (isPlainObject(value)) flatten(value, `${name}.`, into);
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function buildEnvironment(
  files: readonly EnvFile[],
  settings: EnvironmentSet | undefined,
  selected: string | null,
): Environment {
  const variables = new Map<string, EnvironmentEntry>();
  const shared = new Map<string, EnvironmentEntry>();
  const apply = (
    envs: ReadonlyMap<string, ReadonlyMap<string, string>>,
    source: EnvironmentSource,
    path: string | null,
  ) => {
    const sharedVars = envs.get(SHARED);
    if (sharedVars) {
      for (const [name, value] of sharedVars) {
        const entry: EnvironmentEntry = {
          value,
          origin: { kind: 'environment', name, source, path, environment: SHARED },
        };
        variables.set(name, entry);
        shared.set(name, entry);
      }
    }
    const own = selected !== null && selected !== SHARED ? envs.get(selected) : undefined;
    if (own) {
      for (const [name, value] of own) {
        variables.set(name, {
          value,
          origin: { kind: 'environment', name, source, path, environment: selected as string },
        });
      }
    }
  };
  if (settings) apply(flattenEnvironmentSet(settings), 'settings', null);
  for (const isPrivate of [false, true]) {
    const layer = files.filter((f) => f.private === isPrivate).sort((a, b) => b.distance - a.distance);
    for (const f of layer) apply(f.environments, isPrivate ? 'private-file' : 'file', f.path);
  }
  return { name: selected, variables, shared };
}

/** No env files, no settings, no environment selected. */
export function emptyEnvironment(): Environment {
  return { name: null, variables: new Map(), shared: new Map() };
}

/** Environment names found in the env files and the settings, sorted, without `$shared`. */
export function listEnvironmentNames(files: readonly EnvFile[], settings?: EnvironmentSet): string[] {
  const names = new Set<string>();
  for (const f of files) for (const name of f.environments.keys()) names.add(name);
  if (settings) for (const name of flattenEnvironmentSet(settings).keys()) names.add(name);
  names.delete(SHARED);
  return [...names].sort((a, b) => a.localeCompare(b));
}
