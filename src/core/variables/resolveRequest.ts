// A parsed request with every `{{...}}` resolved: substitution happens on the
// model (method, URL, each header name and value, body parts, body file
// paths), never on the raw text, so a value can never add a header or split
// a request. Any unresolved or refused variable stops the send with every
// problem listed; nothing is sent with `{{x}}` left in it.
import { dirname } from 'node:path';
import type { HttpDocument, HttpRequest } from '../parser';
import { assembleBody } from './body';
import { headerValue } from './chain';
import { checkHeaderName, checkHeaderValue, checkMethod, checkUrl, TOKEN } from './checks';
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
import { problemAt, VariableScope } from './scope';

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

  const methodField = fields.find((f) => f.kind === 'method')!;
  const method = scope.substitute(methodField.text, methodField.locate, line, { check: checkMethod });
  if (take(method) && !TOKEN.test(method.text)) {
    const range = methodField.locate(0, methodField.text.length);
    problems.push(
      problemAt('invalid-method', `${JSON.stringify(method.text)} is not a method name`, null, range),
    );
  }

  const urlField = fields.find((f) => f.kind === 'url')!;
  const url = scope.substitute(urlField.text, urlField.locate, line, { check: checkUrl });
  const urlResolved = take(url);

  const headers: [string, string][] = [];
  for (let i = 0; i < request.headers.length; i++) {
    const nameField = fields.find((f) => f.kind === 'header-name' && f.index === i)!;
    const valueField = fields.find((f) => f.kind === 'header-value' && f.index === i)!;
    const name = scope.substitute(nameField.text, nameField.locate, line, { check: checkHeaderName });
    const value = scope.substitute(valueField.text, valueField.locate, line, { check: checkHeaderValue });
    if (take(name) && !TOKEN.test(name.text)) {
      const range = nameField.locate(0, nameField.text.length);
      problems.push(
        problemAt('invalid-header-name', `${JSON.stringify(name.text)} is not a header name`, null, range),
      );
    }
    take(value);
    headers.push([name.text, value.text]);
  }

  let absolute: string | null = null;
  if (urlResolved) {
    const built = absoluteUrl(url.text, headers);
    if (built.ok) absolute = built.url;
    else
      problems.push(problemAt('invalid-url', built.reason, null, urlField.locate(0, urlField.text.length)));
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
      secrets: [...new Set(secrets)].filter((s) => s !== ''),
      directives: request.directives,
    },
  };
}
