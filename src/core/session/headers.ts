// Header lists are kept as ordered [name, value] pairs so repeated names and
// the user's order survive; these helpers compare names case-insensitively.
import type { HeaderList } from './types';

export type Header = readonly [string, string];

// Indexed loops, not `for (const [n, v] of …)`: these run several times per request, and array
// destructuring goes through the iterator protocol until the code is optimised.

export function hasHeader(headers: HeaderList, name: string): boolean {
  const lower = name.toLowerCase();
  for (let i = 0; i < headers.length; i++) {
    if (headers[i]![0].toLowerCase() === lower) return true;
  }
  return false;
}

export function headerValues(headers: HeaderList, name: string): string[] {
  const lower = name.toLowerCase();
  const values: string[] = [];
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    if (h[0].toLowerCase() === lower) values.push(h[1]);
  }
  return values;
}

export function firstHeader(headers: HeaderList, name: string): string | null {
  const lower = name.toLowerCase();
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    if (h[0].toLowerCase() === lower) return h[1];
  }
  return null;
}

export function withoutHeaders(headers: HeaderList, names: readonly string[]): Header[] {
  const drop = new Set(names.map((n) => n.toLowerCase()));
  return headers.filter((h) => !drop.has(h[0].toLowerCase()));
}

export function applyDefaults(headers: HeaderList, ...defaultLists: HeaderList[]): Header[] {
  const result: Header[] = [...headers];
  const taken = new Set(result.map((h) => h[0].toLowerCase()));
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
