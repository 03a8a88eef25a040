// `http-session run FILE [--name N | --line L | --all] [options]`: sends
// requests through the same runner as the editor. Requests of one run share
// sessions in file order; a request that another one references by name is
// sent first, once.
import { resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import type { HttpDocument, HttpRequest } from '../core/parser';
import { parseHttp, splitLines } from '../core/parser';
import { type RunOutcome, Runner, requestSettings } from '../core/run';
import {
  DEFAULT_SESSION,
  loadJar,
  parseDuration,
  type ResolveRule,
  SessionRegistry,
  saveJar,
  toJsonRecord,
} from '../core/session';
import { nodeFileSystem, referencedRequests, TOKEN, wireHeaderValueProblem } from '../core/variables';
import { checkEnvironmentFiles } from './environmentChecks';
import { readDocumentText } from './files';
import { formatOutcome, outcomeJson, problemLines } from './runOutput';
import { caCertificates, clientCertificates, TLS_OPTIONS } from './tlsOptions';
import { UsageError } from './usage';

const OPTIONS = {
  name: { type: 'string' },
  line: { type: 'string' },
  all: { type: 'boolean' },
  env: { type: 'string' },
  var: { type: 'string', multiple: true },
  'cookie-jar': { type: 'string' },
  header: { type: 'string', multiple: true },
  timeout: { type: 'string' },
  insecure: { type: 'boolean' },
  resolve: { type: 'string', multiple: true },
  ...TLS_OPTIONS,
  json: { type: 'boolean' },
  'no-mask': { type: 'boolean' },
} as const;

export function parseResolve(text: string): ResolveRule {
  const m = /^([^:]+):(\d+):(.+)$/.exec(text);
  if (!m) throw new UsageError(`--resolve needs HOST:PORT:ADDRESS, got "${text}".`);
  return { host: m[1], port: Number(m[2]), address: m[3].replace(/^\[(.*)\]$/, '$1') };
}

function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  // Messages never repeat the argument whole: it may hold a credential.
  if (colon <= 0) throw new UsageError('--header needs "Name: value" (the argument has no colon).');
  const name = text.slice(0, colon).trim();
  const value = text.slice(colon + 1).trim();
  if (!TOKEN.test(name)) throw new UsageError(`--header: ${JSON.stringify(name)} is not a header name.`);
  const why = wireHeaderValueProblem(value);
  if (why !== null) throw new UsageError(`--header ${name}: the value ${why}.`);
  return [name, value];
}

function parseVar(text: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`--var needs name=value, got "${text}".`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

function selectRequests(
  doc: HttpDocument,
  values: { name?: string; line?: string; all?: boolean },
): HttpRequest[] {
  const chosen = [values.all, values.name !== undefined, values.line !== undefined].filter(Boolean).length;
  if (chosen > 1) throw new UsageError('Use only one of --all, --name and --line.');
  if (values.all) return [...doc.requests];
  if (values.name !== undefined) {
    const found = doc.requests.find((r) => r.name === values.name);
    if (!found) throw new UsageError(`No request is named "${values.name}".`);
    return [found];
  }
  if (values.line !== undefined) {
    const line = Number(values.line);
    if (!Number.isInteger(line) || line < 1)
      throw new UsageError(`--line needs a line number, got "${values.line}".`);
    const found = doc.requests.find(
      (r) => r.ranges.block.start.line + 1 <= line && line <= r.ranges.block.end.line + 1,
    );
    if (!found) throw new UsageError(`No request at line ${line}.`);
    return [found];
  }
  if (doc.requests.length === 1) return [doc.requests[0]];
  throw new UsageError(
    `The file has ${doc.requests.length} requests: choose one with --name or --line, or use --all.`,
  );
}

/** How long a finished request's line may wait for the next request to go out. */
const LINE_DELAY_MS = 50;
/** Bodies up to this size are formatted while the next request is on the wire; larger ones before it leaves. */
const DEFERRED_BODY_BYTES = 64 * 1024;

function jarPath(base: string, session: string): string {
  return session === DEFAULT_SESSION ? base : `${base}.${session.replace(/[^\w.-]/g, '_')}`;
}

export async function runCommand(
  args: string[],
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('run needs exactly one FILE.');
  const file = resolvePath(positionals[0]);
  const text = readDocumentText(positionals[0]);
  const doc = parseHttp(text);
  const errors = doc.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    for (const d of errors)
      err(`${positionals[0]}:${d.range.start.line + 1}:${d.range.start.character + 1}: error: ${d.message}`);
    return 2;
  }
  const selected = selectRequests(doc, values);
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    const parsed = parseDuration(values.timeout);
    if (!parsed.ok) throw new UsageError(`--timeout: ${parsed.error}.`);
    timeoutMs = parsed.ms;
  }
  const registry = new SessionRegistry({
    defaultHeaders: (values.header ?? []).map(parseHeader),
    resolve: (values.resolve ?? []).map(parseResolve),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ca: caCertificates(values),
    clientCertificates: clientCertificates(values),
  });
  const prompts = Object.fromEntries((values.var ?? []).map(parseVar));
  const runner = new Runner({
    registry,
    fs: nodeFileSystem,
    workspaceRoot: process.cwd(),
    trusted: true,
    environmentName: values.env ?? null,
    defaults: { insecure: values.insecure === true, timeoutMs },
    keepExchanges: 'referenced',
  });

  const mask = values['no-mask'] !== true;
  const format = (outcome: RunOutcome) =>
    values.json ? outcomeJson(outcome, toJsonRecord, mask) : formatOutcome(outcome, positionals[0], mask);
  // A request's line is printed once the next request has gone out, while its answer is on the
  // way: formatting it before would hold the next request back (a tenth of a request to a local
  // server). Anything else printed, and the end of the run, print it first; and it waits at most
  // LINE_DELAY_MS, so a next request that is slow to connect does not hold it back. Only a small
  // body is formatted then: its work delays reading the next answer, which that answer's timing
  // would show.
  let waiting: RunOutcome | null = null;
  /** What printing a line threw from onSent (which drops it), to throw after that send. */
  const failures: unknown[] = [];
  const printWaiting = () => {
    if (waiting === null) return;
    const outcome = waiting;
    waiting = null;
    try {
      out(format(outcome));
    } catch (error) {
      failures.push(error);
    }
  };
  const deadline = setTimeout(printWaiting, LINE_DELAY_MS).unref();
  const printLater = (outcome: RunOutcome) => {
    if ((outcome.result?.response?.body.byteLength ?? 0) > DEFERRED_BODY_BYTES) {
      out(format(outcome));
      return;
    }
    waiting = outcome;
    deadline.refresh();
  };

  const jarBase = values['cookie-jar'] ? resolvePath(values['cookie-jar']) : null;
  const loadedJars = new Set<string>();
  const prepareSession = async (name: string) => {
    if (!jarBase || loadedJars.has(name)) return;
    loadedJars.add(name);
    printWaiting();
    const loaded = await loadJar(jarPath(jarBase, name));
    if (loaded.warning) err(`http-session: ${loaded.warning}`);
    if (loaded.note) err(`http-session: ${loaded.note}`);
    registry.get(name).replaceJar(loaded.jar);
  };

  const lines = splitLines(text);
  const done = new Set<HttpRequest>();
  let failed = false;
  const { environment, files } = await runner.environment(file);
  checkEnvironmentFiles(files, values.env, positionals[0], err);
  // Only a file (or environment) that mentions a response or request can chain requests; skip the scan otherwise.
  const chainish = /\.(?:response|request)\./;
  const mayChain =
    chainish.test(text) || [...environment.variables.values()].some((e) => chainish.test(e.value));
  const send = async (request: HttpRequest, via: readonly HttpRequest[]): Promise<void> => {
    if (done.has(request) || via.includes(request)) return;
    // Requests this one references by name go first, once.
    for (const name of mayChain ? referencedRequests(doc, request, environment) : []) {
      const dependency = doc.requests.find((r) => r.name === name);
      if (dependency) await send(dependency, [...via, request]);
    }
    done.add(request);
    if (jarBase) await prepareSession(requestSettings(doc, request).session);
    const outcome: RunOutcome = await runner.run({
      document: doc,
      request,
      httpFile: file,
      lines,
      prompts,
      onSent: printWaiting,
    });
    // Not sent at all, or failed before it was written: nothing printed the line before.
    printWaiting();
    if (failures.length > 0) throw failures[0];
    if (outcome.problem || outcome.result?.error) failed = true;
    const problems = problemLines(outcome, positionals[0]);
    if (problems.length === 0) {
      printLater(outcome);
      return;
    }
    for (const line of problems) err(line);
    out(format(outcome));
  };
  try {
    for (const request of selected) await send(request, []);
  } finally {
    clearTimeout(deadline);
    printWaiting();
    if (jarBase) {
      for (const session of registry.list()) await saveJar(jarPath(jarBase, session.name), session.jar);
    }
    await registry.disposeAll();
  }
  if (failures.length > 0) throw failures[0];
  return failed ? 1 : 0;
}
