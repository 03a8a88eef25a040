// A parsed request with every `{{...}}` resolved: substitution happens on the
// model (method, URL, each header name and value, body parts, body file
// paths), never on the raw text, so a value can never add a header or split
// a request. Any unresolved or refused variable stops the send with every
// problem listed; nothing is sent with `{{x}}` left in it.
import { dirname } from 'node:path';
import { maskSecrets } from '../mask';
import type { HttpDocument, HttpRequest } from '../parser';
import { assembleBody } from './body';
import { headerValue } from './chain';
import {
  checkHeaderName,
  checkHeaderValue,
  checkMethod,
  checkUrl,
  TOKEN,
  wireHeaderValueProblem,
} from './checks';
import { requestFields } from './fields';
import type {
  ResolvedRequest,
  ResolveFailure,
  Result,
  VariableContext,
  VariableFileSystem,
  VariableProblem,
} from './model';
import { failure } from './problems';
import { absoluteUrl } from './requestUrl';
import { problemAt, type Substituted, VariableScope } from './scope';

/** ` (built from {{a}}, {{b}})` when variables made the text, so an error names them. */
function builtFrom(sub: Substituted): string {
  if (sub.uses.length === 0) return '';
  return ` (built from ${[...new Set(sub.uses.map((u) => `{{${u.expression}}}`))].join(', ')})`;
}

/** The variable to blame when exactly one made the text. */
function soleVariable(sub: Substituted): string | null {
  return sub.uses.length === 1 ? sub.uses[0].expression : null;
}

export interface RequestToResolve {
  readonly document: HttpDocument;
  readonly request: HttpRequest;
  /** Absolute path of the `.http` file: relative body files are read from its folder. Null when unsaved. */
  readonly httpFile: string | null;
  /** The document's lines: with them, problems on continued URLs and in curl commands are placed exactly. */
  readonly lines?: readonly string[];
}

export async function resolveRequest(
  input: RequestToResolve,
  context: VariableContext,
  fs: VariableFileSystem,
): Promise<Result<ResolvedRequest, ResolveFailure>> {
  const quick = resolveQuickly(input, context);
  if (quick !== null) return { ok: true, value: quick };
  return resolveFully(input, context, fs);
}

/**
 * The request without a body whose every reference resolves and every value passes its checks —
 * most requests, most of the time — resolved without keeping the fields' places and the uses of
 * each variable, which only a problem needs. The same result as `resolveFully` (a property test
 * holds them to it); null for anything else, which `resolveFully` then reads, and explains.
 */
export function resolveQuickly(input: RequestToResolve, context: VariableContext): ResolvedRequest | null {
  const { request } = input;
  if (request.body !== null || request.fromCurl) return null;
  const scope = new VariableScope(input.document, context);
  const line = request.ranges.requestLine.start.line;
  const method = scope.quickSubstitute(request.method, line, checkMethod);
  if (method === null || !TOKEN.test(method.text)) return null;
  const url = scope.quickSubstitute(request.url, line, checkUrl);
  if (url === null) return null;
  const secrets = [...method.secrets, ...url.secrets];
  const headers: [string, string][] = [];
  let hosts = 0;
  for (const header of request.headers) {
    const name = scope.quickSubstitute(header.name, line, checkHeaderName);
    if (name === null || !TOKEN.test(name.text)) return null;
    if (name.text.toLowerCase() === 'host' && ++hosts === 2) return null;
    const value = scope.quickSubstitute(header.value, line, checkHeaderValue);
    if (value === null || wireHeaderValueProblem(value.text) !== null) return null;
    secrets.push(...name.secrets, ...value.secrets);
    headers.push([name.text, value.text]);
  }
  const absolute = absoluteUrl(url.text, headers);
  if (!absolute.ok) return null;
  return {
    name: request.name,
    method: method.text,
    url: absolute.url,
    httpVersion: request.httpVersion,
    headers,
    body: null,
    secrets: secrets.length === 0 ? secrets : [...new Set(secrets)].filter((s) => s !== ''),
    directives: request.directives,
  };
}

/** Every field substituted with its place kept, so that each problem is reported where it is. */
export async function resolveFully(
  input: RequestToResolve,
  context: VariableContext,
  fs: VariableFileSystem,
): Promise<Result<ResolvedRequest, ResolveFailure>> {
  const { request } = input;
  const scope = new VariableScope(input.document, context);
  const line = request.ranges.requestLine.start.line;
  const fields = requestFields(request, input.lines);
  const problems: VariableProblem[] = [];
  const secrets: string[] = [];
  const take = (sub: { problems: VariableProblem[]; secrets: string[] }) => {
    problems.push(...sub.problems);
    secrets.push(...sub.secrets);
    return sub.problems.length === 0;
  };

  // Messages below quote substituted text: secret values in it are masked.
  const quote = (text: string) => JSON.stringify(maskSecrets(text, secrets));

  const methodField = fields.find((f) => f.kind === 'method')!;
  const method = scope.substitute(methodField.text, methodField.locate, line, { check: checkMethod });
  if (take(method) && !TOKEN.test(method.text)) {
    const range = methodField.locate(0, methodField.text.length);
    problems.push(
      problemAt(
        'invalid-method',
        `${quote(method.text)} is not a method name${builtFrom(method)}`,
        soleVariable(method),
        range,
      ),
    );
  }

  const urlField = fields.find((f) => f.kind === 'url')!;
  const url = scope.substitute(urlField.text, urlField.locate, line, { check: checkUrl });
  const urlResolved = take(url);

  const headers: [string, string][] = [];
  const hostLines: number[] = [];
  for (let i = 0; i < request.headers.length; i++) {
    const nameField = fields.find((f) => f.kind === 'header-name' && f.index === i)!;
    const valueField = fields.find((f) => f.kind === 'header-value' && f.index === i)!;
    const name = scope.substitute(nameField.text, nameField.locate, line, { check: checkHeaderName });
    const value = scope.substitute(valueField.text, valueField.locate, line, { check: checkHeaderValue });
    const nameRange = nameField.locate(0, nameField.text.length);
    if (take(name)) {
      if (!TOKEN.test(name.text)) {
        problems.push(
          problemAt(
            'invalid-header-name',
            `${quote(name.text)} is not a header name${builtFrom(name)}`,
            soleVariable(name),
            nameRange,
          ),
        );
      } else if (name.text.toLowerCase() === 'host') {
        hostLines.push(nameRange.start.line + 1);
        // Two Hosts would each name a different server: undici refuses the request, so say where.
        if (hostLines.length === 2) {
          problems.push(
            problemAt(
              'duplicate-header',
              `Host is written twice (lines ${hostLines[0]} and ${hostLines[1]}); a request has one Host`,
              null,
              nameRange,
            ),
          );
        }
      }
    }
    if (take(value)) {
      const why = wireHeaderValueProblem(value.text);
      if (why !== null) {
        problems.push(
          problemAt(
            'invalid-header-value',
            `${maskSecrets(name.text, secrets)}: the value ${why}${builtFrom(value)}`,
            soleVariable(value),
            valueField.locate(0, valueField.text.length),
          ),
        );
      }
    }
    headers.push([name.text, value.text]);
  }

  let absolute: string | null = null;
  // With two Hosts the origin-form URL has no one host to take: that problem is already told.
  if (urlResolved && hostLines.length < 2) {
    const built = absoluteUrl(url.text, headers);
    if (built.ok) absolute = built.url;
    else
      problems.push(
        problemAt(
          'invalid-url',
          `${maskSecrets(built.reason, secrets)}${builtFrom(url)}`,
          soleVariable(url),
          urlField.locate(0, urlField.text.length),
        ),
      );
  }

  const baseDir = input.httpFile === null ? null : dirname(input.httpFile);
  const body = await assembleBody(
    request,
    fields,
    headerValue(headers, 'content-type') ?? null,
    scope,
    line,
    baseDir,
    fs,
  );
  take(body);

  if (problems.length > 0 || absolute === null) {
    const label = request.name ? `request ${request.name}` : `the request on line ${line + 1}`;
    return { ok: false, error: failure(`Cannot send ${label}:`, problems) };
  }
  return {
    ok: true,
    value: {
      name: request.name,
      method: method.text,
      url: absolute,
      httpVersion: request.httpVersion,
      headers,
      body: body.body,
      secrets: secrets.length === 0 ? secrets : [...new Set(secrets)].filter((s) => s !== ''),
      directives: request.directives,
    },
  };
}
