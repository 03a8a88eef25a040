// Header and directive names repeat from request to request (`Content-Type`,
// `name`). The blocks of one text share one string for each: the last few
// strings of each length are kept with where they were seen, and text is
// compared with that place in the same text, without making or hashing a
// string first. Each source keeps its own cache (see Source.words), so a block
// read long after the others still shares their strings, and the cache lives
// no longer than the text it points into. (Values repeat less; comparing them
// cost more than it saved.)

const WAYS = 4;
const LONGEST = 40;

/** The strings last seen in one text. */
export class Words {
  readonly strings: string[] = new Array((LONGEST + 1) * WAYS).fill('');
  /** Where each string was seen. */
  readonly offsets = new Int32Array((LONGEST + 1) * WAYS);
  readonly turn = new Uint8Array(LONGEST + 1);
}

/** The cache of the text being read, if any. */
let current: Words | null = null;
let currentText = '';

/** Makes `word` share strings through `words` while `text` is read; null stops sharing. */
export function useWords(words: Words | null, text: string): void {
  current = words;
  currentText = text;
}

/** text.slice(from, to), or an equal string seen before in the same text. */
export function word(text: string, from: number, to: number): string {
  const n = to - from;
  const words = current;
  if (words === null || text !== currentText || n > LONGEST || n <= 0) return text.slice(from, to);
  const { strings, offsets, turn } = words;
  const first = n * WAYS;
  for (let k = first; k < first + WAYS; k++) {
    if (strings[k].length === n && sameText(text, from, offsets[k], n)) return strings[k];
  }
  const s = text.slice(from, to);
  const k = first + turn[n];
  strings[k] = s;
  offsets[k] = from;
  turn[n] = (turn[n] + 1) % WAYS;
  return s;
}

/** text[a, a + n) equals text[b, b + n); the last character first, where `req1` and `req2` differ. */
function sameText(text: string, a: number, b: number, n: number): boolean {
  if (text.charCodeAt(a + n - 1) !== text.charCodeAt(b + n - 1)) return false;
  for (let j = 0; j < n - 1; j++) if (text.charCodeAt(a + j) !== text.charCodeAt(b + j)) return false;
  return true;
}
