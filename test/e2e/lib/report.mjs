// What a failure leaves behind: a screenshot, code-server's log tail and the extension host's log tail.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, runDir } from './paths.mjs';

export const failuresDir = path.join(runDir, 'failures');

const slug = (text) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);

/** Saves a full-page screenshot under .run/failures/ and says where; never throws. */
export async function failureScreenshot(page, name) {
  try {
    mkdirSync(failuresDir, { recursive: true });
    const file = path.join(failuresDir, `${slug(name)}.png`);
    await page.screenshot({ path: file, timeout: 10_000 });
    console.log(`  screenshot: ${path.relative(repoRoot, file)}`);
  } catch (error) {
    console.log(`  (no screenshot: ${error.message.split('\n')[0]})`);
  }
}

function findFiles(dir, names, found = []) {
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) findFiles(full, names, found);
    else if (names.includes(entry.name)) found.push(full);
  }
  return found;
}

function tailOf(file, lines) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .slice(-lines)
    .join('\n');
}

export function printFailureContext(server, lines = 40) {
  console.log(`  --- code-server log tail (${path.relative(repoRoot, server.logFile)}) ---`);
  console.log(tailOf(server.logFile, lines));
  // One extension host per page load: the newest is the one the failing test talked to.
  const [newest] = findFiles(path.join(server.userDataDir, 'logs'), ['remoteexthost.log', 'exthost.log'])
    .map((file) => ({ file, mtime: statSync(file).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  if (newest) {
    console.log(`  --- extension host log tail (${path.relative(repoRoot, newest.file)}) ---`);
    console.log(tailOf(newest.file, lines));
  }
}
