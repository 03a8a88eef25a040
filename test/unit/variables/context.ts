// Shared pieces for the variables tests: a fixed clock and random source, an
// in-memory file system, and a context built from settings-shaped environments.
import { posix } from 'node:path';
import { type HttpDocument, type HttpRequest, parseHttp, splitLines } from '../../../src/core/parser';
import {
  buildEnvironment,
  type EnvironmentSet,
  type ResolvedRequest,
  type ResolveFailure,
  resolveRequest,
  type VariableContext,
  type VariableFileSystem,
} from '../../../src/core/variables';

/** 2024-02-29T13:45:30.123Z: a leap day, so year and month offsets show their calendar arithmetic. */
export const NOW = Date.UTC(2024, 1, 29, 13, 45, 30, 123);

/** Cycles through `values`; the default 0.5 gives mid-range numbers. */
export function sequence(...values: number[]): () => number {
  let i = 0;
  const list = values.length > 0 ? values : [0.5];
  return () => list[i++ % list.length];
}

export function testContext(
  overrides: Partial<VariableContext> & { settings?: EnvironmentSet; env?: string | null } = {},
): VariableContext {
  const { settings, env, ...rest } = overrides;
  return {
    environment: buildEnvironment([], settings, env ?? null),
    trusted: true,
    now: () => NOW,
    random: sequence(0.5),
    ...rest,
  };
}

export function memoryFs(
  files: Record<string, string | Uint8Array>,
): VariableFileSystem & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    async readFile(path) {
      reads.push(path);
      const f = files[posix.normalize(path)];
      return typeof f === 'string' ? new TextEncoder().encode(f) : f;
    },
  };
}

export interface Resolved {
  document: HttpDocument;
  request: HttpRequest;
  result: Awaited<ReturnType<typeof resolveRequest>>;
}

/** Parses `text` and resolves its request number `index` (default: the last one). */
export async function resolveText(
  text: string,
  context: VariableContext = testContext(),
  options: { index?: number; fs?: VariableFileSystem; httpFile?: string | null } = {},
): Promise<Resolved> {
  const document = parseHttp(text);
  const request = document.requests[options.index ?? document.requests.length - 1];
  const result = await resolveRequest(
    {
      document,
      request,
      httpFile: options.httpFile === undefined ? '/w/req.http' : options.httpFile,
      lines: splitLines(text),
    },
    context,
    options.fs ?? memoryFs({}),
  );
  return { document, request, result };
}

export function expectOk(r: Resolved): ResolvedRequest {
  if (!r.result.ok) throw new Error(`expected success, got:\n${r.result.error.message}`);
  return r.result.value;
}

export function expectFailure(r: Resolved): ResolveFailure {
  if (r.result.ok) throw new Error(`expected failure, got ${JSON.stringify(r.result.value)}`);
  return r.result.error;
}

/** Resolves `{{expression}}` in a one-request document's header value and returns the value or the problem. */
export async function resolveValue(
  expression: string,
  context: VariableContext = testContext(),
  preamble = '',
): Promise<string> {
  const r = await resolveText(`${preamble}\nGET http://x.test/\nX-V: {{${expression}}}\n`, context);
  if (!r.result.ok) return `ERROR ${r.result.error.problems.map((p) => p.message).join(' | ')}`;
  return r.result.value.headers[0][1];
}
