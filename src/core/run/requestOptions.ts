// What a request's directives (and the file's) ask of the session: which
// session, which send options, which extra default headers. Pure, so the
// editor and the CLI read `# @timeout 2s` the same way.
import type { Directive, HttpDocument, HttpRequest, Range } from '../parser';
import { DEFAULT_SESSION } from '../session/registry';
import { parseDuration } from '../session/duration';
import type { SendOptions } from '../session/types';
import { TOKEN, wireHeaderValueProblem } from '../variables/checks';

export interface RequestSettings {
  readonly session: string;
  readonly options: SendOptions;
  /** Problems with directive values, with the 1-based line and column they were written on. */
  readonly problems: readonly { readonly line: number; readonly column: number; readonly message: string }[];
  /** Where each of `options.defaultHeaders` was written, in the same order: their values may use variables. */
  readonly defaultHeaderRanges: readonly Range[];
}

/** Defaults that come from settings or CLI flags, below what a request says. */
export interface OptionDefaults {
  readonly noRedirect?: boolean;
  readonly noCookieJar?: boolean;
  readonly insecure?: boolean;
  readonly timeoutMs?: number;
  readonly connectTimeoutMs?: number;
  readonly maxBodyBytes?: number;
}

function last(directives: readonly Directive[], name: string): Directive | undefined {
  for (let i = directives.length - 1; i >= 0; i--) if (directives[i].name === name) return directives[i];
  return undefined;
}

/**
 * `send`: what the send itself brings (the caller's signal, its onSent), put into the options as
 * they are built: adding them later by spreading the options costs more than the rest of this
 * function while the code is cold.
 */
export function requestSettings(
  doc: HttpDocument,
  request: HttpRequest,
  defaults: OptionDefaults = {},
  send: Pick<SendOptions, 'signal' | 'onSent'> = {},
): RequestSettings {
  const problems: { line: number; column: number; message: string }[] = [];
  const report = (d: Directive, message: string) =>
    problems.push({ line: d.range.start.line + 1, column: d.range.start.character + 1, message });
  const duration = (name: string): number | undefined => {
    const d = last(request.directives, name);
    if (!d) return undefined;
    const parsed = parseDuration(d.value === true ? '' : d.value);
    if (parsed.ok) return parsed.ms;
    report(d, `@${name}: ${parsed.error}`);
    return undefined;
  };
  const has = (name: string) => request.directives.some((d) => d.name === name);

  const defaultHeaders: [string, string][] = [];
  const defaultHeaderRanges: Range[] = [];
  for (const d of doc.fileDirectives) {
    if (d.name !== 'default-header') continue;
    const text = d.value === true ? '' : d.value;
    const colon = text.indexOf(':');
    if (colon <= 0) {
      report(d, '@default-header needs "Name: value"');
      continue;
    }
    const name = text.slice(0, colon).trim();
    const value = text.slice(colon + 1).trim();
    if (!TOKEN.test(name)) {
      report(d, `@default-header: ${JSON.stringify(name)} is not a header name`);
      continue;
    }
    // Variables are resolved later (Runner.prepare); a literal value is checked here.
    const why = value.includes('{{') ? null : wireHeaderValueProblem(value);
    if (why !== null) {
      report(d, `@default-header ${name}: the value ${why}`);
      continue;
    }
    defaultHeaders.push([name, value]);
    defaultHeaderRanges.push(d.range);
  }

  const own = last(request.directives, 'session');
  const fileWide = last(doc.fileDirectives, 'session');
  const sessionDirective = own ?? fileWide;
  const session =
    sessionDirective && sessionDirective.value !== true && sessionDirective.value.trim()
      ? sessionDirective.value.trim()
      : DEFAULT_SESSION;

  const options: SendOptions = {
    noRedirect: has('no-redirect') || defaults.noRedirect === true,
    noCookieJar: has('no-cookie-jar') || defaults.noCookieJar === true,
    insecure: has('insecure') || defaults.insecure === true,
    timeoutMs: duration('timeout') ?? defaults.timeoutMs,
    connectTimeoutMs: duration('connection-timeout') ?? defaults.connectTimeoutMs,
    maxBodyBytes: defaults.maxBodyBytes,
    defaultHeaders,
    signal: send.signal,
    onSent: send.onSent,
  };
  return { session, options, problems, defaultHeaderRanges };
}
