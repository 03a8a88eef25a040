// Durations as users write them in `.http` files and settings: `500ms`,
// `2s`, `1.5 m`, or a bare number, which means seconds.

export type DurationResult =
  | { readonly ok: true; readonly ms: number }
  | { readonly ok: false; readonly error: string };

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000 };

export function parseDuration(text: string): DurationResult {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m)?\s*$/i.exec(text);
  if (!match) {
    return {
      ok: false,
      error: `"${text.trim()}" is not a duration — write a number with ms, s or m (e.g. 500ms, 2s, 1 m); a bare number means seconds`,
    };
  }
  const unit = (match[2] ?? 's').toLowerCase();
  return { ok: true, ms: Math.round(Number(match[1]) * UNIT_MS[unit]!) };
}
