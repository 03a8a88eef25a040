// One request from a parsed document to a response: directives → session
// and options, variables → resolved request, session → result, and the
// result recorded for later `{{name.response...}}` references. The editor
// and the CLI both drive requests through this.
import type { HttpDocument, HttpRequest } from '../parser';
import type { SendResult, SessionRegistry } from '../session';
import {
  buildEnvironment,
  checkHeaderValue,
  describeProblem,
  type Environment,
  type EnvironmentSet,
  loadVariableFiles,
  parseExpression,
  referencedRequests,
  type ResolvedRequest,
  resolveTemplate,
  type VariableContext,
  type VariableFiles,
  type VariableFileSystem,
  type VariableProblem,
  wireHeaderValueProblem,
} from '../variables';
import { failure } from '../variables/problems';
import { resolveFully, resolveQuickly } from '../variables/resolveRequest';
import { problemAt } from '../variables/scope';
import { scanTemplate } from '../variables/template';
import { SessionChains } from './chainStore';
import { type OptionDefaults, type RequestSettings, requestSettings } from './requestOptions';

export interface RunnerOptions {
  readonly registry: SessionRegistry;
  readonly fs: VariableFileSystem;
  readonly workspaceRoot: string | null;
  /** False in Restricted Mode. */
  readonly trusted: boolean;
  readonly environmentName?: string | null;
  readonly settingsEnvironments?: EnvironmentSet;
  readonly defaults?: OptionDefaults;
  readonly processEnv?: Readonly<Record<string, string | undefined>>;
  readonly now?: () => number;
  readonly random?: () => number;
  /**
   * Which named requests' exchanges are kept for `{{name.response...}}`:
   * `all` (the editor: a reference may be typed later) or only those some
   * request of the document refers to (`referenced`: a run over a file as it
   * is, like the CLI's, so memory does not grow with every named request).
   */
  readonly keepExchanges?: 'all' | 'referenced';
}

export interface RunInput {
  readonly document: HttpDocument;
  readonly request: HttpRequest;
  /** Absolute path of the `.http` file, or null for an unsaved document. */
  readonly httpFile: string | null;
  readonly lines?: readonly string[];
  /** Answers to `# @prompt` lines and `--var` values: they win over every other source. */
  readonly prompts?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  /** See SendOptions.onSent: the request has gone out and its answer is on the way. */
  readonly onSent?: () => void;
}

/** One reason a request was not sent, at its place in the `.http` file. */
export interface PlacedProblem {
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** Without the place: front ends print `file:line:column: message`. */
  readonly message: string;
}

/** Why a request could not be sent at all (nothing went on the wire). */
export interface RunProblem {
  readonly kind: 'variables' | 'directives';
  /** A title line, then one problem per line, each starting with its 1-based line number. */
  readonly message: string;
  /** The request line, 1-based. */
  readonly line: number;
  /** The same problems one by one, in document order. */
  readonly problems: readonly PlacedProblem[];
}

export interface PreparedRun {
  readonly settings: RequestSettings;
  readonly resolved: ResolvedRequest | null;
  readonly problem: RunProblem | null;
}

export interface RunOutcome {
  readonly request: HttpRequest;
  readonly session: string;
  readonly resolved: ResolvedRequest | null;
  readonly result: SendResult | null;
  readonly problem: RunProblem | null;
  /** Values to mask wherever this run is shown. */
  readonly secrets: readonly string[];
}

/** `# @default-header` values with their `{{variables}}` resolved like the request's own headers. */
function resolveDefaultHeaders(
  document: HttpDocument,
  settings: RequestSettings,
  context: VariableContext,
): { headers: [string, string][]; problems: VariableProblem[]; secrets: string[] } {
  const headers: [string, string][] = [];
  const problems: VariableProblem[] = [];
  const secrets: string[] = [];
  if (!settings.options.defaultHeaders?.length) return { headers, problems, secrets };
  settings.options.defaultHeaders.forEach(([name, value], i) => {
    const range = settings.defaultHeaderRanges[i];
    if (!value.includes('{{') || !range) {
      headers.push([name, value]);
      return;
    }
    const r = resolveTemplate(document, context, value, { range, check: checkHeaderValue });
    if (!r.ok) {
      problems.push(...r.error.problems);
      return;
    }
    secrets.push(...r.value.secrets);
    const why = wireHeaderValueProblem(r.value.value);
    if (why !== null) {
      problems.push(
        problemAt('invalid-header-value', `@default-header ${name}: the value ${why}`, null, range),
      );
      return;
    }
    headers.push([name, r.value.value]);
  });
  return { headers, problems, secrets };
}

/**
 * Names of requests that some request of the document (or a file-wide default
 * header) refers to; null (keep all) when a `<@ file` body, whose references
 * are only seen when it is read, may refer to any.
 */
function referencedNames(document: HttpDocument, environment: Environment): ReadonlySet<string> | null {
  const templated = document.requests.some((r) =>
    r.body?.parts.some((p) => p.kind === 'file' && p.processVariables),
  );
  if (templated) return null;
  const names = new Set<string>();
  for (const request of document.requests) {
    for (const name of referencedRequests(document, request, environment)) names.add(name);
  }
  for (const d of document.fileDirectives) {
    if (d.name !== 'default-header' || d.value === true) continue;
    for (const span of scanTemplate(d.value)) {
      let e = parseExpression(span.inner);
      if (e?.kind === 'encoded') e = e.inner;
      if (e?.kind === 'chain') names.add(e.request);
    }
  }
  return names;
}

/** A file's environment and the variable files it came from (null for an unsaved document). */
export interface BuiltEnvironment {
  readonly environment: Environment;
  readonly files: VariableFiles | null;
}

export class Runner {
  private readonly chains = new Map<string, SessionChains>();
  private readonly files = new Map<string, Promise<VariableFiles>>();
  /** Built once per file until settings or files change: every request of a run reads it. */
  private readonly environments = new Map<string | null, Promise<BuiltEnvironment>>();
  /** The same, once built. */
  private readonly builtEnvironments = new Map<string | null, BuiltEnvironment>();
  private readonly referenced = new WeakMap<HttpDocument, ReadonlySet<string> | null>();

  constructor(private options: RunnerOptions) {}

  /** Settings changed: later runs use the new ones; recorded exchanges stay. */
  configure(options: Partial<RunnerOptions>): void {
    this.options = { ...this.options, ...options };
    this.forgetFiles();
  }

  /** Env files or `.env` changed on disk. */
  forgetFiles(): void {
    this.files.clear();
    this.environments.clear();
    this.builtEnvironments.clear();
  }

  chainsOf(session: string): SessionChains {
    let chains = this.chains.get(session);
    if (!chains) {
      chains = new SessionChains();
      this.chains.set(session, chains);
    }
    return chains;
  }

  environment(httpFile: string | null): Promise<BuiltEnvironment> {
    let built = this.environments.get(httpFile);
    if (!built) {
      const building = this.buildEnvironment(httpFile);
      built = building;
      this.environments.set(httpFile, building);
      // Only if nothing was forgotten meanwhile: a stale environment must not come back.
      building.then(
        (environment) => {
          if (this.environments.get(httpFile) === building) this.builtEnvironments.set(httpFile, environment);
        },
        // The caller awaiting `building` sees the failure.
        () => {},
      );
    }
    return built;
  }

  private async buildEnvironment(httpFile: string | null): Promise<BuiltEnvironment> {
    const o = this.options;
    const files = httpFile ? await this.variableFiles(httpFile) : null;
    const environment = buildEnvironment(
      files?.envFiles ?? [],
      o.settingsEnvironments,
      o.environmentName ?? null,
    );
    return { environment, files };
  }

  /** Everything `run` does before sending: the session, options and the resolved request, or why not. */
  async prepare(input: RunInput): Promise<PreparedRun> {
    const o = this.options;
    const { request, document } = input;
    const settings = requestSettings(document, request, o.defaults, input);
    const line = request.ranges.requestLine.start.line + 1;
    if (settings.problems.length > 0) {
      const message = settings.problems.map((p) => `line ${p.line}: ${p.message}`).join('\n');
      const problems = settings.problems.map((p) => ({ line: p.line, column: p.column, message: p.message }));
      return { settings, resolved: null, problem: { kind: 'directives', message, line, problems } };
    }
    // Read once the environment is built: no await (a promise and a turn of the microtask queue) per request.
    const { environment, files } =
      this.builtEnvironments.get(input.httpFile) ?? (await this.environment(input.httpFile));
    const context: VariableContext = {
      environment,
      prompts: input.prompts,
      chain: this.chainsOf(settings.session),
      dotenv: files?.dotenv ?? [],
      processEnv: o.processEnv ?? process.env,
      trusted: o.trusted,
      now: o.now ?? Date.now,
      random: o.random ?? Math.random,
    };
    const toResolve = { document, request, httpFile: input.httpFile, lines: input.lines };
    // resolveRequest without its promise when the quick path answers.
    const quick = resolveQuickly(toResolve, context);
    const resolved =
      quick !== null ? { ok: true as const, value: quick } : await resolveFully(toResolve, context, o.fs);
    const defaults = resolveDefaultHeaders(document, settings, context);
    if (!resolved.ok || defaults.problems.length > 0) {
      const label = request.name ? `request ${request.name}` : `the request on line ${line}`;
      const all = failure(`Cannot send ${label}:`, [
        ...(resolved.ok ? [] : resolved.error.problems),
        ...defaults.problems,
      ]);
      const problems = all.problems.map((p) => ({
        line: p.line,
        column: p.range.start.character + 1,
        message: describeProblem(p),
      }));
      return {
        settings,
        resolved: null,
        problem: { kind: 'variables', message: all.message, line, problems },
      };
    }
    const value =
      defaults.secrets.length > 0
        ? { ...resolved.value, secrets: [...new Set([...resolved.value.secrets, ...defaults.secrets])] }
        : resolved.value;
    // Resolved default headers replace the written ones (a file without any keeps its settings as they are).
    const withDefaults =
      settings.defaultHeaderRanges.length === 0
        ? settings
        : { ...settings, options: { ...settings.options, defaultHeaders: defaults.headers } };
    return { settings: withDefaults, resolved: value, problem: null };
  }

  async run(input: RunInput): Promise<RunOutcome> {
    const { request } = input;
    const prepared = await this.prepare(input);
    const { settings, resolved: r } = prepared;
    if (!r) {
      return {
        request,
        session: settings.session,
        resolved: null,
        result: null,
        secrets: [],
        problem: prepared.problem,
      };
    }
    const session = this.options.registry.get(settings.session);
    // The options carry the input's signal and onSent already (see requestSettings).
    const result = await session.send(
      { method: r.method, url: r.url, headers: r.headers, body: r.body },
      settings.options,
    );
    if (request.name && result.response && !result.error && (await this.keeps(input, request.name)))
      this.chainsOf(settings.session).record(request.name, result);
    return { request, session: settings.session, resolved: r, result, problem: null, secrets: r.secrets };
  }

  private async keeps(input: RunInput, name: string): Promise<boolean> {
    if (this.options.keepExchanges !== 'referenced') return true;
    let names = this.referenced.get(input.document);
    if (names === undefined) {
      const { environment } = await this.environment(input.httpFile);
      names = referencedNames(input.document, environment);
      this.referenced.set(input.document, names);
    }
    return names === null || names.has(name);
  }

  private variableFiles(httpFile: string): Promise<VariableFiles> {
    let files = this.files.get(httpFile);
    if (!files) {
      files = loadVariableFiles(this.options.fs, {
        httpFile,
        workspaceRoot: this.options.workspaceRoot,
        trusted: this.options.trusted,
      });
      this.files.set(httpFile, files);
    }
    return files;
  }
}
