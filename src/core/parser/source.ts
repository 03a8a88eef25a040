// The text being read, with where each of its lines starts and ends, so the
// parser reads lines in place instead of splitting the text into strings.
// Lines end at `\n`; a `\r` before it is not part of the line (as splitLines).
import { Words } from './words';

export class Source {
  /** Line i is text[starts[i], ends[i]). */
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly lineCount: number;
  /** No `\r`, U+2028 or U+2029 in the text (free to learn for a text of one-byte characters). */
  readonly plain: boolean;
  #words: Words | null = null;

  constructor(readonly text: string) {
    const cr = text.indexOf('\r') >= 0;
    // Room for a line every 16 characters, grown if the lines are shorter.
    let starts = new Int32Array(16 + (text.length >> 4));
    let ends = new Int32Array(starts.length);
    let n = 0;
    let start = 0;
    for (;;) {
      if (n === starts.length) {
        const grownStarts = new Int32Array(n * 2);
        const grownEnds = new Int32Array(n * 2);
        grownStarts.set(starts);
        grownEnds.set(ends);
        starts = grownStarts;
        ends = grownEnds;
      }
      const nl = text.indexOf('\n', start);
      const stop = nl < 0 ? text.length : nl;
      starts[n] = start;
      ends[n] = cr && stop > start && text.charCodeAt(stop - 1) === 13 ? stop - 1 : stop;
      n++;
      if (nl < 0) break;
      start = nl + 1;
    }
    // Blocks keep their source as long as they live: keep only the room the lines take.
    this.starts = starts.length - n > n >> 2 ? starts.slice(0, n) : starts;
    this.ends = ends.length - n > n >> 2 ? ends.slice(0, n) : ends;
    this.lineCount = n;
    this.plain = !cr && text.indexOf('\u2028') < 0 && text.indexOf('\u2029') < 0;
  }

  /** Header and directive names seen in this text, shared by its blocks (see words.ts). */
  get words(): Words {
    this.#words ??= new Words();
    return this.#words;
  }

  line(i: number): string {
    return this.text.slice(this.starts[i], this.ends[i]);
  }

  /** Lines first..last joined with `\n`: a slice of the text unless a `\r` has to be left out. */
  join(first: number, last: number): string {
    const { starts, ends } = this;
    for (let k = first; k < last; k++) {
      if (ends[k] !== starts[k + 1] - 1) {
        const lines: string[] = [];
        for (let j = first; j <= last; j++) lines.push(this.line(j));
        return lines.join('\n');
      }
    }
    return this.text.slice(starts[first], ends[last]);
  }

  /** Where the text of lines first..last ends, `\r` of the last line included (what splitLines reads back). */
  endOf(last: number): number {
    return last + 1 < this.lineCount ? this.starts[last + 1] - 1 : this.text.length;
  }
}
