// "Load more": a large body read page by page shows the same thing as the
// whole body rendered at once, with every page bounded and making progress.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { ReceivedResponse } from '../../../src/core/session/types';
import { bodyView, MAX_PANEL_CHARS, type TextBodyView } from '../../../src/extension/panel/body';
import { firstPageHtml, nextPage } from '../../../src/extension/panel/bodyPages';
import { renderJson } from '../../../src/extension/panel/jsonPrinter';
import { response } from './fixtures';
import { decodeEntities, jsonLines } from './tags';

/** The first page and then every "Load more" page, as the webview would append them. */
function allPages(res: ReceivedResponse, pageChars: number): { body: TextBodyView; pages: string[] } {
  const body = bodyView(res, pageChars) as TextBodyView;
  const pages = [firstPageHtml(body)];
  let cursor = body.next;
  while (cursor) {
    const page = nextPage(res.text, body.kind, cursor, res.truncated, pageChars);
    assert.ok(!page.next || page.next.offset > cursor.offset, 'each page makes progress');
    assert.ok(page.next === null || page.next.offset - cursor.offset <= pageChars, 'each page is bounded');
    pages.push(page.html);
    cursor = page.next;
  }
  return { body, pages };
}

const whole = (text: string) =>
  jsonLines(renderJson(text, { start: 0, end: text.length, until: 'final' }).html);

describe('JSON pages', () => {
  test('pages of a pretty JSON body join into exactly the whole rendering', () => {
    const text = JSON.stringify(
      Array.from({ length: 3000 }, (_, i) => ({
        id: i,
        name: `item ${i}`,
        tags: ['a', 'b'],
        nested: { ok: i % 2 === 0 },
      })),
    );
    const { body, pages } = allPages(response(text), 16 * 1024);
    assert.equal(body.kind, 'json');
    assert.ok(pages.length > 10);
    assert.deepEqual(jsonLines(pages.join('')), whole(text));
  });

  test('for any JSON and any page size, no token is lost, repeated or reordered', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 16, max: 600 }), (value, pageChars) => {
        const text = JSON.stringify({ pad: 'x'.repeat(pageChars), value });
        const { body, pages } = allPages(response(text), pageChars);
        assert.equal(body.kind, 'json');
        const shown = jsonLines(pages.join('')).join('').replace(/\s+/g, '');
        assert.equal(shown, whole(text).join('').replace(/\s+/g, ''));
      }),
      { numRuns: 300 },
    );
  });

  test('fold ids continue across pages, so a range opened on page 1 closes on a later page', () => {
    const text = JSON.stringify({ outer: Array.from({ length: 2000 }, (_, i) => [i]) });
    const html = allPages(response(text), 4096).pages.join('');
    const openers = [...html.matchAll(/data-f="(\d+)"/g)].map((m) => Number(m[1]));
    const closers = [...html.matchAll(/data-e="(\d+)"/g)].map((m) => Number(m[1]));
    assert.equal(new Set(openers).size, openers.length, 'ids are unique');
    assert.deepEqual(
      [...closers].sort((a, b) => a - b),
      [...openers].sort((a, b) => a - b),
    );
  });

  test('JSON that turns invalid past the first page: the rest is shown as text, nothing lost', () => {
    const text = `[${'1,'.repeat(5000)}oops, 2]`;
    const { pages } = allPages(response(text), 1024);
    const all = pages.join('');
    assert.match(all, /<div class="x">/);
    const shown = decodeEntities(all.replace(/<[^>]*>/g, '')).replace(/\s+/g, '');
    assert.equal(shown, text.replace(/\s+/g, ''));
  });

  test('one token longer than a page falls back to a plain text page instead of stalling', () => {
    const text = `[${'9'.repeat(5000)}]`;
    const { pages } = allPages(response(text), 1024);
    assert.equal(decodeEntities(pages.join('').replace(/<[^>]*>/g, '')).replace(/\s+/g, ''), text);
  });
});

describe('text pages', () => {
  test('a text body read page by page is the body, and pages end on line breaks', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `line ${i} <b>&</b>`).join('\n');
    const { body, pages } = allPages(response(text, 'text/plain'), 8192);
    assert.equal(body.kind, 'text');
    assert.equal(decodeEntities(pages.join('')), text);
    assert.ok(body.text.endsWith('\n'));
  });

  test('a surrogate pair is never split between two pages', () => {
    const text = '😀'.repeat(10_000);
    const { pages } = allPages(response(text, 'text/plain'), 1001);
    for (const page of pages) assert.doesNotMatch(decodeEntities(page), /^[\udc00-\udfff]|[\ud800-\udbff]$/);
    assert.equal(decodeEntities(pages.join('')), text);
  });

  test('the panel stops loading at its cap and says so', () => {
    const page = nextPage(
      'x'.repeat(MAX_PANEL_CHARS + 10),
      'text',
      { offset: MAX_PANEL_CHARS, json: null },
      false,
    );
    assert.deepEqual([page.html, page.next, page.capped], ['', null, true]);
  });
});
