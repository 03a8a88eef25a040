// One request from a parsed document to a response: directives → session
// and options, variables → resolved request, session → result, and the
// result recorded for later `{{name.response...}}` references. The editor
// and the CLI both drive requests through this.
import type { HttpDocument, HttpRequest } from '../parser';
import type { SendResult, SessionRegistry } from '../session';
import {
  buildEnvironment,
  type Environment,
  type EnvironmentSet,
  loadVariableFiles,
  type ResolvedRequest,
  resolveRequest,
  type VariableFiles,
  type VariableFileSystem,
} from '../variables';
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
}

/** Why a request could not be sent at all (nothing went on the wire). */
export interface RunProblem {
  readonly kind: 'variables' | 'directives';
  /** One problem per line, each starting with its 1-based line number. */
  readonly message: string;
  readonly line: number;
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

export class Runner {
  private readonly chains = new Map<string, SessionChains>();
  private readonly files = new Map<string, Promise<VariableFiles>>();

  constructor(private options: RunnerOptions) {}

  /** Settings changed: later runs use the new ones; recorded exchanges stay. */
  configure(options: Partial<RunnerOptions>): void {
    this.options = { ...this.options, ...options };
    this.files.clear();
  }

  /** Env files or `.env` changed on disk. */
  forgetFiles(): void {
    this.files.clear();
  }

  chainsOf(session: string): SessionChains {
    let chains = this.chains.get(session);
    if (!chains) {
      chains = new SessionChains();
      this.chains.set(session, chains);
    }
    return chains;
  }

  async environment(
    httpFile: string | null,
  ): Promise<{ environment: Environment; files: VariableFiles | null }> {
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
    const settings = requestSettings(document, request, o.defaults);
    const line = request.ranges.requestLine.start.line + 1;
    if (settings.problems.length > 0) {
      const message = settings.problems.map((p) => `line ${p.line}: ${p.message}`).join('\n');
      return { settings, resolved: null, problem: { kind: 'directives', message, line } };
    }
    const { environment, files } = await this.environment(input.httpFile);
    const resolved = await resolveRequest(
      { document, request, httpFile: input.httpFile, lines: input.lines },
      {
        environment,
        prompts: input.prompts,
        chain: this.chainsOf(settings.session),
        dotenv: files?.dotenv ?? [],
        processEnv: o.processEnv ?? process.env,
        trusted: o.trusted,
        now: o.now ?? Date.now,
        random: o.random ?? Math.random,
      },
      o.fs,
    );
    if (!resolved.ok) {
      return {
        settings,
        resolved: null,
        problem: { kind: 'variables', message: resolved.error.message, line },
      };
    }
    return { settings, resolved: resolved.value, problem: null };
  }

  async run(input: RunInput): Promise<RunOutcome> {
    const { request } = input;
    const prepared = await this.prepare(input);
    const { settings, resolved: r } = prepared;
    const base = { request, session: settings.session };
    if (!r) return { ...base, resolved: null, result: null, secrets: [], problem: prepared.problem };
    const session = this.options.registry.get(settings.session);
    const result = await session.send(
      { method: r.method, url: r.url, headers: r.headers, body: r.body },
      { ...settings.options, signal: input.signal },
    );
    if (request.name && result.response && !result.error)
      this.chainsOf(settings.session).record(request.name, result);
    return { ...base, resolved: r, result, problem: null, secrets: r.secrets };
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
