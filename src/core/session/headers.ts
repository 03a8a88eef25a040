// Header lists are kept as ordered [name, value] pairs so repeated names and
// the user's order survive; these helpers compare names case-insensitively.
import type { HeaderList } from './types';

export type Header = readonly [string, string];

export function hasHeader(headers: HeaderList, name: string): boolean {
  const lower = name.toLowerCase();
  return headers.some(([n]) => n.toLowerCase() === lower);
}

export function headerValues(headers: HeaderList, name: string): string[] {
  const lower = name.toLowerCase();
  return headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
}

export function firstHeader(headers: HeaderList, name: string): string | null {
  return headerValues(headers, name)[0] ?? null;
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
  for (const defaults of defaultLists) {
    const taken = new Set(result.map(([n]) => n.toLowerCase()));
    for (const header of defaults) {
      if (!taken.has(header[0].toLowerCase())) {
        result.push(header);
      }
    }
  }
  return result;
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
