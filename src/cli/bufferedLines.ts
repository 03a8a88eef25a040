// `run` prints a line per request. Writing each to a pipe costs a system call
// and a wake-up of the reader per request (~80 ms over 1,000 requests), so
// lines wait and go out together: at 64 KB, at most 50 ms after the first one
// waited, before anything goes to stderr (a merged stream keeps its order),
// and at the end.
const MAX_CHARS = 64 * 1024;
const MAX_DELAY_MS = 50;

export interface BufferedLines {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly flush: () => void;
}

export function bufferedLines(stdout: (text: string) => void, stderr: (text: string) => void): BufferedLines {
  let waiting = '';
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    if (waiting === '') return;
    const text = waiting;
    waiting = '';
    stdout(text);
  };
  return {
    out: (line) => {
      waiting += `${line}\n`;
      if (waiting.length >= MAX_CHARS) flush();
      // Unref'd: a pending flush must not keep the process alive (the end flushes anyway).
      else if (timer === null) timer = setTimeout(flush, MAX_DELAY_MS).unref();
    },
    err: (line) => {
      flush();
      stderr(`${line}\n`);
    },
    flush,
  };
}
