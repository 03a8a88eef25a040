// The model as plain data, read field by field the way its users read it:
// ranges are getters built on demand, which deepEqual alone would not see.
export function snapshot(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(snapshot);
  const out: Record<string, unknown> = {};
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) out[key] = snapshot(record[key]);
  for (let p = Object.getPrototypeOf(value); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(p))) {
      if (d.get && !(key in out)) out[key] = snapshot(record[key]);
    }
  }
  return out;
}
