// The Sessions view as a user meets it: a response sets a cookie, its link in the response panel opens the
// HTTP Session sidebar on it, its context menu deletes it, and the next request goes without it.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { codeLens, expectText, openFile, send, webviewFrame } from '../helpers.mjs';

export const timeout = 120_000;

const VIEW = '[id="workbench.view.extension.httpSession"]';

/** A row of the Sessions view by its label (exact). */
const row = (page, label) =>
  page.locator(`${VIEW} .monaco-list-row`).filter({
    has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }),
  });

export const tests = {
  'a cookie from a response shows in the sidebar; deleting it there keeps it off the next request': async ({
    page,
    workspace,
    startLocalServer,
    screenshot,
  }) => {
    const server = await startLocalServer({
      'GET /login': (_req, res) =>
        send(
          res,
          200,
          { ok: true },
          { 'set-cookie': ['ui_session=abc123; Path=/; HttpOnly', 'ui_theme=dark; Path=/'] },
        ),
      'GET /me': (req, res) => send(res, 200, { cookie: req.headers.cookie ?? null }),
    });
    writeFileSync(
      path.join(workspace, 'sidebar.http'),
      `# @session ui-sidebar\n\n### Log in\nGET ${server.url}/login\n\n### Who am I\nGET ${server.url}/me\n`,
    );
    await openFile(page, 'sidebar.http');
    await codeLens(page, 'Send Request').waitFor({ timeout: 45_000 });
    await codeLens(page, 'Send Request', 0).click();
    await expectText(webviewFrame(page).locator('.status-line .status'), /^200\b/, { timeout: 30_000 });

    // The panel's Cookies tab links each stored cookie to the jar: the view opens with that cookie selected.
    const frame = webviewFrame(page);
    await frame.locator('#tab-cookies').click();
    await frame.locator('button[data-action="revealCookie"][data-name="ui_session"]').click();
    await row(page, 'ui_session').waitFor({ timeout: 15_000 });
    await expectText(row(page, 'ui_session'), /ui_session/);
    assert.equal(
      await row(page, 'ui_session').getAttribute('aria-selected'),
      'true',
      'the cookie is selected',
    );
    await row(page, 'ui-sidebar').waitFor({ timeout: 15_000 });
    await row(page, 'ui_theme').waitFor();
    await expectText(row(page, 'ui-sidebar').locator('.label-description'), /2 cookies/);
    await page.mouse.move(0, 0);
    await screenshot('sessions-sidebar');

    // A tree refresh that lands while the menu opens can swallow the click: open the menu again if so.
    for (let attempt = 1; ; attempt++) {
      await row(page, 'ui_session').click({ button: 'right' });
      const item = page.locator('.context-view .action-label', { hasText: /^Delete Cookie$/ });
      await item.waitFor();
      // A menu ignores a click that comes right as it opens (the right button's own release): let it settle.
      await page.waitForTimeout(300);
      if (attempt === 1) await item.click();
      else {
        // From the keyboard: the last entry of the menu.
        await item.hover();
        await page.keyboard.press('Enter');
      }
      const gone = await row(page, 'ui_session')
        .waitFor({ state: 'detached', timeout: 5000 })
        .then(
          () => true,
          () => false,
        );
      if (gone) break;
      assert.ok(attempt < 3, 'Delete Cookie from the context menu did not remove the cookie');
      await page.keyboard.press('Escape');
    }
    await expectText(row(page, 'ui-sidebar').locator('.label-description'), /1 cookie\b/);

    // The panel's group took focus with the cookie link: back to the .http file's group.
    await page.locator('.tab', { hasText: 'sidebar.http' }).click();
    await codeLens(page, 'Send Request', 1).click();
    const deadline = Date.now() + 30_000;
    while (!server.requests.some((r) => r.path === '/me') && Date.now() < deadline)
      await page.waitForTimeout(100);
    const me = server.requests.find((r) => r.path === '/me');
    assert.ok(me, 'the second request reached the server');
    assert.equal(me.headers.cookie, 'ui_theme=dark', 'the deleted cookie stayed behind');
  },
};
