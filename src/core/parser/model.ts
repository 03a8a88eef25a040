// The document model a `.http` / `.rest` file parses into. Positions are
// 0-based and ranges end-exclusive, as in VS Code, so the extension maps them
// one to one; the CLI adds 1 to lines when it prints them.

export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export type Severity = 'error' | 'warning' | 'info';

export interface ParseDiagnostic {
  readonly range: Range;
  readonly severity: Severity;
  readonly message: string;
  /** Stable id so the editor can offer fixes, e.g. `missing-blank-line`. */
  readonly code: string;
}

export interface Header {
  readonly name: string;
  readonly value: string;
  readonly range: Range;
}

export interface Directive {
  /** Without the `@`, e.g. `name`, `no-cookie-jar`, `timeout`. */
  readonly name: string;
  /** Text after the name, trimmed; `true` when there is none. */
  readonly value: string | true;
  readonly range: Range;
}

export interface VariableDefinition {
  readonly name: string;
  /** Raw value: may itself contain `{{...}}`. */
  readonly value: string;
  readonly range: Range;
  readonly nameRange: Range;
}

/** A body line `< path` (sent as is) or `<@ path` / `<@latin1 path` (variables processed). */
export interface FileReference {
  readonly path: string;
  readonly processVariables: boolean;
  readonly encoding: string | null;
  readonly range: Range;
}

export type BodyPart =
  | { readonly kind: 'text'; readonly text: string }
  | ({ readonly kind: 'file' } & FileReference);

export interface RequestBody {
  /** The body exactly as written (file-reference lines included), trailing blank lines trimmed. */
  readonly text: string;
  /** Text runs and file references in order; newlines between parts belong to the text runs. */
  readonly parts: readonly BodyPart[];
  /** Set when the whole body is one file reference. */
  readonly file: FileReference | null;
  readonly range: Range;
}

/** JetBrains `> {% script %}` / `> handler.js`, or a pre-request `< {% script %}`. */
export interface ScriptBlock {
  readonly kind: 'inline' | 'file';
  /** Script source for inline blocks, path for files. */
  readonly content: string;
  readonly range: Range;
}

/** JetBrains `>> file` (new name if exists) and `>>! file` (overwrite). */
export interface OutputRedirect {
  readonly path: string;
  readonly overwrite: boolean;
  readonly range: Range;
}

export interface RequestRanges {
  /** From the first line after the `###` separator (or file start) to the block's last line. */
  readonly block: Range;
  /** The request line (first line only; continuation lines are in `url`). */
  readonly requestLine: Range;
  readonly method: Range | null;
  /** The URL text, spanning continuation lines when there are any. */
  readonly url: Range;
  readonly headers: Range | null;
  readonly body: Range | null;
}

/**
 * A parse reads a request's name, method and URL at once and its other parts
 * when first asked for, through getters: read the properties (or JSON.stringify
 * the request), do not copy it with `{ ...request }`.
 */
export interface HttpRequest {
  /** `# @name` wins over the `###` separator's text. */
  readonly name: string | null;
  readonly method: string;
  /** Joined over continuation lines; `{{variables}}` kept unresolved. */
  readonly url: string;
  readonly httpVersion: string | null;
  readonly headers: readonly Header[];
  readonly body: RequestBody | null;
  readonly directives: readonly Directive[];
  readonly preRequestScripts: readonly ScriptBlock[];
  readonly responseHandlers: readonly ScriptBlock[];
  readonly outputRedirects: readonly OutputRedirect[];
  /** The block was written as a `curl ...` command. */
  readonly fromCurl: boolean;
  readonly ranges: RequestRanges;
}

/** `diagnostics` reads every block whole when first asked for. */
export interface HttpDocument {
  readonly requests: readonly HttpRequest[];
  /** `@name = value` definitions, in source order. */
  readonly variables: readonly VariableDefinition[];
  /** `# @session` / `# @default-header` lines written before the first request line. */
  readonly fileDirectives: readonly Directive[];
  readonly diagnostics: readonly ParseDiagnostic[];
  readonly lineCount: number;
}
