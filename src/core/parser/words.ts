// Header and directive names repeat from request to request (`Content-Type`,
// `name`). The blocks read together share one string for each: the last few
// strings of each length are kept with where they were seen, and text is
// compared with that place in the same text, without making or hashing a
// string first. `forgetWords` empties the cache after each read, so it keeps
// no text alive. (Values repeat less; comparing them cost more than it saved.)

const WAYS = 4;
const LONGEST = 40;
const strings: string[] = new Array((LONGEST + 1) * WAYS).fill('');
/** Where each string was seen in `seenIn`. */
const offsets = new Int32Array((LONGEST + 1) * WAYS);
const turn = new Uint8Array(LONGEST + 1);
let seenIn = '';

/** text.slice(from, to), or an equal string seen shortly before in the same text. */
export function word(text: string, from: number, to: number): string {
  const n = to - from;
  if (n > LONGEST || n <= 0) return text.slice(from, to);
  if (text !== seenIn) {
    forgetWords();
    seenIn = text;
  }
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

export function forgetWords(): void {
  strings.fill('');
  seenIn = '';
}
