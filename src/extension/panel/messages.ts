// The messages between the response panel's page and the extension host.
// The page only asks; the host holds the response and does the work.

export type WebviewMessage =
  | { readonly type: 'copyBody' }
  | { readonly type: 'saveBody' }
  | { readonly type: 'openInEditor' }
  | { readonly type: 'copyAsCurl' }
  | { readonly type: 'toggleSecrets' }
  | { readonly type: 'goToRequest' }
  | {
      readonly type: 'revealCookie';
      readonly name: string;
      readonly domain: string | null;
      readonly path: string | null;
    }
  | { readonly type: 'loadMore'; readonly offset: number };

export type WebviewMessageType = WebviewMessage['type'];

/** Host → page: the next body page, rendered by the same escaping renderer as the page itself. */
export interface BodyPageMessage {
  readonly type: 'bodyPage';
  readonly offset: number;
  readonly html: string;
  /** Offset of the page after this one; null when this was the last one shown. */
  readonly next: number | null;
  /** More body exists but the panel stops here (Open in editor shows it all). */
  readonly capped: boolean;
}

export type HostMessage = BodyPageMessage;

const SIMPLE = new Set([
  'copyBody',
  'saveBody',
  'openInEditor',
  'copyAsCurl',
  'toggleSecrets',
  'goToRequest',
]);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const optionalString = (v: unknown): v is string | null | undefined =>
  v === undefined || v === null || typeof v === 'string';

/** A message from the page, checked field by field; null for anything else. */
export function parseWebviewMessage(data: unknown): WebviewMessage | null {
  if (!isRecord(data) || typeof data.type !== 'string') {
    return null;
  }
  if (SIMPLE.has(data.type)) {
    return { type: data.type } as WebviewMessage;
  }
  if (
    data.type === 'revealCookie' &&
    typeof data.name === 'string' &&
    optionalString(data.domain) &&
    optionalString(data.path)
  ) {
    return { type: 'revealCookie', name: data.name, domain: data.domain ?? null, path: data.path ?? null };
  }
  if (data.type === 'loadMore' && Number.isSafeInteger(data.offset) && (data.offset as number) >= 0) {
    return { type: 'loadMore', offset: data.offset as number };
  }
  return null;
}
