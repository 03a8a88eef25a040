// The name offered by "Save body": the server's Content-Disposition filename
// when it sends one (reduced to a plain name), else `response` + an extension
// from the media type.
import type { HeaderList, SendResult } from '../../core/session/types';
import { extensionFor } from './mime';

const FALLBACK_BASE = 'response';
const MAX_NAME_LENGTH = 120;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

export function suggestFileName(result: Pick<SendResult, 'response'>): string {
  const response = result.response;
  const fallback = FALLBACK_BASE + extensionFor(response?.contentType);
  if (!response) {
    return fallback;
  }
  const disposition = headerValue(response.headers, 'content-disposition');
  const fromServer = disposition ? dispositionFileName(disposition) : null;
  return (fromServer && sanitizeFileName(fromServer)) || fallback;
}

function headerValue(headers: HeaderList, name: string): string | null {
  return headers.find(([n]) => n.toLowerCase() === name)?.[1] ?? null;
}

/** `filename*` (RFC 6266/5987, percent-encoded) wins over `filename`. */
export function dispositionFileName(header: string): string | null {
  const extended = /(?:^|;)\s*filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (extended) {
    const charset = extended[1]!.trim().toLowerCase();
    const value = extended[2]!.trim();
    try {
      if (charset === 'utf-8' || charset === '') {
        return decodeURIComponent(value);
      }
      // ISO-8859-1: each %XX is one character.
      return value.replace(/%([0-9a-f]{2})/gi, (_, hex: string) =>
        String.fromCharCode(Number.parseInt(hex, 16)),
      );
    } catch {
      // Malformed percent-encoding: fall through to the plain parameter.
    }
  }
  const quoted = /(?:^|;)\s*filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header);
  if (quoted) {
    return quoted[1]!.replace(/\\(.)/g, '$1');
  }
  const token = /(?:^|;)\s*filename\s*=\s*([^;\s]+)/i.exec(header);
  return token ? token[1]! : null;
}

/** A name that stays in the chosen folder and is legal on Windows, macOS and Linux; '' when nothing is left. */
export function sanitizeFileName(name: string): string {
  // Keep only the last segment: a server must not pick the folder (`../../.bashrc`).
  let base = name.split(/[/\\]/).pop() ?? '';
  base = base
    .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_')
    .replace(/^[\s.]+/, '')
    .replace(/[\s.]+$/, '');
  if (base.length > MAX_NAME_LENGTH) {
    const dot = base.lastIndexOf('.');
    const ext = dot > 0 && base.length - dot <= 10 ? base.slice(dot) : '';
    base = base.slice(0, MAX_NAME_LENGTH - ext.length) + ext;
  }
  if (WINDOWS_RESERVED.test(base)) {
    base = `_${base}`;
  }
  return base;
}
