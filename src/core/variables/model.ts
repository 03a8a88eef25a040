// What variable resolution takes in and gives back. Plain data and small
// interfaces only: the CLI and the editor build these from their own file
// systems, settings and sessions, so nothing here reaches for global state.
import type { Directive, Range } from '../parser';

/** Errors are values: resolution never throws for anything a user wrote. */
export type Result<T, E> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

/** Headers in the order seen; a name may repeat. */
export type HeaderPairs = readonly (readonly [string, string])[];

/** One sent request and its response, as the session recorded it for `{{name.response...}}`. */
export interface ChainedExchange {
  readonly request: { readonly headers: HeaderPairs; readonly body: string | null };
  readonly response: {
    readonly status: number;
    readonly headers: HeaderPairs;
    readonly body: string;
    readonly contentType: string | null;
  };
}

/** The named requests sent so far in this session (the newest exchange per name). */
export interface ChainStore {
  get(name: string): ChainedExchange | undefined;
}

/** Reads a file; `undefined` when it does not exist. Injected so the CLI, the editor and tests decide. */
export interface VariableFileSystem {
  readFile(path: string): Promise<Uint8Array | undefined>;
}

/** `{ "dev": { "host": "..." }, "$shared": { ... } }`: an env file's or the settings' shape. */
export type EnvironmentSet = Readonly<Record<string, unknown>>;

export type EnvironmentSource = 'private-file' | 'file' | 'settings';

/** Where a value came from, for hovers and for masking. */
export type VariableOrigin =
  | { readonly kind: 'prompt'; readonly name: string }
  | { readonly kind: 'chain'; readonly request: string }
  | { readonly kind: 'file'; readonly name: string; readonly range: Range }
  | {
      readonly kind: 'environment';
      readonly name: string;
      readonly source: EnvironmentSource;
      /** The env file, or null for the settings. */
      readonly path: string | null;
      /** The selected environment's name, or `$shared`. */
      readonly environment: string;
    }
  | { readonly kind: 'system'; readonly name: string }
  | { readonly kind: 'dotenv'; readonly name: string; readonly path: string }
  | { readonly kind: 'process-env'; readonly name: string };

export interface EnvironmentEntry {
  /** As written: may itself contain `{{...}}`. */
  readonly value: string;
  readonly origin: VariableOrigin & { readonly kind: 'environment' };
}

/** The selected environment merged over `$shared`, over every env file and the settings. */
export interface Environment {
  /** Null for "no environment" (only `$shared` applies). */
  readonly name: string | null;
  readonly variables: ReadonlyMap<string, EnvironmentEntry>;
  /** `$shared` alone, for `{{$shared name}}`. */
  readonly shared: ReadonlyMap<string, EnvironmentEntry>;
}

/** One `.env` file's values; a list is ordered nearest to the `.http` file first. */
export interface DotenvFile {
  readonly path: string;
  readonly values: Readonly<Record<string, string>>;
}

export interface VariableContext {
  readonly environment: Environment;
  /** Answers to this request's `# @prompt` lines. */
  readonly prompts?: Readonly<Record<string, string>>;
  readonly chain?: ChainStore;
  readonly dotenv?: readonly DotenvFile[];
  /** The OS environment, for `{{$processEnv}}`; pass `process.env` from the front end. */
  readonly processEnv?: Readonly<Record<string, string | undefined>>;
  /** False in VS Code Restricted Mode: `$processEnv`, `$dotenv` and private env files are not read. */
  readonly trusted: boolean;
  /** Milliseconds since the epoch. */
  now(): number;
  /** In [0, 1), as Math.random. */
  random(): number;
}

export type ProblemCode =
  | 'undefined'
  | 'unknown-request'
  | 'unsent-request'
  | 'no-match'
  | 'cycle'
  | 'restricted'
  | 'bad-syntax'
  | 'control-character'
  | 'invalid-header-name'
  | 'invalid-header-value'
  | 'duplicate-header'
  | 'invalid-method'
  | 'invalid-url'
  | 'file-not-found'
  | 'file-read';

export interface VariableProblem {
  readonly code: ProblemCode;
  /** One sentence, without the line: the CLI and the editor each place it. */
  readonly message: string;
  /** The text between the braces, or null when the problem is not one variable's. */
  readonly variable: string | null;
  /** 1-based, for people. */
  readonly line: number;
  /** 0-based, for the editor. */
  readonly range: Range;
  /** File variables the problem was reached through, outermost first. */
  readonly via: readonly string[];
}

/** What one `{{...}}` came to: a value and where it came from, or why not. */
export type Evaluation =
  | {
      readonly ok: true;
      readonly value: string;
      readonly origin: VariableOrigin;
      /** Secret values this one was built from (itself included when it is one). */
      readonly secrets: readonly string[];
    }
  | {
      readonly ok: false;
      readonly code: ProblemCode;
      readonly reason: string;
      /** Problems found inside the file variables it uses; the reason is then only a summary. */
      readonly nested: readonly VariableProblem[];
    };

export interface ResolveFailure {
  /** Every problem, one per line, ready to print. */
  readonly message: string;
  readonly problems: readonly VariableProblem[];
}

export interface ResolvedRequest {
  readonly name: string | null;
  readonly method: string;
  /** Absolute `http:` or `https:` URL. */
  readonly url: string;
  readonly httpVersion: string | null;
  readonly headers: [string, string][];
  /** Bytes when a `< file` part is in it, text otherwise. */
  readonly body: Uint8Array | string | null;
  /** Values from private env files, `.env`, the OS environment and password prompts: mask them in logs. */
  readonly secrets: string[];
  /** The request's own directives, untouched. */
  readonly directives: readonly Directive[];
}
