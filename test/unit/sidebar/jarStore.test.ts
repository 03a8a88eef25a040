import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, watch, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { Cookie, type CookieJar } from 'tough-cookie';
import { createJar } from '../../../src/core/session/cookies';
import {
  fileNameOf,
  JarStore,
  mergeCookies,
  nameFileOf,
  sessionOfFileName,
  withLock,
} from '../../../src/extension/jarStore';
import { setCookieValue } from '../../../src/extension/sidebar/jarEdits';

const WINDOW = join(__dirname, 'jarWindow.js');
const SITE = 'https://example.com/';
/** A file name made from a prefix and a hash of the session name. */
const HASHED = /@[0-9a-f]{32}\.json$/;

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'http-session-jarstore-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function valuesOf(jar: CookieJar): Promise<Record<string, string>> {
  const cookies = await jar.store.getAllCookies();
  return Object.fromEntries(cookies.map((c) => [c.key, c.value]).sort(([a], [b]) => a!.localeCompare(b!)));
}

async function fileCookies(path: string): Promise<{ key: string; value: string }[]> {
  return JSON.parse(await readFile(path, 'utf8')).cookies;
}

/** A pid that belonged to a process which has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  assert.ok(child.pid);
  return child.pid;
}

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function startWindow(
  t: TestContext,
  args: readonly string[],
): { child: ChildProcess; done: Promise<Finished> } {
  const child = spawn(process.execPath, [WINDOW, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
  });
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
  });
  const done = once(child, 'close').then(() => ({ code: child.exitCode, stdout, stderr }));
  return { child, done };
}

/** Blocks this thread (as a busy machine would) until `ready()` or the deadline. */
function blockUntil(ready: () => boolean, timeoutMs: number): void {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + timeoutMs;
  while (!ready() && Date.now() < deadline) Atomics.wait(cell, 0, 0, 5);
}

/** Any character, the ones that matter to paths and encodings often. */
const nameChar = fc.oneof(
  fc.constantFrom('.', '/', '\\', '%', ':', '*', 'A', 'Z', '\0', ' ', '~'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
);

describe('session file names', () => {
  const hostile = [
    '../escape',
    '..',
    '.',
    './x',
    'a/b',
    'a\\b',
    'C:\\x',
    '.hidden',
    'CON',
    'x*?<>|"',
    'nul\0',
  ];

  /** A name's file is a plain file name in the folder, short enough for any disk, never hidden. */
  const checkFile = (session: string, file: string) => {
    const folder = join(tmpdir(), 'jars');
    const what = `${JSON.stringify(session)} → ${file}`;
    assert.doesNotMatch(file, /[/\\:\0]/, what);
    assert.ok(!file.startsWith('.'), `hidden file: ${what}`);
    assert.equal(dirname(join(folder, file)), folder);
    assert.equal(basename(join(folder, file)), file);
    // Room left under 255 for the longest name made from it: `.lock.PID.RANDOM.stale`, `.corrupt-DATE`.
    assert.ok(Buffer.byteLength(file) <= 200, `${Buffer.byteLength(file)} bytes: ${what}`);
  };

  test('every session name maps to one file directly inside the folder, and back', () => {
    const check = (session: string) => {
      const file = fileNameOf(session);
      checkFile(session, file);
      // Short names are spelled out in the file name; the others are named in their `.session` file.
      if (Buffer.byteLength(file) < 100) assert.equal(sessionOfFileName(file), session);
      else assert.ok(sessionOfFileName(file) === session || HASHED.test(file), file);
    };
    for (const session of hostile) check(session);
    fc.assert(fc.property(fc.string({ unit: nameChar, minLength: 1, maxLength: 30 }), check));
  });

  test('a name too long for a file name gets a readable prefix and a hash of the whole name', () => {
    const long = [
      'x'.repeat(250),
      '会'.repeat(28),
      '会'.repeat(1000),
      '👩‍👩‍👧‍👦'.repeat(40),
      'A'.repeat(100),
    ];
    for (const session of long) {
      const file = fileNameOf(session);
      checkFile(session, file);
      assert.match(file, HASHED);
      assert.equal(sessionOfFileName(file), null);
      assert.equal(fileNameOf(session), file, 'the same name always gets the same file');
    }
    assert.match(fileNameOf('x'.repeat(250)), /^x{100}@[0-9a-f]{32}\.json$/);
    // The prefix never cuts an escape or a character in two.
    assert.match(fileNameOf('会'.repeat(28)), /^(%E4%BC%9A){11}@/);
    // Names alike up to far past the prefix still get different files.
    const same = 'y'.repeat(300);
    assert.notEqual(fileNameOf(`${same}1`), fileNameOf(`${same}2`));
    assert.notEqual(fileNameOf(`${same}A`).toLowerCase(), fileNameOf(`${same}a`).toLowerCase());
  });

  test('names that fit keep their readable file name', () => {
    assert.equal(fileNameOf('x'.repeat(195)), `${'x'.repeat(195)}.json`);
    assert.equal(sessionOfFileName(fileNameOf('会'.repeat(21))), '会'.repeat(21));
    assert.match(fileNameOf('x'.repeat(196)), HASHED);
  });

  test('a name with a lone surrogate gets a file name instead of an exception', () => {
    const lone = ['\ud800', '\udc00', 'a\udc00b', '\udc00\ud800', 'x\ud83d', '\ud83d\ude00\ud83d'];
    const files = lone.map((session) => {
      const file = fileNameOf(session);
      checkFile(session, file);
      assert.match(file, HASHED);
      return file;
    });
    assert.equal(new Set(files).size, lone.length, 'two names share a file');
    // The well-formed pair (an emoji) is a different name from its halves.
    assert.notEqual(fileNameOf('\ud83d\ude00'), fileNameOf('\ud83d\ude00\ud83d'));
    assert.match(fileNameOf('x\ud83d'), /^x%EF%BF%BD@/);
  });

  test('any string, lone surrogates and long ones too, gets a valid file name', () => {
    const unit = fc.oneof(
      nameChar,
      fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
      fc.constantFrom('会', '👩‍👩‍👧‍👦', 'x'.repeat(40)),
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 120 }), (session) => checkFile(session, fileNameOf(session))),
    );
  });

  test('sessions with long or ill-formed names are written and listed back', async (t) => {
    const folder = await tempDir(t);
    const store = new JarStore(folder);
    const names = ['会'.repeat(30), 'x'.repeat(250), 'a\udc00b', '\ud800', '', 'short'];
    for (const session of names) {
      const jar = createJar();
      await jar.setCookie(`a=${names.indexOf(session)}`, SITE);
      await store.sync(session, jar);
    }
    assert.deepEqual(await store.sessions(), [...names].sort());
    // A fresh store (another window, the next start) reads them back into the right jars.
    const other = new JarStore(folder);
    assert.deepEqual(await other.sessions(), [...names].sort());
    for (const session of names) {
      const jar = createJar();
      await other.sync(session, jar);
      assert.deepEqual(await valuesOf(jar), { a: String(names.indexOf(session)) }, JSON.stringify(session));
    }
    for (const file of await readdir(folder)) checkFile(file, file);
  });

  test('a hashed jar file is listed only with a .session file naming a session of that file', async (t) => {
    const folder = await tempDir(t);
    const store = new JarStore(folder);
    const session = 'z'.repeat(300);
    const jar = createJar();
    await jar.setCookie('a=1', SITE);
    await store.sync(session, jar);
    const file = fileNameOf(session);
    const nameFile = join(folder, nameFileOf(file));
    assert.deepEqual((await readdir(folder)).sort(), [file, nameFileOf(file)].sort());
    assert.deepEqual(JSON.parse(await readFile(nameFile, 'utf8')), { session });
    assert.deepEqual(await new JarStore(folder).sessions(), [session]);

    await writeFile(nameFile, JSON.stringify({ session: 'default' }));
    assert.deepEqual(await new JarStore(folder).sessions(), [], 'a .session file claimed another name');
    await writeFile(nameFile, '{"session": ');
    assert.deepEqual(await new JarStore(folder).sessions(), []);
    await rm(nameFile);
    assert.deepEqual(await new JarStore(folder).sessions(), []);

    // The next sync puts it back, though the jar file itself needs no write.
    const result = await new JarStore(folder).sync(session, createJar());
    assert.equal(result.written, false);
    assert.deepEqual(await new JarStore(folder).sessions(), [session]);
  });

  test('names differing only in case get different files, for disks that ignore case', () => {
    assert.notEqual(fileNameOf('Admin').toLowerCase(), fileNameOf('admin').toLowerCase());
    assert.notEqual(fileNameOf('ÄRGER').toLowerCase(), fileNameOf('ärger').toLowerCase());
    // Outside %XX escapes (whose hex is always upper case) a file name has no capitals.
    const capitals = (session: string) =>
      fileNameOf(session)
        .replace(/%[0-9A-F]{2}/g, '')
        .match(/[A-Z]/g);
    fc.assert(fc.property(fc.string({ unit: nameChar, maxLength: 30 }), (s) => capitals(s) === null));
  });

  test('names Windows keeps for devices get an ordinary file', () => {
    for (const session of ['con', 'CON', 'nul', 'Aux', 'prn', 'com1', 'LPT9']) {
      const file = fileNameOf(session);
      assert.doesNotMatch(file.split('.')[0]!, /^(con|prn|aux|nul|com\d|lpt\d)$/i, file);
      assert.equal(sessionOfFileName(file), session);
    }
    assert.equal(fileNameOf('console'), 'console.json');
    assert.equal(fileNameOf('default'), 'default.json');
  });

  test('hostile session names are written inside the folder and listed back', async (t) => {
    const dir = await tempDir(t);
    const folder = join(dir, 'jars');
    const store = new JarStore(folder);
    for (const session of hostile) {
      const jar = createJar();
      await jar.setCookie('a=1', SITE);
      await store.sync(session, jar);
    }
    assert.deepEqual(await readdir(dir), ['jars']);
    const files = await readdir(folder, { withFileTypes: true });
    assert.ok(files.every((f) => f.isFile()));
    assert.deepEqual(await store.sessions(), [...hostile].sort());
  });

  test('lock, temp and set-aside files are not sessions', () => {
    assert.equal(sessionOfFileName('default.json.lock'), null);
    assert.equal(sessionOfFileName('.default.json.123.0a1b2c3d.tmp'), null);
    assert.equal(sessionOfFileName('default.json.corrupt-2025-01-02T03-04-05-678Z'), null);
    assert.equal(sessionOfFileName('bad%E0%A4%A.json'), null);
    assert.equal(sessionOfFileName('.json'), null);
  });

  test('a file name fileNameOf would not write is not a session', () => {
    // `a.b.json` would be listed as session "a.b", whose file is really `a%2Eb.json`.
    assert.equal(sessionOfFileName('a.b.json'), null);
    assert.equal(sessionOfFileName('%2e%2e.json'), null);
    assert.equal(sessionOfFileName('a%2Eb.json'), 'a.b');
  });
});

describe('mergeCookies without a base (a window restoring its jar)', () => {
  const cookie = (key: string, value: string, lastAccessed: number) =>
    new Cookie({
      key,
      value,
      domain: 'example.com',
      path: '/',
      creation: new Date(1_700_000_000_000),
      lastAccessed: new Date(lastAccessed),
    });

  test('cookies from either side are all kept', () => {
    const merged = mergeCookies(new Map(), [cookie('ours', '1', 1)], [cookie('theirs', '2', 1)]);
    assert.deepEqual(merged.map((c) => c.key).sort(), ['ours', 'theirs']);
  });

  test('the same cookie on both sides: the one set or used last wins', () => {
    const older = cookie('sid', 'old', 1_700_000_001_000);
    const newer = cookie('sid', 'new', 1_700_000_002_000);
    assert.equal(mergeCookies(new Map(), [older], [newer])[0]?.value, 'new');
    assert.equal(mergeCookies(new Map(), [newer], [older])[0]?.value, 'new');
  });
});

describe('JarStore.sync between two windows', () => {
  async function twoWindows(t: TestContext) {
    const dir = await tempDir(t);
    return { dir, a: new JarStore(dir), b: new JarStore(dir), jarA: createJar(), jarB: createJar() };
  }

  test('changes to different cookies in two windows both survive', async (t) => {
    const { dir, a, b, jarA, jarB } = await twoWindows(t);
    await jarA.setCookie('x=1', SITE);
    await a.sync('default', jarA);
    await jarB.setCookie('y=1', SITE);
    await b.sync('default', jarB);
    await a.sync('default', jarA);

    await jarA.setCookie('x=2', SITE);
    await jarB.setCookie('y=2', SITE);
    await a.sync('default', jarA);
    await b.sync('default', jarB);
    const last = await a.sync('default', jarA);

    assert.equal(last.changedInMemory, true);
    assert.deepEqual(await valuesOf(jarA), { x: '2', y: '2' });
    assert.deepEqual(await valuesOf(jarB), { x: '2', y: '2' });
    const onDisk = await fileCookies(a.pathOf('default'));
    assert.deepEqual(onDisk.map((c) => `${c.key}=${c.value}`).sort(), ['x=2', 'y=2']);
    assert.deepEqual((await readdir(dir)).sort(), ['default.json']);
  });

  test('a cookie deleted in one window stays deleted after the other syncs', async (t) => {
    const { a, b, jarA, jarB } = await twoWindows(t);
    await jarA.setCookie('gone=1', SITE);
    await jarA.setCookie('kept=1', SITE);
    await a.sync('default', jarA);
    await b.sync('default', jarB);
    assert.deepEqual(await valuesOf(jarB), { gone: '1', kept: '1' });

    await jarA.store.removeCookie('example.com', '/', 'gone');
    await a.sync('default', jarA);
    // Window B only sent it meanwhile (a use, not a change).
    assert.equal(await jarB.getCookieString(SITE), 'gone=1; kept=1');
    const result = await b.sync('default', jarB);
    await a.sync('default', jarA);

    assert.equal(result.changedInMemory, true);
    assert.deepEqual(await valuesOf(jarB), { kept: '1' });
    assert.deepEqual(await valuesOf(jarA), { kept: '1' });
    assert.deepEqual(
      (await fileCookies(a.pathOf('default'))).map((c) => c.key),
      ['kept'],
    );
  });

  test('both windows changed one cookie: the one set last wins in both', async (t) => {
    const { a, b, jarA, jarB } = await twoWindows(t);
    await jarA.setCookie('sid=first', SITE);
    await a.sync('default', jarA);
    await b.sync('default', jarB);

    const t0 = Date.now();
    await jarB.setCookie('sid=from-b', SITE, { now: new Date(t0 + 2000) });
    await jarA.setCookie('sid=from-a', SITE, { now: new Date(t0 + 1000) });
    await b.sync('default', jarB);
    await a.sync('default', jarA);
    await b.sync('default', jarB);

    assert.deepEqual(await valuesOf(jarA), { sid: 'from-b' });
    assert.deepEqual(await valuesOf(jarB), { sid: 'from-b' });
  });

  test('a value edited in the sidebar beats an older change saved by the other window', async (t) => {
    const { a, b, jarA, jarB } = await twoWindows(t);
    await jarA.setCookie('sid=first', SITE);
    await a.sync('default', jarA);
    await b.sync('default', jarB);

    await jarB.setCookie('sid=from-response', SITE, { now: new Date(Date.now() - 60_000) });
    await b.sync('default', jarB);
    await setCookieValue(jarA, { domain: 'example.com', path: '/', name: 'sid' }, 'edited');
    await a.sync('default', jarA);
    await b.sync('default', jarB);

    assert.deepEqual(await valuesOf(jarB), { sid: 'edited' });
  });

  test('a change in one window beats a deletion in the other', async (t) => {
    const { a, b, jarA, jarB } = await twoWindows(t);
    await jarA.setCookie('sid=1', SITE);
    await a.sync('default', jarA);
    await b.sync('default', jarB);

    await jarA.store.removeCookie('example.com', '/', 'sid');
    await jarB.setCookie('sid=2', SITE);
    await a.sync('default', jarA);
    await b.sync('default', jarB);
    await a.sync('default', jarA);

    assert.deepEqual(await valuesOf(jarA), { sid: '2' });
  });

  test('a window restoring its jar keeps cookies from the file and from memory', async (t) => {
    const { a, b, jarA, jarB } = await twoWindows(t);
    await jarA.setCookie('saved=1', SITE);
    await a.sync('default', jarA);
    await jarB.setCookie('fresh=1', SITE);

    const result = await b.sync('default', jarB);

    assert.deepEqual(result, { changedInMemory: true, written: true, warning: null, note: null });
    assert.deepEqual(await valuesOf(jarB), { fresh: '1', saved: '1' });
  });

  test('a sync with nothing new neither writes nor changes the jar', async (t) => {
    const { a, jarA } = await twoWindows(t);
    await jarA.setCookie('sid=1', SITE);
    assert.equal((await a.sync('default', jarA)).written, true);
    assert.deepEqual(await a.sync('default', jarA), {
      changedInMemory: false,
      written: false,
      warning: null,
      note: null,
    });
  });

  test('sessions are separate files', async (t) => {
    const { a, jarA, jarB } = await twoWindows(t);
    await jarA.setCookie('one=1', SITE);
    await jarB.setCookie('two=2', SITE);
    await a.sync('one', jarA);
    await a.sync('two', jarB);
    assert.deepEqual(await a.sessions(), ['one', 'two']);
    assert.deepEqual(
      (await fileCookies(a.pathOf('two'))).map((c) => c.key),
      ['two'],
    );
  });
});

describe('JarStore on disk', () => {
  test('a corrupt jar file is set aside, not deleted, with a warning, and our jar is written', async (t) => {
    const dir = await tempDir(t);
    const now = new Date('2030-01-02T03:04:05.678Z');
    const store = new JarStore(dir, { now: () => now });
    await writeFile(store.pathOf('default'), '{"cookies": [ truncated');
    const jar = createJar();
    await jar.setCookie('ours=1', SITE, { now });

    const result = await store.sync('default', jar);

    const aside = `${store.pathOf('default')}.corrupt-2030-01-02T03-04-05-678Z`;
    assert.equal(result.written, true);
    assert.match(result.warning ?? '', /could not be read \(not JSON/);
    assert.ok(result.warning?.includes(aside), result.warning ?? '');
    assert.equal(await readFile(aside, 'utf8'), '{"cookies": [ truncated');
    assert.deepEqual(
      (await fileCookies(store.pathOf('default'))).map((c) => c.key),
      ['ours'],
    );
    assert.deepEqual(await valuesOf(jar), { ours: '1' });
  });

  test('cookies in the file that cannot be read are reported once, and the file is copied aside', async (t) => {
    const dir = await tempDir(t);
    const now = new Date('2030-01-02T03:04:05.678Z');
    const store = new JarStore(dir, { now: () => now });
    const good = createJar();
    await good.setCookie('kept=1', SITE, { now });
    await new JarStore(dir).sync('default', good);
    const path = store.pathOf('default');
    const file = JSON.parse(await readFile(path, 'utf8'));
    file.cookies.push(42, { key: 'no-domain', value: 'x' });
    const broken = JSON.stringify(file);
    await writeFile(path, broken);
    const jar = createJar();

    const first = await store.sync('default', jar);
    const second = await store.sync('default', jar);

    const aside = `${path}.corrupt-2030-01-02T03-04-05-678Z`;
    assert.equal(first.warning, null);
    assert.match(first.note ?? '', /2 of 3 entries could not be read/);
    assert.ok(first.note?.includes(aside), first.note ?? '');
    assert.equal(first.written, true, 'the unreadable entries stayed in the file');
    assert.equal(await readFile(aside, 'utf8'), broken);
    assert.deepEqual(await valuesOf(jar), { kept: '1' });
    assert.deepEqual(second, { changedInMemory: false, written: false, warning: null, note: null });
    assert.deepEqual(
      (await fileCookies(path)).map((c) => c.key),
      ['kept'],
    );
  });

  test('the jar restored from the file sends the same Cookie header', async (t) => {
    const dir = await tempDir(t);
    const jar = createJar();
    const set = (cookie: string, url: string) => jar.setCookie(cookie, url);
    await set('sid=abc; Path=/; HttpOnly', 'https://example.com/');
    await set('wide=1; Domain=example.com; Path=/', 'https://example.com/');
    await set('api=2; Path=/api', 'https://example.com/api/x');
    await set('deep=3; Path=/api/v1', 'https://example.com/api/v1/x');
    await set('secure=4; Secure; SameSite=Strict', 'https://example.com/');
    await set('later=5; Max-Age=3600', 'https://example.com/');
    await set('sub=6', 'https://api.example.com/');
    await set('other=7', 'https://other.example.org/');
    await new JarStore(dir).sync('default', jar);

    const restored = createJar();
    await new JarStore(dir).sync('default', restored);

    const urls = [
      'https://example.com/',
      'http://example.com/',
      'https://example.com/api/v1/items',
      'https://api.example.com/api',
      'https://other.example.org/',
    ];
    for (const url of urls) {
      assert.equal(await restored.getCookieString(url), await jar.getCookieString(url), url);
    }
    assert.equal(
      await restored.getCookieString('https://example.com/api/v1/items'),
      'deep=3; api=2; sid=abc; wide=1; secure=4; later=5',
    );
  });
});

describe('the lock file', () => {
  test('a lock left by a process that is gone is taken over at once', async (t) => {
    const dir = await tempDir(t);
    const store = new JarStore(dir, { staleMs: 60_000 });
    await writeFile(`${store.pathOf('default')}.lock`, `${deadPid()}@${hostname()} 0123456789ab`);
    const jar = createJar();
    await jar.setCookie('a=1', SITE);

    const started = Date.now();
    await store.sync('default', jar);

    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    assert.deepEqual(await readdir(dir), ['default.json']);
  });

  test('a lock held by a live process is waited for, then taken', async (t) => {
    const dir = await tempDir(t);
    const lock = join(dir, 'default.json.lock');
    await writeFile(lock, `${process.pid}@${hostname()} 0123456789ab`);
    let ran = false;

    const waiting = withLock(lock, async () => {
      ran = true;
      return readFile(lock, 'utf8');
    });
    await sleep(300);
    assert.equal(ran, false, 'took over a lock whose holder is alive');
    await rm(lock);
    const heldAs = await waiting;

    assert.match(heldAs, new RegExp(`^${process.pid}@`));
    assert.doesNotMatch(heldAs, /0123456789ab/);
    assert.equal(existsSync(lock), false, 'the lock was not released');
  });

  test('a lock older than staleMs is taken over even when its process lives', async (t) => {
    const dir = await tempDir(t);
    const lock = join(dir, 'default.json.lock');
    await writeFile(lock, `${process.pid}@another-host 0123456789ab`);
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);

    const result = await withLock(lock, async () => 'ran', { staleMs: 10_000 });

    assert.equal(result, 'ran');
    assert.equal(existsSync(lock), false);
  });

  test('a live holder slower than staleMs keeps its lock: a second window waits for it', async (t) => {
    const dir = await tempDir(t);
    const lock = join(dir, 'default.json.lock');
    const staleMs = 150;
    const events: string[] = [];
    let releaseFirst!: () => void;
    const firstMayEnd = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    // Its process is alive: only the lock's age could make it look abandoned.
    const first = withLock(
      lock,
      async () => {
        events.push('first in');
        await firstMayEnd;
        events.push('first out');
      },
      { staleMs },
    );
    await sleep(20);
    const second = withLock(
      lock,
      async () => {
        events.push('second in');
      },
      { staleMs },
    );
    await sleep(staleMs * 6);
    releaseFirst();
    await Promise.all([first, second]);

    assert.deepEqual(events, ['first in', 'first out', 'second in']);
    assert.equal(existsSync(lock), false);
  });

  test('the lock is released when the work throws', async (t) => {
    const dir = await tempDir(t);
    const lock = join(dir, 'x.lock');
    await assert.rejects(
      withLock(lock, async () => {
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(existsSync(lock), false);
  });

  test('holders in one process never overlap', async (t) => {
    const dir = await tempDir(t);
    const lock = join(dir, 'x.lock');
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 12 }, () =>
        withLock(lock, async () => {
          inside++;
          most = Math.max(most, inside);
          await sleep(2);
          inside--;
        }),
      ),
    );
    assert.equal(most, 1);
  });

  test('two windows taking over one dead lock never hold it together', async (t) => {
    const dir = await tempDir(t);
    const lock = join(dir, 'default.json.lock');
    const go = join(dir, 'go');
    const marker = join(dir, 'other-window-holds-the-lock');
    await writeFile(lock, `${deadPid()}@${hostname()} 0123456789ab`);
    const other = startWindow(t, ['lock-after', go, lock, marker, '400']);
    let paused = false;
    // This window stalls (as on a busy machine) after reading the dead lock and
    // before removing it, until the other window has taken it over and holds it.
    const now = () => {
      if (!paused) {
        paused = true;
        writeFileSync(go, '');
        blockUntil(() => existsSync(marker), 5000);
      }
      return new Date();
    };

    let otherHeldIt: boolean | null = null;
    await withLock(
      lock,
      async () => {
        otherHeldIt = existsSync(marker);
      },
      { now, staleMs: 60_000 },
    );

    const finished = await other.done;
    assert.equal(finished.code, 0, finished.stderr);
    assert.equal(paused, true);
    assert.equal(otherHeldIt, false, 'both windows held the lock at once');
  });
});

describe('several processes on one session file', () => {
  test('two processes syncing 50 times each: the file is always valid JSON, no change is lost', {
    timeout: 90_000,
  }, async (t) => {
    const dir = await tempDir(t);
    const path = new JarStore(dir).pathOf('default');
    const invalid: string[] = [];
    let reads = 0;
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const [text, lock] = await Promise.all([
          readFile(path, 'utf8').catch(() => null),
          readFile(`${path}.lock`, 'utf8').catch(() => null),
        ]);
        if (text !== null) {
          reads++;
          try {
            JSON.parse(text);
          } catch {
            invalid.push(text.slice(-80));
          }
        }
        if (lock === '') invalid.push('an empty lock file');
        await sleep(1);
      }
    })();

    const windows = ['a', 'b'].map((prefix) => startWindow(t, ['hammer', dir, 'default', prefix, '50']).done);
    const results = await Promise.all(windows);
    reading = false;
    await reader;

    for (const r of results) assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(invalid, []);
    assert.ok(reads > 10, `only ${reads} reads while the processes ran`);
    const jar = createJar();
    await new JarStore(dir).sync('default', jar);
    const values = await valuesOf(jar);
    const expected = ['a', 'b'].flatMap((p) => Array.from({ length: 10 }, (_, i) => `${p}${40 + i}`));
    assert.deepEqual(Object.keys(values).sort(), [...expected, 'shared'].sort());
    assert.ok(['a49', 'b49'].includes(values['shared']!), `shared = ${values['shared']}`);
    assert.deepEqual((await readdir(dir)).sort(), ['default.json']);
  });

  test('a save killed with SIGKILL never leaves a truncated jar file', { timeout: 90_000 }, async (t) => {
    const dir = await tempDir(t);
    const store = new JarStore(dir, { staleMs: 60_000 });
    const path = store.pathOf('default');
    const COOKIES = 150;
    let killedMidWrite = 0;
    const leftTemps = new Set<string>();
    for (let round = 0; round < 6; round++) {
      const { child, done } = startWindow(t, ['save-loop', dir, 'default', String(COOKIES)]);
      const saves = 1 + (round % 3);
      let out = '';
      child.stdout?.on('data', (s: string) => {
        out += s;
      });
      const saved = () => (out.match(/^saved /gm) ?? []).length;
      // Odd rounds kill as a write starts (a temp file appears, or the jar file itself changes),
      // even rounds at a random moment.
      const onWrite = round % 2 === 1;
      const watcher = watch(dir, (event, name) => {
        const writing = name?.endsWith('.tmp') || (name === 'default.json' && event === 'change');
        if (onWrite && writing && saved() >= saves - 1) child.kill('SIGKILL');
      });
      // Should no write ever be seen, the round still ends (and fails below).
      const fallback = setTimeout(() => child.kill('SIGKILL'), 8000);
      if (!onWrite) {
        while (saved() < saves && child.exitCode === null) await sleep(2);
        await sleep(Math.floor(Math.random() * 15));
        child.kill('SIGKILL');
      }
      const finished = await done;
      clearTimeout(fallback);
      watcher.close();
      assert.equal(child.signalCode, 'SIGKILL', finished.stderr);

      // A lock always names its process, so the next save can tell it was abandoned.
      const lock = await readFile(`${path}.lock`, 'utf8').catch(() => null);
      assert.ok(lock === null || /^\d+@\S+ [0-9a-f]+$/.test(lock), `lock left as ${JSON.stringify(lock)}`);
      const newTemps = (await readdir(dir)).filter((f) => f.endsWith('.tmp') && !leftTemps.has(f));
      if (newTemps.length > 0) killedMidWrite++;
      for (const f of newTemps) leftTemps.add(f);
      const cookies = await fileCookies(path);
      assert.equal(cookies.length, COOKIES);
      for (const c of cookies) assert.match(c.value, /^\d+-\d+-x{2000}$/);
    }
    assert.ok(killedMidWrite > 0, 'no kill landed in the middle of a write: the test proved nothing');

    const jar = createJar();
    const started = Date.now();
    const result = await store.sync('default', jar);
    assert.ok(Date.now() - started < 5000, 'the dead lock was not taken over at once');
    assert.equal(result.warning, null);
    assert.equal((await jar.store.getAllCookies()).length, COOKIES);
    // A killed save's temp file holds cookies (credentials): the next save removes it.
    assert.deepEqual(await readdir(dir), ['default.json']);
  });
});

test('a lock path in a folder that does not exist is an error, not a hang', async (t) => {
  const dir = await tempDir(t);
  await assert.rejects(
    withLock(join(dir, 'missing', 'x.lock'), async () => 'never'),
    /ENOENT/,
  );
});
