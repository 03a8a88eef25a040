// Debian's Chromium, driven by playwright-core (never `playwright install`: no browser downloads here).
import { chromiumPath, loadPlaywright } from './paths.mjs';
import { stopGroup, trackGroup } from './processes.mjs';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const VIEWPORT = { width: 1280, height: 800 };

/** Launches Chromium as a browser server (so its pid is ours to kill) and connects to it. */
export async function launchBrowser() {
  const { chromium } = loadPlaywright();
  const server = await chromium.launchServer({
    executablePath: chromiumPath,
    args: CHROMIUM_ARGS,
    headless: true,
    host: '127.0.0.1',
  });
  const pid = server.process().pid;
  trackGroup('chromium', pid);
  const browser = await chromium.connect(server.wsEndpoint());
  return {
    browser,
    /** A fresh context (no shared storage between layers or UI modules) with one page. */
    async newPage() {
      const context = await browser.newContext({ viewport: VIEWPORT });
      const page = await context.newPage();
      return { context, page };
    },
    async close() {
      await Promise.race([browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
      await Promise.race([server.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
      await stopGroup(pid, 1000);
    },
  };
}
