// Another "window" for the jarStore tests: a separate Node process working
// on the same storage folder, so locking and atomic saves are tested across
// real processes. Run as `node jarWindow.js MODE ...`:
//   hammer FOLDER SESSION PREFIX COUNT   sets PREFIX0…, deletes PREFIX(i-10), overwrites
//                                        `shared`, syncing after every step
//   save-loop FOLDER SESSION COOKIES     rewrites every cookie's value and syncs, forever
//   lock-after GO LOCK MARKER HOLD_MS    once GO exists, holds LOCK for HOLD_MS, MARKER existing meanwhile
import { existsSync } from 'node:fs';
import { unlink, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { createJar } from '../../../src/core/session/cookies';
import { JarStore, withLock } from '../../../src/extension/jarStore';

const URL_ = 'https://example.com/';

async function hammer(folder: string, session: string, prefix: string, count: number): Promise<void> {
  const store = new JarStore(folder);
  const jar = createJar();
  for (let i = 0; i < count; i++) {
    await jar.setCookie(`${prefix}${i}=${i}`, URL_);
    await jar.setCookie(`shared=${prefix}${i}`, URL_);
    if (i >= 10) await jar.store.removeCookie('example.com', '/', `${prefix}${i - 10}`);
    await store.sync(session, jar);
  }
}

async function saveLoop(folder: string, session: string, cookies: number): Promise<void> {
  const store = new JarStore(folder);
  const jar = createJar();
  const filler = 'x'.repeat(2000);
  for (let generation = 1; ; generation++) {
    for (let i = 0; i < cookies; i++) {
      await jar.setCookie(`c${i}=${process.pid}-${generation}-${filler}`, URL_);
    }
    await store.sync(session, jar);
    process.stdout.write(`saved ${generation}\n`);
  }
}

async function lockAfter(go: string, lock: string, marker: string, holdMs: number): Promise<void> {
  while (!existsSync(go)) await sleep(2);
  await withLock(lock, async () => {
    await writeFile(marker, String(process.pid));
    await sleep(holdMs);
    await unlink(marker);
  });
}

async function main(args: readonly string[]): Promise<void> {
  const [mode, a = '', b = '', c = '', d = ''] = args;
  if (mode === 'hammer') return hammer(a, b, c, Number(d));
  if (mode === 'save-loop') return saveLoop(a, b, Number(c));
  if (mode === 'lock-after') return lockAfter(a, b, c, Number(d));
  throw new Error(`unknown mode ${mode}`);
}

main(process.argv.slice(2)).then(
  () => process.stdout.write('done\n'),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
