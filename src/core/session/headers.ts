// Header lists are kept as ordered [name, value] pairs so repeated names and
// the user's order survive; these helpers compare names case-insensitively.
import type { HeaderList } from './types';

export type Header = readonly [string, string];

export function hasHeader(headers: HeaderList, name: string): boolean {
  const lower = name.toLowerCase();
  for (const [n] of headers) {
    if (n.toLowerCase() === lower) return true;
  }
  return false;
}

export function headerValues(headers: HeaderList, name: string): string[] {
  const lower = name.toLowerCase();
  const values: string[] = [];
  for (const [n, v] of headers) {
    if (n.toLowerCase() === lower) values.push(v);
  }
  return values;
}

export function firstHeader(headers: HeaderList, name: string): string | null {
  const lower = name.toLowerCase();
  for (const [n, v] of headers) {
    if (n.toLowerCase() === lower) return v;
  }
  return null;
}

export function withoutHeaders(headers: HeaderList, names: readonly string[]): Header[] {
  const drop = new Set(names.map((n) => n.toLowerCase()));
  return headers.filter(([n]) => !drop.has(n.toLowerCase()));
}

/**
 * Adds each default whose name the request does not set. Earlier lists win:
 * pass the most specific defaults first.
 */
export function applyDefaults(headers: HeaderList, ...defaultLists: HeaderList[]): Header[] {
  const result: Header[] = [...headers];
  const taken = new Set(result.map(([n]) => n.toLowerCase()));
  for (const defaults of defaultLists) addDefaults(result, taken, defaults);
  return result;
}

/**
 * Adds to `result` each default whose lower-cased name is not in `taken`, then takes the names
 * it added: a list may repeat a name of its own.
 */
export function addDefaults(result: Header[], taken: Set<string>, defaults: HeaderList): void {
  if (defaults.length === 0) return;
  const added = result.length;
  for (const header of defaults) if (!taken.has(header[0].toLowerCase())) result.push(header);
  for (let i = added; i < result.length; i++) taken.add(result[i]![0].toLowerCase());
}

/** undici hands response headers over as a flat [name, value, name, value…] list of buffers. */
export function pairsFromRaw(raw: readonly (Buffer | string)[] | null | undefined): Header[] {
  const pairs: Header[] = [];
  if (!raw) {
    return pairs;
  }
  for (let i = 0; i + 1 < raw.length; i += 2) {
    pairs.push([raw[i]!.toString('latin1'), raw[i + 1]!.toString('latin1')]);
  }
  return pairs;
}
