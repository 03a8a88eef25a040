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
  return SENSITIVE_HEADERS.has(name.toLowerCase());
}

/** Keeps the scheme of `Authorization: Bearer x` and the cookie names of `Cookie: a=1; b=2`. */
export function maskHeaderValue(name: string, value: string): string {
  const lower = name.toLowerCase();
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
  return SENSITIVE_HEADERS.has(lower) ? MASK : value;
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
