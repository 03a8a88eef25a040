// `curl ...` command lines, as pasted from browser dev tools or API docs,
// read into the parts of a request. Only options that change what is sent
// are interpreted; the rest are reported so nothing is silently lost.

export interface CurlRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body: string | null;
  httpVersion: string | null;
  insecure: boolean;
  warnings: string[];
}

/** Splits a POSIX-shell-like command line into words (quotes, `$'..'`, backslashes, line continuations). */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const n = command.length;
  while (i < n) {
    const c = command[i];
    if (c === '\\' && (command[i + 1] === '\n' || (command[i + 1] === '\r' && command[i + 2] === '\n'))) {
      i += command[i + 1] === '\r' ? 3 : 2;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = command.indexOf("'", i + 1);
      const stop = end < 0 ? n : end;
      word += command.slice(i + 1, stop);
      i = stop + 1;
    } else if (c === '$' && command[i + 1] === "'") {
      i += 2;
      while (i < n && command[i] !== "'") {
        if (command[i] === '\\' && i + 1 < n) {
          const e = command[i + 1];
          word += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
          i += 2;
        } else word += command[i++];
      }
      i++;
    } else if (c === '"') {
      i++;
      while (i < n && command[i] !== '"') {
        if (command[i] === '\\' && i + 1 < n && '"\\$`\n'.includes(command[i + 1])) {
          if (command[i + 1] !== '\n') word += command[i + 1];
          i += 2;
        } else word += command[i++];
      }
      i++;
    } else if (c === '\\' && i + 1 < n) {
      word += command[i + 1];
      i += 2;
    } else {
      word += c;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

const DATA_OPTIONS = new Set([
  '-d',
  '--data',
  '--data-raw',
  '--data-binary',
  '--data-ascii',
  '--data-urlencode',
]);
const IGNORED_FLAGS = new Set([
  '-L',
  '--location',
  '--compressed',
  '-s',
  '--silent',
  '-S',
  '--show-error',
  '-v',
  '--verbose',
  '-i',
  '--include',
  '-f',
  '--fail',
]);
const IGNORED_WITH_VALUE = new Set([
  '-o',
  '--output',
  '--max-time',
  '-m',
  '--connect-timeout',
  '-w',
  '--write-out',
]);

function header(line: string): [string, string] | null {
  const colon = line.indexOf(':');
  if (colon <= 0) return null;
  return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
}

export function parseCurl(command: string): CurlRequest {
  const words = shellWords(command);
  const result: CurlRequest = {
    method: '',
    url: '',
    headers: [],
    body: null,
    httpVersion: null,
    insecure: false,
    warnings: [],
  };
  const data: string[] = [];
  let forceGet = false;
  let head = false;
  for (let i = 1; i < words.length; i++) {
    let word = words[i];
    let inline: string | null = null;
    if (word.startsWith('--') && word.includes('=')) {
      inline = word.slice(word.indexOf('=') + 1);
      word = word.slice(0, word.indexOf('='));
    } else if (/^-[XHduAbe]./.test(word)) {
      inline = word.slice(2);
      word = word.slice(0, 2);
    }
    const value = (): string => inline ?? words[++i] ?? '';
    if (word === '-X' || word === '--request') result.method = value().toUpperCase();
    else if (word === '-H' || word === '--header') {
      const h = header(value());
      if (h) result.headers.push(h);
    } else if (DATA_OPTIONS.has(word)) data.push(value());
    else if (word === '--json') {
      data.push(value());
      if (!result.headers.some(([k]) => k.toLowerCase() === 'content-type'))
        result.headers.push(['Content-Type', 'application/json']);
      result.headers.push(['Accept', 'application/json']);
    } else if (word === '-u' || word === '--user') {
      result.headers.push(['Authorization', `Basic ${Buffer.from(value()).toString('base64')}`]);
    } else if (word === '-b' || word === '--cookie') result.headers.push(['Cookie', value()]);
    else if (word === '-A' || word === '--user-agent') result.headers.push(['User-Agent', value()]);
    else if (word === '-e' || word === '--referer') result.headers.push(['Referer', value()]);
    else if (word === '--url') result.url = value();
    else if (word === '-G' || word === '--get') forceGet = true;
    else if (word === '-I' || word === '--head') head = true;
    else if (word === '-k' || word === '--insecure') result.insecure = true;
    else if (word === '--http1.1') result.httpVersion = 'HTTP/1.1';
    else if (word === '--http2' || word === '--http2-prior-knowledge') result.httpVersion = 'HTTP/2';
    else if (IGNORED_FLAGS.has(word)) continue;
    else if (IGNORED_WITH_VALUE.has(word)) value();
    else if (word.startsWith('-') && word.length > 1)
      result.warnings.push(`curl option ${word} is not supported and was ignored`);
    else if (!result.url) result.url = word;
  }
  if (data.length > 0 && forceGet) {
    result.url += (result.url.includes('?') ? '&' : '?') + data.join('&');
  } else if (data.length > 0) {
    result.body = data.join('&');
    if (!result.headers.some(([k]) => k.toLowerCase() === 'content-type'))
      result.headers.push(['Content-Type', 'application/x-www-form-urlencoded']);
  }
  if (!result.method) result.method = head ? 'HEAD' : result.body !== null ? 'POST' : 'GET';
  return result;
}
