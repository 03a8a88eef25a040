// Which view a response body gets, and the bounded first page of it.
//
// Large bodies: the host never formats more than one page at a time (128 Ki
// characters of JSON, 256 Ki of anything else). The view model carries only
// the first page; "Load more" asks the host for the next one, which it
// renders from the full text and the cursor where the previous page stopped.
// Every step is O(page), whatever the body size; past 4 Mi characters the
// panel stops and "Open in editor" shows the rest.
import type { ReceivedResponse } from '../../core/session/types';
import { hexDump } from './hexdump';
import { type JsonCursor, type JsonRun, scanJson } from './jsonPrinter';
import { needsReindent } from './markup';
import {
  isBinaryMime,
  isHtmlMime,
  isJsonMime,
  isXmlMime,
  mimeEssence,
  previewableImage,
  sniffImage,
} from './mime';

/** Characters per page of a text, XML or HTML body. */
export const PAGE_CHARS = 256 * 1024;
/**
 * Characters per page of a JSON body: its markup is about nine times the
 * input (a span per token, a line element per value), and in a VS Code
 * webview styling those elements is the slow part — a 128 KB page (33,000
 * elements) took 7 s of style recalculation in code-server on a busy 2-core
 * machine (e2e trace). 32 KB is a few screens, shown within a second.
 */
export const JSON_PAGE_CHARS = 32 * 1024;
/** A page may end up to this much before PAGE_CHARS so that it ends on a whole line. */
export const PAGE_SLACK = 8 * 1024;
/** Past this, "Load more" stops and the panel points to "Open in editor". */
export const MAX_PANEL_CHARS = 4 * 1024 * 1024;
export const IMAGE_PREVIEW_MAX_BYTES = 2 * 1024 * 1024;
export const HEX_DUMP_BYTES = 512;
const SNIFF_BYTES = 8 * 1024;

/** The slack for a page size (tests use small pages). */
export function pageSlack(pageChars: number): number {
  return Math.min(PAGE_SLACK, pageChars >> 3);
}

export type TextualKind = 'json' | 'xml' | 'html' | 'text';
export type BodyKind = TextualKind | 'image' | 'binary' | 'empty';

/** Where the next page starts; `json` is null once a page is shown as plain text. */
export interface PageCursor {
  readonly offset: number;
  readonly json: JsonCursor | null;
}

interface BodyFacts {
  readonly contentType: string | null;
  readonly mime: string | null;
  /** Decoded body bytes received (at most the body cap). */
  readonly bytes: number;
  /** Body bytes on the wire, before Content-Encoding was undone. */
  readonly wireBytes: number;
  readonly truncated: boolean;
}

export interface EmptyBodyView extends BodyFacts {
  readonly kind: 'empty';
}

export interface TextBodyView extends BodyFacts {
  readonly kind: TextualKind;
  /** The first page only: never more than PAGE_CHARS characters. */
  readonly text: string;
  readonly totalChars: number;
  /** More than the first page exists; `next` says where it starts. */
  readonly large: boolean;
  readonly next: PageCursor | null;
  /** XML that arrived on one line is shown re-indented. */
  readonly reindent: boolean;
  /** HTML small enough to offer the sandboxed preview. */
  readonly preview: boolean;
}

export interface ImageBodyView extends BodyFacts {
  readonly kind: 'image';
  /** The canonical image type (from an allow-list, never the server's string). */
  readonly imageType: string;
  /** null when too large or cut off: the panel offers Save instead. */
  readonly dataUri: string | null;
}

export interface BinaryBodyView extends BodyFacts {
  readonly kind: 'binary';
  readonly hex: string;
  readonly hexBytes: number;
}

export type BodyView = EmptyBodyView | TextBodyView | ImageBodyView | BinaryBodyView;

/** `pageChars` overrides both page sizes (tests use small pages). */
export function bodyView(response: ReceivedResponse | null, pageChars?: number): BodyView {
  if (!response) {
    return { kind: 'empty', contentType: null, mime: null, bytes: 0, wireBytes: 0, truncated: false };
  }
  const bytes = response.body;
  const facts: BodyFacts = {
    contentType: response.contentType,
    mime: mimeEssence(response.contentType),
    bytes: bytes.byteLength,
    wireBytes: response.encodedBytes,
    truncated: response.truncated,
  };
  if (bytes.byteLength === 0 && response.text.length === 0) {
    return { kind: 'empty', ...facts };
  }
  const mime = facts.mime;
  const imageType =
    previewableImage(mime) ??
    (mime === null || mime === 'application/octet-stream' || mime.startsWith('image/')
      ? sniffImage(bytes)
      : null);
  if (imageType) {
    const dataUri =
      bytes.byteLength <= IMAGE_PREVIEW_MAX_BYTES && !response.truncated
        ? `data:${imageType};base64,${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')}`
        : null;
    return { kind: 'image', ...facts, imageType, dataUri };
  }
  if (isBinaryMime(mime) || looksBinary(bytes)) {
    return {
      kind: 'binary',
      ...facts,
      hex: hexDump(bytes, HEX_DUMP_BYTES),
      hexBytes: Math.min(bytes.length, HEX_DUMP_BYTES),
    };
  }
  const text = response.text;
  const kind = textualKind(mime, text);
  if (kind === 'json' || (kind === 'text' && mime === null && /^\s*[[{]/.test(text.slice(0, 256)))) {
    const page = firstJsonPage(text, response.truncated, pageChars ?? JSON_PAGE_CHARS);
    if (page) {
      return textBody('json', facts, text, page.end, page.end < text.length ? page.cursor : null);
    }
    if (kind === 'json') {
      // Labelled JSON that is not: show it as it is.
      return plainBody('text', facts, text, pageChars ?? PAGE_CHARS);
    }
  }
  return plainBody(kind, facts, text, pageChars ?? PAGE_CHARS);
}

function textualKind(mime: string | null, text: string): TextualKind {
  if (isJsonMime(mime)) return 'json';
  if (isHtmlMime(mime)) return 'html';
  if (isXmlMime(mime)) return 'xml';
  if (mime !== null) return 'text';
  // No Content-Type: recognise the common shapes (JSON is tried by the caller).
  const head = text.slice(0, 256).trimStart().toLowerCase();
  if (head.startsWith('<?xml')) return 'xml';
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return 'html';
  return 'text';
}

/** NUL bytes or many control characters in the first 8 KB: the bytes are not text. */
export function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, SNIFF_BYTES);
  let control = 0;
  for (let i = 0; i < end; i++) {
    const b = bytes[i]!;
    if (b === 0) return true;
    // Tab, LF, FF, CR and ESC (ANSI colours) occur in text.
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1b) control++;
  }
  return end > 0 && control / end > 0.1;
}

/** The first page of a JSON body, or null when it is not JSON. */
function firstJsonPage(text: string, truncated: boolean, pageChars: number): JsonRun | null {
  if (text.length <= pageChars && !truncated) {
    const run = scanJson(text, { start: 0, end: text.length, until: 'final' });
    return run.complete ? run : null;
  }
  const end = Math.min(text.length, pageChars);
  const run = scanJson(text, {
    start: 0,
    end,
    softEnd: text.length > pageChars ? pageChars - pageSlack(pageChars) : undefined,
    until: 'open',
  });
  // A prefix that is valid so far is shown as JSON; the rest is checked page by page.
  return run.ok && run.end > 0 ? run : null;
}

function plainBody(kind: TextualKind, facts: BodyFacts, text: string, pageChars: number): TextBodyView {
  const end = textPageEnd(text, 0, pageChars);
  return textBody(kind, facts, text, end, null);
}

function textBody(
  kind: TextualKind,
  facts: BodyFacts,
  text: string,
  end: number,
  json: JsonCursor | null,
): TextBodyView {
  const large = end < text.length;
  const page = large ? text.slice(0, end) : text;
  return {
    kind,
    ...facts,
    text: page,
    totalChars: text.length,
    large,
    next: large ? { offset: end, json } : null,
    reindent: kind === 'xml' && !large && needsReindent(page),
    preview: kind === 'html' && !large,
  };
}

/** End of a plain-text page: after the last line break near the limit, else at the limit. */
export function textPageEnd(text: string, offset: number, pageChars: number): number {
  const slack = pageSlack(pageChars);
  const limit = offset + pageChars;
  if (limit >= text.length) {
    return text.length;
  }
  const newline = text.lastIndexOf('\n', limit - 1);
  if (newline >= offset && newline >= limit - slack) {
    return newline + 1;
  }
  const c = text.charCodeAt(limit - 1);
  return c >= 0xd800 && c <= 0xdbff ? limit - 1 : limit;
}
