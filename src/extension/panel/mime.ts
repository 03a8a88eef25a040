// What a Content-Type says about a body: which view, which editor language,
// which file extension. Only the media type essence matters (`type/subtype`).

/** `Application/JSON; charset=utf-8` → `application/json`; null when absent or malformed. */
export function mimeEssence(contentType: string | null | undefined): string | null {
  if (!contentType) {
    return null;
  }
  const essence = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(essence) ? essence : null;
}

export function isJsonMime(mime: string | null): boolean {
  return mime !== null && (mime === 'application/json' || mime === 'text/json' || mime.endsWith('+json'));
}

export function isHtmlMime(mime: string | null): boolean {
  return mime === 'text/html' || mime === 'application/xhtml+xml';
}

export function isXmlMime(mime: string | null): boolean {
  return (
    mime !== null &&
    (mime === 'application/xml' || mime === 'text/xml' || (mime.endsWith('+xml') && !isHtmlMime(mime)))
  );
}

/**
 * Image types a webview can show from a `data:` URI, with the canonical
 * type written into that URI (never the server's string).
 */
const PREVIEWABLE_IMAGES: Record<string, string> = {
  'image/png': 'image/png',
  'image/apng': 'image/apng',
  'image/jpeg': 'image/jpeg',
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/gif': 'image/gif',
  'image/webp': 'image/webp',
  'image/avif': 'image/avif',
  'image/bmp': 'image/bmp',
  'image/x-icon': 'image/x-icon',
  'image/vnd.microsoft.icon': 'image/x-icon',
  // SVG shown through <img> runs no script and loads nothing.
  'image/svg+xml': 'image/svg+xml',
};

/** The canonical previewable image type for a declared type, or null. */
export function previewableImage(mime: string | null): string | null {
  return mime !== null ? (PREVIEWABLE_IMAGES[mime] ?? null) : null;
}

/** Image type from the first bytes, for bodies sent without a useful Content-Type. */
export function sniffImage(bytes: Uint8Array): string | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42) {
    return 'image/webp';
  }
  return null;
}

const BINARY_TYPES = new Set([
  'application/octet-stream',
  'application/pdf',
  'application/zip',
  'application/gzip',
  'application/x-gzip',
  'application/x-tar',
  'application/x-7z-compressed',
  'application/x-bzip2',
  'application/zstd',
  'application/wasm',
  'application/protobuf',
  'application/x-protobuf',
  'application/vnd.google.protobuf',
  'application/grpc',
  'application/msgpack',
  'application/x-msgpack',
  'application/cbor',
  'application/vnd.ms-excel',
  'application/msword',
]);

/** Types that are binary whatever their bytes look like. */
export function isBinaryMime(mime: string | null): boolean {
  if (mime === null) {
    return false;
  }
  if (BINARY_TYPES.has(mime) || mime.startsWith('application/vnd.openxmlformats')) {
    return true;
  }
  const [type] = mime.split('/');
  return (
    type === 'audio' || type === 'video' || type === 'font' || (type === 'image' && !mime.endsWith('+xml'))
  );
}

/** The editor language for "Open in editor"; only ids built into VS Code, so opening never fails. */
export function languageIdFor(contentType: string | null | undefined): string {
  const mime = mimeEssence(contentType);
  if (mime === null) return 'plaintext';
  if (isJsonMime(mime)) return 'json';
  if (isHtmlMime(mime)) return 'html';
  if (isXmlMime(mime)) return 'xml';
  switch (mime) {
    case 'application/javascript':
    case 'application/ecmascript':
    case 'application/x-javascript':
    case 'text/javascript':
    case 'text/ecmascript':
      return 'javascript';
    case 'text/css':
      return 'css';
    case 'text/markdown':
    case 'text/x-markdown':
      return 'markdown';
    case 'application/yaml':
    case 'application/x-yaml':
    case 'text/yaml':
    case 'text/x-yaml':
      return 'yaml';
    case 'application/sql':
      return 'sql';
    default:
      return 'plaintext';
  }
}

/** File extension (with the dot) for a saved body. */
export function extensionFor(contentType: string | null | undefined): string {
  const mime = mimeEssence(contentType);
  if (mime === null) return '.bin';
  if (isJsonMime(mime)) return '.json';
  if (isHtmlMime(mime)) return '.html';
  if (mime === 'image/svg+xml') return '.svg';
  if (isXmlMime(mime)) return '.xml';
  const known: Record<string, string> = {
    'image/png': '.png',
    'image/apng': '.png',
    'image/jpeg': '.jpg',
    'image/gif': '.gif',
    'image/webp': '.webp',
    'image/avif': '.avif',
    'image/bmp': '.bmp',
    'image/x-icon': '.ico',
    'image/vnd.microsoft.icon': '.ico',
    'application/pdf': '.pdf',
    'application/zip': '.zip',
    'application/gzip': '.gz',
    'application/wasm': '.wasm',
    'application/javascript': '.js',
    'text/javascript': '.js',
    'text/css': '.css',
    'text/csv': '.csv',
    'text/markdown': '.md',
    'application/yaml': '.yaml',
    'application/x-yaml': '.yaml',
    'text/yaml': '.yaml',
  };
  if (known[mime]) return known[mime];
  return mime.startsWith('text/') ? '.txt' : '.bin';
}
