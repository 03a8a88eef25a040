// Helpers for the UI tests (test/e2e/ui/*.mjs), which drive the real workbench in Chromium via Playwright.
import path from 'node:path';
import localServer from './localServer.js';

export const { startLocalServer, send } = localServer;

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_ROW = '.quick-input-widget .quick-input-list .monaco-list-row';

/** Loads the workbench on the test workspace and waits until it is usable. */
export async function openWorkbench(page, codeServer, { timeout = 60_000 } = {}) {
  // Not until 'load': on a busy machine the workbench's scripts can take longer than that is worth.
  await page.goto(`${codeServer.url}/?folder=${encodeURIComponent(codeServer.workspace)}`, {
    waitUntil: 'domcontentloaded',
    timeout,
  });
  await page.locator('.monaco-workbench').waitFor({ timeout });
  // The explorer lists the workspace once the remote connection and file service are up.
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout });
}

/** Polls the locator's text until it equals `expected` (string) or matches it (RegExp). */
export async function expectText(locator, expected, { timeout = 10_000 } = {}) {
  const deadline = Date.now() + timeout;
  let last = '(never found)';
  for (;;) {
    try {
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText is the rendered text a user reads
      last = (await locator.innerText({ timeout: 1000 })).trim();
      if (expected instanceof RegExp ? expected.test(last) : last === expected) return last;
    } catch {
      // not attached yet
    }
    if (Date.now() > deadline) {
      throw new Error(`expected text ${expected} but found ${JSON.stringify(last)} after ${timeout} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function quickOpen(page, key, text) {
  const input = page.locator(`${QUICK_INPUT} input`);
  // A key pressed while the workbench is still taking focus can be lost: press again if nothing opened.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press(key);
    try {
      await input.waitFor({ state: 'visible', timeout: 5000 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      await page
        .locator('.part.editor')
        .click()
        .catch(() => {});
    }
  }
  await input.fill(text);
}

/**
 * Ctrl+P, the file's name, Enter; resolves once its editor tab is active. Quick Open's file search can miss a
 * file written a moment ago (its index is refreshed by the file watcher), so after a while the file is
 * opened from the Explorer instead, where it shows as soon as it exists.
 */
export async function openFile(page, name) {
  const base = path.basename(name);
  await quickOpen(page, 'Control+P', name);
  const row = page.locator(QUICK_INPUT_ROW, { hasText: base }).first();
  // The first file search waits for the extension host to start: allow for a slow machine.
  const found = await row.waitFor({ timeout: 30_000 }).then(
    () => true,
    () => false,
  );
  if (found) {
    await page.keyboard.press('Enter');
  } else {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+E');
    const item = page.locator('.explorer-folders-view .monaco-list-row', { hasText: base }).first();
    await item.waitFor({ timeout: 15_000 });
    await item.click();
  }
  await page.locator('.tab.active', { hasText: base }).waitFor();
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').waitFor();
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Runs a command from the palette (F1) by its full title, e.g. 'View: Close All Editors'. */
export async function runCommand(page, title) {
  await quickOpen(page, 'F1', `>${title}`);
  const row = page.locator(QUICK_INPUT_ROW).filter({
    has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }),
  });
  await row.first().click();
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden' });
}

/**
 * The `index`-th CodeLens of the active editor whose text contains `text`; another editor group may show an
 * older file with lenses of its own.
 */
export function codeLens(page, text, index = 0) {
  return page
    .locator('.editor-group-container.active .monaco-editor .codelens-decoration a', { hasText: text })
    .nth(index);
}

/** Clicks the `index`-th CodeLens whose text contains `text` (they appear a few seconds after opening). */
export async function clickCodeLens(page, text, { index = 0, timeout = 20_000 } = {}) {
  const lens = codeLens(page, text, index);
  await lens.waitFor({ timeout });
  await lens.click();
}

/** The content of the `index`-th ready webview (each sits in an iframe holding an #active-frame). */
export function webviewFrame(page, index = 0) {
  return page.locator('iframe.webview.ready').nth(index).contentFrame().frameLocator('#active-frame');
}

/** The status bar's language indicator ('HTTP' in an .http file). */
export function languageIndicator(page) {
  return page.locator('[id="status.editor.mode"]');
}

/** A row of a tree or list view, by its text. */
export function listRow(page, text) {
  return page.locator('.monaco-list-row', { hasText: text });
}

/** Text of the visible notification toasts. */
export async function notifications(page) {
  return page.locator('.notification-toast .notification-list-item-message').allInnerTexts();
}
