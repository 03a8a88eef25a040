// Many things at once against one session and one jar file: concurrent sends
// that set and overwrite cookies, concurrent saves of the persisted jar, a
// process killed in the middle of a save, and jar files that cannot be read.
// Real servers on 127.0.0.1, real files, real child processes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { watch } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, type TestContext, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Cookie, type CookieJar } from 'tough-cookie';
import { createJar } from '../../../src/core/session/cookies';
import { loadJar, saveJar } from '../../../src/core/session/persistence';
import { startHttpServer } from '../../helpers/servers';
import { get, testSession } from '../../helpers/sessions';

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'http-session-concurrency-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A jar of `count` cookies named `${tag}-0…`, spread over a few domains so no per-domain cap applies. */
async function jarOf(tag: string, count: number): Promise<CookieJar> {
  const jar = createJar();
  for (let i = 0; i < count; i++) {
    await jar.store.putCookie(
      new Cookie({ key: `${tag}-${i}`, value: `${tag}`, domain: `d${i % 40}.example.org`, path: '/' }),
    );
  }
  return jar;
}

interface SavedCookie {
  key: string;
  value: string;
}

describe('concurrent sends through one session', () => {
  test('50 sends at once, each setting its own cookie and some overwriting one name: none is lost', async (t) => {
    const N = 50;
    const overwriters = new Set<string>();
    const server = await startHttpServer({
      '/set': async (req, res) => {
        const i = Number(new URL(req.url ?? '', 'http://x').searchParams.get('i'));
        const cookies = [`c${i}=v${i}; Path=/`];
        if (i % 5 === 0) {
          cookies.push(`shared=s${i}; Path=/`);
          overwriters.add(`s${i}`);
        }
        // Answers arrive in an order unrelated to the order sent.
        await sleep((i * 7919) % 23);
        res.writeHead(200, { 'Set-Cookie': cookies });
        res.end(String(i));
      },
      '/show': (req, res) => res.end(req.headers.cookie ?? ''),
    });
    t.after(() => server.close());
    const session = testSession(t);

    const results = await Promise.all(
      Array.from({ length: N }, (_, i) => session.send(get(server.url(`/set?i=${i}`)))),
    );

    assert.deepEqual(
      results.filter((r) => r.error || r.response?.status !== 200).map((r) => r.error?.message),
      [],
    );
    const stored = await session.jar.store.getAllCookies();
    const names = stored.map((c) => c.key).sort();
    const want = [...Array.from({ length: N }, (_, i) => `c${i}`), 'shared'].sort();
    assert.deepEqual(names, want, 'every cookie once, the overwritten name once');
    for (const c of stored.filter((c) => c.key.startsWith('c'))) assert.equal(c.value, `v${c.key.slice(1)}`);
    const shared = stored.find((c) => c.key === 'shared')!;
    assert.ok(overwriters.has(shared.value), `shared=${shared.value} is one of the values set`);

    const show = await session.send(get(server.url('/show')));
    const sent = new Map(show.response!.text.split('; ').map((p) => p.split('=') as [string, string]));
    assert.equal(sent.size, N + 1, 'the next request carries all of them');
  });
});

describe('the persisted jar', () => {
  test('concurrent saves of one path never interleave, and the last one called wins whole', async (t) => {
    const dir = await tempDir(t);
    const path = join(dir, 'jar.json');
    // The first save is by far the biggest: if saves raced, it would finish last.
    const sizes = [12_000, ...Array.from({ length: 11 }, () => 40)];
    const jars = await Promise.all(sizes.map((n, k) => jarOf(`j${k}`, n)));

    let reading = true;
    const reads: string[] = [];
    const reader = (async () => {
      while (reading) {
        const text = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
          if (e.code === 'ENOENT') return null;
          throw e;
        });
        if (text !== null) reads.push(text);
        await sleep(1);
      }
    })();
    await Promise.all(jars.map((jar) => saveJar(path, jar)));
    reading = false;
    await reader;

    const check = (text: string) => {
      const cookies: SavedCookie[] = JSON.parse(text).cookies;
      const tags = new Set(cookies.map((c) => c.value));
      assert.equal(tags.size, 1, 'one jar per file, never a mix');
      const k = Number([...tags][0].slice(1));
      assert.equal(cookies.length, sizes[k], `jar j${k} whole`);
      return k;
    };
    assert.ok(reads.length > 0, 'the reader saw the file while saves were running');
    for (const text of reads) check(text);
    assert.equal(check(await readFile(path, 'utf8')), sizes.length - 1, 'the last save called wins');
    assert.deepEqual(await readdir(dir), ['jar.json'], 'no temp file left');
  });

  test('a save killed with SIGKILL leaves the old file or the new one, never a part', async (t) => {
    const dir = await tempDir(t);
    const path = join(dir, 'jar.json');
    const COUNT = 3000;
    const child = join(dir, 'saver.cjs');
    // The compiled persistence module next to this compiled test.
    const modules = resolve(__dirname, '../../../src/core/session');
    await writeFile(
      child,
      `const { saveJar } = require(${JSON.stringify(join(modules, 'persistence.js'))});
const { createJar } = require(${JSON.stringify(join(modules, 'cookies.js'))});
const { Cookie } = require(require.resolve('tough-cookie', { paths: [${JSON.stringify(modules)}] }));
(async () => {
  const jar = createJar();
  for (let gen = 0; ; gen++) {
    for (let i = 0; i < ${COUNT}; i++) {
      await jar.store.putCookie(new Cookie({ key: 'c' + i, value: gen + '-' + 'x'.repeat(300), domain: 'd' + (i % 40) + '.example.org', path: '/' }));
    }
    await saveJar(${JSON.stringify(path)}, jar);
    process.stdout.write('saved ' + gen + '\\n');
  }
})();
`,
    );

    const temps = async () => (await readdir(dir)).filter((f) => f.endsWith('.tmp'));
    /** Runs the saver until it has saved once, then kills it when `when` resolves; returns the last gen saved. */
    const killDuring = async (when: (pid: number) => Promise<void>) => {
      const proc = spawn(process.execPath, [child], { stdio: ['ignore', 'pipe', 'inherit'] });
      let saved = -1;
      let firstSave!: () => void;
      const first = new Promise<void>((r) => {
        firstSave = r;
      });
      proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        for (const m of chunk.matchAll(/saved (\d+)/g)) saved = Number(m[1]);
        if (saved >= 0) firstSave();
      });
      await first;
      await when(proc.pid!);
      proc.kill('SIGKILL');
      await once(proc, 'exit');
      return saved;
    };
    const assertWhole = async (lastSaved: number) => {
      const cookies: SavedCookie[] = JSON.parse(await readFile(path, 'utf8')).cookies;
      const gens = new Set(cookies.map((c) => Number(c.value.split('-')[0])));
      assert.equal(gens.size, 1, 'one generation per file');
      const gen = [...gens][0];
      assert.ok(
        gen === lastSaved || gen === lastSaved + 1,
        `gen ${gen} is the old (${lastSaved}) or the new`,
      );
      assert.equal(cookies.length, COUNT);
    };

    // Killed the moment its temp file appears: between writing and the rename.
    let caughtMidWrite = false;
    for (let attempt = 0; attempt < 4 && !caughtMidWrite; attempt++) {
      const saved = await killDuring(
        (pid) =>
          new Promise<void>((done) => {
            const stop = () => {
              watcher.close();
              clearTimeout(timer);
              done();
            };
            const watcher = watch(dir, (_event, name) => {
              if (name?.startsWith(`.jar.json.${pid}.`)) stop();
            });
            // A saver that writes no temp file is killed anyway, and the checks below judge the result.
            const timer = setTimeout(stop, 3000);
          }),
      );
      await assertWhole(saved);
      caughtMidWrite = (await temps()).length > 0;
    }
    assert.ok(caughtMidWrite, 'one kill landed between the temp file and the rename');

    // Killed at other moments: while building the jar, serialising or writing.
    for (const delay of [3, 40, 150]) {
      await assertWhole(await killDuring(() => sleep(delay)));
    }

    // A later save clears what dead savers left; the file stays readable throughout.
    await saveJar(path, await jarOf('after', 3));
    assert.deepEqual(await temps(), [], 'temp files of killed processes are removed');
    assert.equal((await loadJar(path)).warning, null);
  });

  test('a jar with a syntax error is moved aside with a message that places it and quotes no value', async (t) => {
    const dir = await tempDir(t);
    const path = join(dir, 'jar.json');
    await writeFile(path, '{"cookies": [\n  {"key": "sid", "value": "TOP-SECRET-SID-VALUE" x\n');

    const { jar, warning } = await loadJar(path, new Date('2025-01-02T03:04:05.678Z'));

    assert.match(warning ?? '', /not JSON: line 2, column 50: expected ',' or '\}' after a property value/);
    assert.doesNotMatch(warning ?? '', /TOP-SECRET/);
    assert.deepEqual(await readdir(dir), ['jar.json.corrupt-2025-01-02T03-04-05-678Z']);
    assert.deepEqual(await jar.store.getAllCookies(), []);
  });

  test('a jar of nothing but unreadable entries is moved aside, not emptied in place', async (t) => {
    const dir = await tempDir(t);
    const path = join(dir, 'jar.json');
    const content = JSON.stringify({ version: 'x', cookies: ['garbage', 42, null, {}] });
    await writeFile(path, content);

    const { warning } = await loadJar(path, new Date('2025-01-02T03:04:05.678Z'));

    assert.match(warning ?? '', /none of its 4 entries is a cookie\); it was moved to .*corrupt/);
    assert.equal(await readFile(`${path}.corrupt-2025-01-02T03-04-05-678Z`, 'utf8'), content);
  });

  test('a jar with some unreadable entries loads the rest, says so, and keeps the file as it was', async (t) => {
    const dir = await tempDir(t);
    const path = join(dir, 'jar.json');
    await saveJar(path, await jarOf('ok', 2));
    const saved = JSON.parse(await readFile(path, 'utf8'));
    saved.cookies.push('garbage');
    const content = JSON.stringify(saved);
    await writeFile(path, content);

    const loaded = await loadJar(path, new Date('2025-01-02T03:04:05.678Z'));

    assert.equal(loaded.warning, null, 'not moved aside: the readable cookies stay in use');
    assert.match(loaded.note ?? '', /1 of 3 entries could not be read and were left out; .* copied to /);
    assert.equal((await loaded.jar.store.getAllCookies()).length, 2);
    assert.equal(await readFile(`${path}.corrupt-2025-01-02T03-04-05-678Z`, 'utf8'), content);
  });

  test('the CLI tells about a corrupt --cookie-jar, sets it aside and goes on with an empty jar', async (t) => {
    const dir = await tempDir(t);
    const server = await startHttpServer({
      '/': (_req, res) => {
        res.writeHead(200, { 'Set-Cookie': 'fresh=1; Path=/' });
        res.end('ok');
      },
    });
    t.after(() => server.close());
    const jar = join(dir, 'jar.json');
    await writeFile(jar, '{"cookies": [ {"key": "half-written');
    const file = join(dir, 'a.http');
    await writeFile(file, `GET ${server.url('/')}\n`);

    const child = spawn(process.execPath, [resolve('dist/cli.js'), 'run', file, '--cookie-jar', jar], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const [code] = await once(child, 'exit');

    assert.equal(code, 0, stderr);
    assert.match(
      stderr,
      /Cookie jar .*jar\.json could not be read \(not JSON: line 1, column 36: a string is not closed\); it was moved to .*jar\.json\.corrupt-/,
    );
    const files = (await readdir(dir)).sort();
    assert.equal(files.filter((f) => f.startsWith('jar.json.corrupt-')).length, 1, 'the old file is kept');
    const now: SavedCookie[] = JSON.parse(await readFile(jar, 'utf8')).cookies;
    assert.deepEqual(
      now.map((c) => c.key),
      ['fresh'],
    );
  });
});
