// The CSP nonce for one render of a webview page. Random, never derived from
// the clock: a guessable nonce would let injected markup run as the panel's own.
import { randomBytes } from 'node:crypto';

/** 144 random bits as base64 (24 characters, no padding). */
export function createNonce(): string {
  return randomBytes(18).toString('base64');
}
