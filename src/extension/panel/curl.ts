// "Copy as cURL": the request as it went out, as one POSIX shell command.
// Every argument is single-quoted (a quote inside becomes '\''), so nothing
// in a URL, header or body is ever interpreted by the shell.
import type { SentRequest } from '../../core/session/types';

// curl computes these itself; a copied stale value would make it send a wrong request.
const DROPPED_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection']);

export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function toCurl(sent: SentRequest): string {
  const method = sent.method.toUpperCase();
  const args: string[] = ['curl'];
  // `-X HEAD` would make curl wait for a body that never comes.
  if (method === 'HEAD') {
    args.push('--head');
  } else if (method !== 'GET' || sent.body !== null) {
    args.push('-X', shellQuote(method));
  }
  args.push(shellQuote(sent.url));
  let compressed = false;
  for (const [name, value] of sent.headers) {
    const lower = name.toLowerCase();
    if (DROPPED_HEADERS.has(lower)) {
      continue;
    }
    if (lower === 'accept-encoding') {
      compressed = true;
    }
    args.push('-H', shellQuote(`${name}: ${value}`));
  }
  if (compressed) {
    // Without it curl prints the compressed bytes the server answers with.
    args.push('--compressed');
  }
  const body = bodyText(sent.body);
  if (body === null) {
    return args.join(' ');
  }
  if (typeof body === 'string') {
    args.push('--data-binary', shellQuote(body));
    return args.join(' ');
  }
  // Bytes a shell string cannot hold (NUL, invalid UTF-8) go through printf's octal escapes.
  args.push('--data-binary', '@-');
  return `printf ${shellQuote(printfEscape(body))} | ${args.join(' ')}`;
}

/** The body as text when it is text (valid UTF-8 without NUL), the bytes otherwise, null when empty. */
function bodyText(body: SentRequest['body']): string | Uint8Array | null {
  if (body === null || body.length === 0) {
    return null;
  }
  if (typeof body === 'string') {
    return body.includes('\0') ? new TextEncoder().encode(body) : body;
  }
  if (body.includes(0)) {
    return body;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return body;
  }
}

function printfEscape(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    const printable = b >= 0x20 && b < 0x7f && b !== 0x5c && b !== 0x25 && b !== 0x27;
    out += printable ? String.fromCharCode(b) : `\\${b.toString(8).padStart(3, '0')}`;
  }
  return out;
}
