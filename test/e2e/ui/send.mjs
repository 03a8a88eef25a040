// Sending from the editor as a user does: the CodeLens, the response panel (status, connection label,
// waterfall), hostile HTML that must stay inert, and Cancel. Prints `BENCH …` lines for the benchmark.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { codeLens, expectText, openFile, runCommand, send, webviewFrame } from '../helpers.mjs';

export const timeout = 120_000;

const USERS = Array.from({ length: 12 }, (_, i) => ({
  id: i + 1,
  name: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra'][i % 4],
  email: `user${i + 1}@example.test`,
  roles: i % 3 === 0 ? ['admin', 'editor'] : ['viewer'],
  active: i % 2 === 0,
  lastLogin: i % 5 === 0 ? null : `2025-0${(i % 9) + 1}-1${i % 10}T08:30:00Z`,
}));

const statusOf = (page) => webviewFrame(page).locator('.status-line .status');
const connectionOf = (page) => webviewFrame(page).locator('.status-line .conn');

function writeRequest(workspace, name, text) {
  writeFileSync(path.join(workspace, name), text);
}

/** One editor group and no panel: the next panel opens beside the file, as the first one did. */
async function closeAllEditors(page) {
  await runCommand(page, 'View: Close All Editors');
  await page.locator('iframe.webview').first().waitFor({ state: 'detached', timeout: 10_000 });
  await page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: 10_000 });
}

/** Clicks `Send Request` and returns ms until the panel shows a status matching `status`. */
async function sendAndTime(page, status, { timeout: wait = 30_000 } = {}) {
  const sendLens = codeLens(page, 'Send Request');
  // The first lens of a session waits for activation and the engine: generous once, tight afterwards.
  await sendLens.waitFor({ timeout: 45_000 });
  const started = Date.now();
  await sendLens.click();
  await expectText(statusOf(page), status, { timeout: wait });
  return Date.now() - started;
}

/** `document.title` of every frame on the page (a frame that cannot be read is reported as such). */
async function frameTitles(page) {
  const titles = [];
  for (const frame of page.frames()) {
    try {
      // A frame without scripts (the sandboxed preview) may never answer an evaluate: do not wait for it.
      const answer = await Promise.race([
        frame.evaluate(() => document.title),
        new Promise((resolve) => setTimeout(() => resolve('(no answer: scripts disabled)'), 2000)),
      ]);
      titles.push(answer);
    } catch (error) {
      titles.push(`(unreadable: ${String(error.message).split('\n')[0]})`);
    }
  }
  return titles;
}

export const tests = {
  'Send Request opens the panel: 200, a new connection, then the same one reused': async ({
    page,
    workspace,
    startLocalServer,
    screenshot,
  }) => {
    const server = await startLocalServer({
      'GET /users': (_req, res) => send(res, 200, { page: 1, total: USERS.length, users: USERS }),
    });
    writeRequest(
      workspace,
      'users-api.http',
      `# The response panel, from a CodeLens click\n# @name listUsers\nGET ${server.url}/users?page=1\nAccept: application/json\n`,
    );
    await openFile(page, 'users-api.http');
    await codeLens(page, 'Send Request').waitFor({ timeout: 45_000 });
    await page.mouse.move(0, 0);
    await screenshot('editor-codelens');

    const ms = await sendAndTime(page, /^200\b/);
    console.log(`BENCH send-to-panel-ms ${ms}`);
    await expectText(connectionOf(page), 'new connection #1');

    const again = Date.now();
    await codeLens(page, 'Send Request').click();
    await expectText(connectionOf(page), 'reused connection #1 (request 2 on it)', { timeout: 15_000 });
    console.log(`BENCH send-to-panel-reused-ms ${Date.now() - again}`);
    await expectText(statusOf(page), /^200\b/);
    assert.equal(server.requests.length, 2);
    assert.equal(server.connections, 1, 'both requests went over one socket');

    // The waterfall: a compact bar in the header, the full table on the Timing tab.
    const frame = webviewFrame(page);
    assert.ok((await frame.locator('.summary .bar .seg').count()) >= 2, 'the compact bar has segments');
    await frame.locator('#tab-timing').click();
    const waterfall = frame.locator('#panel-timing table.waterfall');
    await waterfall.waitFor({ state: 'visible', timeout: 5000 });
    const phases = await waterfall.locator('tbody th.phase').allInnerTexts();
    assert.ok(phases.length >= 4, `waterfall phases: ${JSON.stringify(phases)}`);
    await expectText(waterfall.locator('tfoot .ms'), /\d/);
    await expectText(frame.locator('#panel-timing .hop .muted').first(), /reused connection #1/);

    await frame.locator('#tab-body').click();
    await expectText(frame.locator('#body-content'), /"users"/);
    await page.mouse.move(0, 0);
    await screenshot('response-panel');
  },

  'hostile HTML in a response stays inert and the panel stays usable': async ({
    page,
    workspace,
    startLocalServer,
    screenshot,
  }) => {
    await closeAllEditors(page);
    const server = await startLocalServer();
    await page
      .context()
      .grantPermissions(['clipboard-read', 'clipboard-write'])
      .catch(() => {});
    writeRequest(workspace, 'hostile.http', `GET ${server.url}/html-hostile\n`);
    await openFile(page, 'hostile.http');
    await sendAndTime(page, /^200\b/);
    const frame = webviewFrame(page);
    await expectText(frame.locator('.status-line .conn'), /connection #\d+/);

    // The page's own policy, as the webview got it.
    const csp = await frame.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.match(csp ?? '', /default-src 'none'/, `CSP: ${csp}`);
    assert.match(csp, /script-src 'nonce-[^']+'(;|$)/, `script-src is the nonce only: ${csp}`);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, `CSP: ${csp}`);

    // Source view shows the markup as text.
    await expectText(frame.locator('#body-content'), /document\.title='PWNED'/);
    // Preview renders it, in a sandbox without scripts.
    const previewButton = frame.locator('button[data-mode="preview"]');
    if (await previewButton.count()) {
      await previewButton.click();
      const iframe = frame.locator('#body-preview iframe');
      await iframe.waitFor({ state: 'visible', timeout: 5000 });
      assert.equal(await iframe.getAttribute('sandbox'), '', 'the preview iframe is fully sandboxed');
    }
    // Time for anything that would run, load or refresh (the page's meta refresh is 1 s).
    await page.waitForTimeout(3000);

    const pwned = server.requests.filter((r) => r.path.startsWith('/pwned'));
    assert.deepEqual(
      pwned.map((r) => r.path),
      [],
      'hostile markup reached the server',
    );
    assert.deepEqual(
      server.requests.map((r) => r.path),
      ['/html-hostile'],
    );
    const titles = await frameTitles(page);
    assert.ok(!titles.includes('PWNED'), `a frame's title was changed: ${JSON.stringify(titles)}`);
    assert.notEqual(await page.title(), 'PWNED');

    // The panel's own controls still take clicks (an overlay would make Playwright's click time out).
    await frame.locator('#tab-headers').click({ timeout: 5000 });
    await expectText(frame.locator('#tab-headers'), /Headers/);
    assert.equal(await frame.locator('#tab-headers').getAttribute('aria-selected'), 'true');
    await frame.locator('#tab-body').click({ timeout: 5000 });
    assert.equal(await frame.locator('#tab-body').getAttribute('aria-selected'), 'true');
    await frame.locator('button[data-action="copyBody"]').click({ timeout: 5000 });
    await expectText(page.locator('.statusbar'), /Response body copied/, { timeout: 10_000 });

    await page.mouse.move(0, 0);
    await screenshot('hostile-html');
    assert.deepEqual(
      server.requests.filter((r) => r.path.startsWith('/pwned')).map((r) => r.path),
      [],
      'hostile markup reached the server (late)',
    );
  },

  'Cancel stops a slow request and the lens returns to Send Request': async ({
    page,
    workspace,
    startLocalServer,
  }) => {
    await closeAllEditors(page);
    const server = await startLocalServer();
    writeRequest(workspace, 'slow-request.http', `GET ${server.url}/slow?ms=20000\n`);
    await openFile(page, 'slow-request.http');
    await codeLens(page, 'Send Request').click({ timeout: 45_000 });

    // While it runs the lens says Cancel.
    await codeLens(page, 'Cancel').waitFor({ timeout: 10_000 });
    assert.equal(await codeLens(page, 'Send Request').count(), 0);
    const arrived = Date.now() + 10_000;
    while (!server.requests.some((r) => r.path.startsWith('/slow')) && Date.now() < arrived) {
      await page.waitForTimeout(100);
    }
    assert.ok(server.requests.length === 1, 'the slow request reached the server');

    const cancelled = Date.now();
    await codeLens(page, 'Cancel').click();
    await codeLens(page, 'Send Request').waitFor({ timeout: 10_000 });
    const aborted = Date.now() + 5000;
    while (!server.requests[0].aborted && Date.now() < aborted) await page.waitForTimeout(100);
    assert.ok(server.requests[0].aborted, 'the server saw the client go away');
    assert.ok(Date.now() - cancelled < 10_000);

    // No response panel for a cancelled request.
    await page.waitForTimeout(1500);
    const panels = await page.locator('iframe.webview.ready').count();
    for (let i = 0; i < panels; i++) {
      const status = await webviewFrame(page, i)
        .locator('.status-line .status')
        .textContent({ timeout: 1000 })
        .then((text) => (text ?? '').trim())
        .catch(() => '');
      assert.doesNotMatch(status, /^200\b/, 'a panel shows 200 for the cancelled request');
    }
  },

  'a 50 MB JSON body: time to the first screen': async ({ page, workspace, startLocalServer }) => {
    await closeAllEditors(page);
    const server = await startLocalServer();
    // A small response first: a panel's first load in a fresh workbench costs seconds on its own (service
    // worker, scripts, fonts), which is not what this measures. The big response then reuses that panel.
    writeRequest(
      workspace,
      'big-json.http',
      `GET ${server.url}/echo?warm-up\n\n###\nGET ${server.url}/json-big?mb=50\n`,
    );
    await openFile(page, 'big-json.http');
    await sendAndTime(page, /^200\b/);
    const frame = webviewFrame(page);
    await expectText(frame.locator('#body-content'), /warm-up/);
    const bigLens = codeLens(page, 'Send Request', 1);
    const started = Date.now();
    await bigLens.click();
    await expectText(frame.locator('#body-content'), /"email": "user0@example\.test"/, { timeout: 60_000 });
    const firstScreen = Date.now() - started;
    const served = server.requests.at(-1).doneAt - started;
    console.log(`BENCH big-json-first-screen-ms ${firstScreen} (server done sending after ${served} ms)`);
    await expectText(frame.locator('#body-more-label'), /Showing the first/);
  },
};
