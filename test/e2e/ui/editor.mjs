// An .http file in the editor: language mode and syntax colours, as a user sees them.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expectText, languageIndicator, openFile, runCommand } from '../helpers.mjs';
import { repoRoot } from '../lib/paths.mjs';

function grammarPath() {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const grammar = manifest.contributes?.grammars?.find((entry) => entry.language === 'http');
  return grammar && path.join(repoRoot, grammar.path);
}

/** The colour class (`mtkN`) and computed colour of the first token whose text is `text`. */
async function tokenStyle(page, text) {
  return page.evaluate((wanted) => {
    const spans = document.querySelectorAll('.editor-group-container.active .view-line span[class^="mtk"]');
    const span = [...spans].find((candidate) => candidate.textContent.trim() === wanted);
    const plain = [...spans].find((candidate) => candidate.className.split(' ').includes('mtk1'));
    return span
      ? {
          className: span.className,
          color: getComputedStyle(span).color,
          plain: plain && getComputedStyle(plain).color,
        }
      : null;
  }, text);
}

export const tests = {
  'sample.http opens in the HTTP language mode': async ({ page }) => {
    await openFile(page, 'sample.http');
    await expectText(languageIndicator(page), 'HTTP');
  },

  'the request method is coloured by the grammar': async ({ page, screenshot, skip }) => {
    const grammar = grammarPath();
    if (!grammar || !existsSync(grammar)) skip('no http grammar file yet');
    await openFile(page, 'sample.http');
    // TextMate tokenisation runs after the first paint: poll until GET leaves the default colour class.
    const deadline = Date.now() + 15_000;
    let style = await tokenStyle(page, 'GET');
    while ((!style || style.className.split(' ').includes('mtk1')) && Date.now() < deadline) {
      await page.waitForTimeout(200);
      style = await tokenStyle(page, 'GET');
    }
    assert.ok(style, 'no GET token in the editor');
    assert.ok(
      !style.className.split(' ').includes('mtk1'),
      `GET still has the default colour (${style.className})`,
    );
    if (style.plain) assert.notEqual(style.color, style.plain, 'GET is drawn in the plain text colour');
    await page.mouse.move(0, 0); // no hover widget in the picture
    await screenshot('editor');
  },

  'sample.rest opens in the HTTP language mode too': async ({ page }) => {
    await runCommand(page, 'View: Close All Editors');
    await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: 5000 });
    await openFile(page, 'sample.rest');
    await expectText(languageIndicator(page), 'HTTP');
  },
};
