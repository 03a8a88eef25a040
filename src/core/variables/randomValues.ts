// Random values for system variables, drawn from an injected source in [0, 1)
// so tests can fix it; the front ends pass Math.random.

export type RandomSource = () => number;

export const ALPHABETIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
// JetBrains' $random.alphanumeric includes the underscore.
export const ALPHANUMERIC = `${ALPHABETIC}0123456789_`;
export const HEXADECIMAL = '0123456789abcdef';

/** An integer in [min, max). */
export function randomInteger(random: RandomSource, min: number, max: number): number {
  return Math.min(max - 1, Math.floor(random() * (max - min)) + min);
}

export function randomString(random: RandomSource, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInteger(random, 0, alphabet.length)];
  return out;
}

/** RFC 9562 version 4: random bits with the version and variant fields set. */
export function uuidV4(random: RandomSource): string {
  const bytes: number[] = [];
  for (let i = 0; i < 16; i++) bytes.push(randomInteger(random, 0, 256));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** At a reserved domain (RFC 2606), so a test run never mails anyone. */
export function randomEmail(random: RandomSource): string {
  const lower = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return `${randomString(random, lower.slice(0, 26), 1)}${randomString(random, lower, 9)}@example.com`;
}
