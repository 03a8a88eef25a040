// Masking of credentials before anything is logged or shown in lists:
// sensitive header values and known secret strings (private env values).

const SENSITIVE_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
]);
export const MASK = '••••';

export function isSensitiveHeader(name: string): boolean {
  return sensitiveName(name) !== null;
}

/** The lower-cased name of a sensitive header, else null; the length test spares the others a copy. */
function sensitiveName(name: string): string | null {
  const n = name.length;
  if (n !== 6 && n !== 9 && n !== 10 && n !== 13 && n !== 19) return null;
  const lower = name.toLowerCase();
  return SENSITIVE_HEADERS.has(lower) ? lower : null;
}

/** Keeps the scheme of `Authorization: Bearer x` and the cookie names of `Cookie: a=1; b=2`. */
export function maskHeaderValue(name: string, value: string): string {
  const lower = sensitiveName(name);
  if (lower === null) return value;
  if (lower === 'authorization' || lower === 'proxy-authorization') {
    const space = value.indexOf(' ');
    return space > 0 ? `${value.slice(0, space)} ${MASK}` : MASK;
  }
  if (lower === 'cookie') {
    return value
      .split(';')
      .map((pair) => {
        const eq = pair.indexOf('=');
        return eq > 0 ? `${pair.slice(0, eq).trim()}=${MASK}` : MASK;
      })
      .join('; ');
  }
  if (lower === 'set-cookie') {
    const eq = value.indexOf('=');
    const semi = value.indexOf(';');
    return eq > 0 ? `${value.slice(0, eq)}=${MASK}${semi > eq ? value.slice(semi) : ''}` : MASK;
  }
  return MASK;
}

/** Replaces each secret in `text` with ••••, longest first so a secret containing another is masked whole. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  if (secrets.length === 0) return text;
  let out = text;
  for (const s of [...secrets].filter((s) => s !== '').sort((a, b) => b.length - a.length)) {
    out = out.split(s).join(MASK);
  }
  return out;
}

/**
 * Credentials found in free text only when at least this long: masking a
 * cookie value like `1` everywhere would garble the output and hide nothing.
 */
export const MIN_CREDENTIAL_LENGTH = 8;

interface HeaderCarrier {
  readonly headers: readonly (readonly [string, string])[];
}

/** What an exchange looks like to the masker: the session's SendResult has this shape. */
export interface ExchangeCredentials {
  readonly sent: HeaderCarrier | null;
  readonly response: HeaderCarrier | null;
  readonly hops: readonly { readonly sent: HeaderCarrier }[];
  readonly cookies: { readonly stored: readonly { readonly value: string }[] };
}

/**
 * Credentials an exchange carries itself — the credential of an
 * Authorization-like header, cookie values sent and set — so that a response
 * echoing them (or an error quoting them) is masked like the headers are.
 */
export function exchangeCredentials(exchange: ExchangeCredentials): string[] {
  const found = new Set<string>();
  const add = (value: string) => {
    const v = value.trim();
    if (v.length >= MIN_CREDENTIAL_LENGTH) found.add(v);
  };
  const fromHeaders = (headers: HeaderCarrier['headers']) => {
    for (let i = 0; i < headers.length; i++) {
      const value = headers[i]![1];
      const lower = sensitiveName(headers[i]![0]);
      if (lower === null) continue;
      if (lower === 'authorization' || lower === 'proxy-authorization') {
        // The scheme (`Bearer`) stays readable, as in the header itself.
        const space = value.indexOf(' ');
        add(space > 0 ? value.slice(space + 1) : value);
      } else if (lower === 'cookie') {
        for (const pair of value.split(';')) add(pair.slice(pair.indexOf('=') + 1));
      } else if (lower === 'set-cookie') {
        const pair = value.split(';')[0];
        add(pair.slice(pair.indexOf('=') + 1));
      } else {
        add(value);
      }
    }
  };
  if (exchange.sent) fromHeaders(exchange.sent.headers);
  for (const hop of exchange.hops) fromHeaders(hop.sent.headers);
  if (exchange.response) fromHeaders(exchange.response.headers);
  for (const cookie of exchange.cookies.stored) add(cookie.value);
  return [...found];
}

/**
 * Each secret and the forms it takes on the way out: percent-encoded as a
 * query value or as a URL keeps it (`/` stays), and escaped inside a JSON string.
 */
export function withEncodedForms(secrets: readonly string[]): string[] {
  const all = new Set<string>();
  for (const s of secrets) {
    if (s === '') continue;
    all.add(s);
    all.add(JSON.stringify(s).slice(1, -1));
    // A lone surrogate has no percent-encoded form.
    try {
      all.add(encodeURIComponent(s));
      all.add(encodeURI(s));
    } catch {}
  }
  return [...all];
}

const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*):[^\s/?#@]*@/gi;

/** `https://user:pass@host` → `https://user:••••@host`, wherever a URL sits in the text. */
export function maskUrlPasswords(text: string): string {
  return text.includes('@') ? text.replace(URL_PASSWORD, `$1:${MASK}@`) : text;
}

/** Secrets, URL passwords: everything `maskSecrets` and `maskUrlPasswords` hide, in one pass over a text. */
export function maskText(text: string, secrets: readonly string[]): string {
  return maskSecrets(maskUrlPasswords(text), secrets);
}

type Header = readonly [string, string];

/** Sensitive header values masked; the list itself when none changed (most responses carry no credential). */
export function maskHeaderList(list: readonly Header[]): readonly Header[] {
  let out: Header[] | null = null;
  for (let i = 0; i < list.length; i++) {
    const h = list[i]!;
    const masked = maskHeaderValue(h[0], h[1]);
    if (masked !== h[1]) out ??= list.slice(0, i);
    if (out !== null) out.push(masked === h[1] ? h : [h[0], masked]);
  }
  return out ?? list;
}

/**
 * `JSON.stringify(record)` with every secret (pass them through `withEncodedForms`) and every URL
 * password masked in every string in it: body, URLs, error messages. Header and cookie values are
 * masked where the record is built (`toJsonRecord(…, masked)`): copying it again here cost more
 * than the rest while the code is cold.
 */
export function secretMaskedJson(record: unknown, secrets: readonly string[]): string {
  if (secrets.length === 0) {
    const json = JSON.stringify(record);
    // Every URL password sits before an `@`, which JSON never escapes: no `@`, nothing left to mask.
    if (!json.includes('@')) return json;
  }
  return JSON.stringify(mapStrings(record, (s) => maskText(s, secrets)));
}

/** `value` with `f` applied to every string in it; parts where nothing changed are kept, not copied. */
function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const v = mapStrings(value[i], f);
      if (out === null && v !== value[i]) out = value.slice(0, i);
      out?.push(v);
    }
    return out ?? value;
  }
  // Anything but a plain object (a class instance, a Date) becomes one, as JSON-like data.
  const proto = Object.getPrototypeOf(value);
  let out: Record<string, unknown> | null = proto === Object.prototype || proto === null ? null : {};
  const keys = Object.keys(value);
  const from = value as Record<string, unknown>;
  for (let i = 0; i < keys.length; i++) {
    const v = mapStrings(from[keys[i]], f);
    if (out === null && v !== from[keys[i]]) {
      out = {};
      for (let j = 0; j < i; j++) out[keys[j]] = from[keys[j]];
    }
    if (out !== null) out[keys[i]] = v;
  }
  return out ?? value;
}
