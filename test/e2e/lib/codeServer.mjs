// Starts code-server (a real VS Code: web workbench + Node extension host) on 127.0.0.1, port 0, with a
// fresh user-data dir, extensions dir and workspace under test/e2e/.run/<name>/.
import { createWriteStream, cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnTracked, stopGroup } from './processes.mjs';
import { codeServerEntry, fixturesDir, node24, runDir } from './paths.mjs';
import { stageExtension } from './stage.mjs';

const START_TIMEOUT_MS = 90_000;

// Quiet, deterministic workbench: no welcome page, trust prompts, update checks, tips or AI side panels.
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'files.autoSave': 'off',
  'workbench.colorTheme': 'Default Light Modern',
};

/**
 * The environment without what would make code-server think it runs inside another VS Code, nor what
 * `npm run` adds (NODE and npm_* name Node 20): the same server whether started by npm or by hand.
 */
function cleanEnv(extra) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(VSCODE_|ELECTRON_|npm_)/.test(key) && key !== 'NODE') env[key] = value;
  }
  env.PATH = `${path.dirname(node24)}:${env.PATH}`;
  return { ...env, ...extra };
}

/**
 * @param {object} options
 * @param {string} options.name           folder under .run/, one per server
 * @param {boolean} [options.stage]       install the extension as an unpacked folder
 * @param {boolean} [options.testPayload] honour `extensionTestsPath` payloads (smoke-test driver)
 * @param {Record<string,string>} [options.env] extra environment, visible to the extension host too
 */
export async function startCodeServer({ name, stage = false, testPayload = false, env = {} }) {
  const base = path.join(runDir, name);
  rmSync(base, { recursive: true, force: true });
  const userDataDir = path.join(base, 'user-data');
  const extensionsDir = path.join(base, 'extensions');
  const workspace = path.join(base, 'workspace');
  for (const dir of [path.join(userDataDir, 'User'), extensionsDir, workspace, path.join(base, 'xdg')]) {
    mkdirSync(dir, { recursive: true });
  }
  writeFileSync(path.join(userDataDir, 'User/settings.json'), `${JSON.stringify(USER_SETTINGS, null, 2)}\n`);
  writeFileSync(path.join(userDataDir, 'config.yaml'), 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  cpSync(fixturesDir, workspace, { recursive: true });
  if (stage) stageExtension(extensionsDir);

  const args = [
    codeServerEntry,
    '--auth',
    'none',
    '--bind-addr',
    '127.0.0.1:0',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--config',
    path.join(userDataDir, 'config.yaml'),
  ];
  if (testPayload) args.push('--vscode-option', 'enable-smoke-test-driver');
  args.push(workspace);

  const logFile = path.join(base, 'code-server.log');
  const log = createWriteStream(logFile);
  const tail = [];
  const child = spawnTracked(`code-server (${name})`, node24, args, {
    cwd: base,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: cleanEnv({
      XDG_DATA_HOME: path.join(base, 'xdg/data'),
      XDG_CONFIG_HOME: path.join(base, 'xdg/config'),
      XDG_CACHE_HOME: path.join(base, 'xdg/cache'),
      ...env,
    }),
  });

  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`code-server did not listen within ${START_TIMEOUT_MS / 1000}s`)),
      START_TIMEOUT_MS,
    );
    let pending = '';
    const onData = (chunk) => {
      log.write(chunk);
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        tail.push(line);
        if (tail.length > 400) tail.shift();
        const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${signal ?? code}) before listening`));
    });
  }).catch((error) => {
    error.message += `\n--- code-server log (${logFile}) ---\n${tail.slice(-60).join('\n')}`;
    throw error;
  });

  await waitForHealth(url);
  return {
    name,
    url,
    host: new URL(url).host,
    port: Number(new URL(url).port),
    pid: child.pid,
    workspace,
    userDataDir,
    extensionsDir,
    logFile,
    stop: async () => {
      await stopGroup(child.pid);
      log.end();
    },
  };
}

async function waitForHealth(url) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not accepting yet
    }
    if (Date.now() > deadline) throw new Error(`code-server at ${url} never answered /healthz`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
