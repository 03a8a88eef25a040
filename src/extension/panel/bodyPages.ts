// Markup for a textual body, one page at a time: the first page from the
// view model, later pages ("Load more") from the full text and the cursor
// where the previous page stopped. Output is appended inside the body's
// container, so a page is a run of JSON lines or a run of escaped text.
import {
  JSON_PAGE_CHARS,
  MAX_PANEL_CHARS,
  PAGE_CHARS,
  type PageCursor,
  pageSlack,
  type TextBodyView,
  type TextualKind,
  textPageEnd,
} from './body';
import { escapeHtml } from './escape';
import { renderJson } from './jsonPrinter';
import { renderMarkup } from './markup';

export function firstPageHtml(body: TextBodyView): string {
  switch (body.kind) {
    case 'json':
      // The view model's scan chose where this page ends, so tokens ending there are whole.
      return renderJson(body.text, {
        start: 0,
        end: body.text.length,
        until: body.large || body.truncated ? 'boundary' : 'final',
      }).html;
    case 'xml':
    case 'html':
      // Large markup is shown plain: a tag cut between pages would colour the rest wrongly.
      return body.large
        ? escapeHtml(body.text)
        : renderMarkup(body.text, { html: body.kind === 'html', reindent: body.reindent });
    default:
      return escapeHtml(body.text);
  }
}

export interface BodyPage {
  readonly offset: number;
  readonly html: string;
  readonly next: PageCursor | null;
  /** Stopped at MAX_PANEL_CHARS: the rest is for "Open in editor". */
  readonly capped: boolean;
}

export function nextPage(
  text: string,
  kind: TextualKind,
  cursor: PageCursor,
  truncated: boolean,
  pageSize?: number,
): BodyPage {
  const offset = cursor.offset;
  const json = kind === 'json' && cursor.json !== null;
  const pageChars = pageSize ?? (json ? JSON_PAGE_CHARS : PAGE_CHARS);
  if (offset >= MAX_PANEL_CHARS || offset >= text.length) {
    return { offset, html: '', next: null, capped: offset < text.length };
  }
  const limit = Math.min(text.length, offset + pageChars);
  if (json && cursor.json) {
    const last = limit === text.length;
    const run = renderJson(
      text,
      {
        start: offset,
        end: limit,
        softEnd: last ? undefined : limit - pageSlack(pageChars),
        until: last && !truncated ? 'final' : 'open',
      },
      cursor.json,
    );
    // No progress means one token longer than a page: show that page as plain text instead.
    if (run.end > offset) {
      return capped(
        offset,
        run.html,
        run.end < text.length ? { offset: run.end, json: run.ok ? run.cursor : null } : null,
      );
    }
  }
  const end = textPageEnd(text, offset, pageChars);
  const chunk = escapeHtml(text.slice(offset, end));
  return capped(
    offset,
    kind === 'json' ? `<div class="x">${chunk}</div>` : chunk,
    end < text.length ? { offset: end, json: null } : null,
  );
}

function capped(offset: number, html: string, next: PageCursor | null): BodyPage {
  return next && next.offset >= MAX_PANEL_CHARS
    ? { offset, html, next: null, capped: true }
    : { offset, html, next, capped: false };
}
