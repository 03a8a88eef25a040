// The names of a document's requests, computed once per parsed request list:
// resolving each of a file's n requests must not cost O(n) again (a 5,000
// request Send All spent most of its time rebuilding this set).
import type { HttpRequest } from '../parser';

const cache = new WeakMap<readonly HttpRequest[], { readonly length: number; readonly names: Set<string> }>();

export function requestNameSet(requests: readonly HttpRequest[]): ReadonlySet<string> {
  const known = cache.get(requests);
  // The model is immutable; the length check only guards a caller that reuses an array.
  if (known && known.length === requests.length) return known.names;
  const names = new Set<string>();
  for (const r of requests) if (r.name !== null) names.add(r.name);
  cache.set(requests, { length: requests.length, names });
  return names;
}
