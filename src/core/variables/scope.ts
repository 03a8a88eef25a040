// The resolver: what a `{{...}}` comes to, looking through the sources in
// precedence order — prompt answers, named requests' exchanges, file
// variables, the environment (private env files, public ones, settings) —
// and system variables. File and environment values are templates themselves:
// they are resolved in turn, once per scope, with cycles reported.
//
// One scope serves one resolution (one request, one hover): it memoizes, so a
// file variable that uses `{{$guid}}` keeps one value wherever it is used.
import type { HttpDocument, VariableDefinition } from '../parser';
import { chainValue } from './chain';
import { parseExpression, type VariableExpression } from './expression';
import { variableValueLocator } from './fields';
import { definitionAt, definitionsOf, unescapeFileValue } from './fileVariables';
import { fixedLocator, type Locate } from './locate';
import type {
  EnvironmentEntry,
  Evaluation,
  ProblemCode,
  VariableContext,
  VariableOrigin,
  VariableProblem,
} from './model';
import { requestNameSet } from './requestNames';
import { RESTRICTED_REASON, evaluateSystemVariable, type SystemHost } from './systemVariables';
import { scanTemplate } from './template';

/** Half of a surrogate pair: `encodeURIComponent` throws on it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Prompt names REST Client masks as passwords. */
const PASSWORD_PROMPT = /^(?:password|passwd|pass)$/i;

export interface SubstituteOptions {
  /** Applied to the text between references (unescaping, line endings); values are never touched. */
  readonly literal?: (text: string) => string;
  /** Returns why a value may not go here (e.g. it holds CR/LF), or null. */
  readonly check?: (value: string) => string | null;
}

/** One `{{...}}` met while substituting. */
export interface VariableUse {
  readonly expression: string;
  /** Offsets in the template. */
  readonly start: number;
  readonly end: number;
  readonly evaluation: Evaluation;
}

export interface Substituted {
  readonly text: string;
  readonly problems: VariableProblem[];
  readonly secrets: string[];
  readonly uses: VariableUse[];
}

const fail = (code: ProblemCode, reason: string, nested: readonly VariableProblem[] = []): Evaluation => ({
  ok: false,
  code,
  reason,
  nested,
});

export function problemAt(
  code: ProblemCode,
  message: string,
  variable: string | null,
  range: VariableProblem['range'],
): VariableProblem {
  return { code, message, variable, line: range.start.line + 1, range, via: [] };
}

export class VariableScope {
  private readonly definitions: ReadonlyMap<string, readonly VariableDefinition[]>;
  private readonly requestNames: ReadonlySet<string>;
  private readonly memo = new Map<string, Evaluation>();
  /** Keys of the file and environment variables being resolved, for cycle detection. */
  private readonly stack: { key: string; name: string }[] = [];
  private readonly host: SystemHost;

  constructor(
    document: Pick<HttpDocument, 'variables' | 'requests'>,
    readonly context: VariableContext,
  ) {
    this.definitions = definitionsOf(document.variables);
    this.requestNames = requestNameSet(document.requests);
    this.host = {
      context,
      environmentValue: (name) =>
        this.environmentValue(name, this.context.environment.variables.get(name), -1),
      sharedValue: (name) => this.environmentValue(name, this.context.environment.shared.get(name), -1),
    };
  }

  /** Evaluates one expression as used on `line` (0-based; it picks among repeated file variables). */
  evaluate(expression: VariableExpression, line: number): Evaluation {
    switch (expression.kind) {
      case 'encoded': {
        const inner = this.evaluate(expression.inner, line);
        if (!inner.ok) return inner;
        // A lone surrogate (half an emoji) has no UTF-8 form, so no percent-encoded one either.
        if (LONE_SURROGATE.test(inner.value)) {
          return fail('bad-syntax', 'its value holds a lone UTF-16 surrogate, which cannot be URL-encoded');
        }
        // Logs show the encoded form, so that is what must be masked too.
        const secrets = [
          ...new Set([
            ...inner.secrets,
            ...inner.secrets.filter((s) => !LONE_SURROGATE.test(s)).map(encodeURIComponent),
          ]),
        ];
        return { ...inner, value: encodeURIComponent(inner.value), secrets };
      }
      case 'system':
        return evaluateSystemVariable(expression.name, expression.args, this.host);
      case 'chain': {
        const exchange = this.context.chain?.get(expression.request);
        if (exchange) {
          const v = chainValue(exchange, expression);
          return v.ok
            ? {
                ok: true,
                value: v.value,
                origin: { kind: 'chain', request: expression.request },
                secrets: [],
              }
            : fail(v.code, v.reason);
        }
        if (this.requestNames.has(expression.request)) {
          return fail(
            'unsent-request',
            `request ${expression.request} has not been sent in this session yet`,
          );
        }
        // Not a request of this file: it may be a dotted name (JetBrains nested env values).
        const plain = this.lookup(expression.text, line);
        if (plain.ok || plain.code !== 'undefined') return plain;
        return fail(
          'unknown-request',
          `no request in this file is named ${expression.request} (name one with # @name ${expression.request})`,
        );
      }
      case 'name':
        return this.lookup(expression.name, line);
    }
  }

  /**
   * `substitute` for a template whose every reference resolves and passes `check`: the same text
   * and secrets, without the uses and places kept for reporting. Null as soon as one does not;
   * `substitute` then says why, and where.
   */
  quickSubstitute(
    template: string,
    line: number,
    check?: (value: string) => string | null,
  ): { readonly text: string; readonly secrets: readonly string[] } | null {
    if (template.indexOf('{{') < 0) return { text: template, secrets: NO_SECRETS };
    let text = '';
    const secrets: string[] = [];
    let last = 0;
    for (const span of scanTemplate(template)) {
      const expression = parseExpression(span.inner);
      if (!expression) return null;
      const evaluation = this.evaluate(expression, line);
      if (!evaluation.ok || (check && check(evaluation.value) !== null)) return null;
      text += template.slice(last, span.start) + evaluation.value;
      last = span.end;
      if (evaluation.secrets.length > 0) secrets.push(...evaluation.secrets);
    }
    return { text: text + template.slice(last), secrets };
  }

  /** Replaces every `{{...}}` in `template`; unresolved ones stay as written and become problems. */
  substitute(template: string, locate: Locate, line: number, options: SubstituteOptions = {}): Substituted {
    // Most fields (a method, a header name, a literal value) hold no reference at all.
    if (template.indexOf('{{') < 0) {
      const text = options.literal ? options.literal(template) : template;
      return { text, problems: [], secrets: [], uses: [] };
    }
    const literal = options.literal ?? ((t: string) => t);
    const problems: VariableProblem[] = [];
    const secrets: string[] = [];
    const uses: VariableUse[] = [];
    let text = '';
    let last = 0;
    for (const span of scanTemplate(template)) {
      text += literal(template.slice(last, span.start));
      last = span.end;
      const written = span.inner.trim();
      const range = locate(span.start, span.end);
      const expression = parseExpression(span.inner);
      const evaluation = expression
        ? this.evaluate(expression, line)
        : fail('bad-syntax', 'is not a variable reference');
      uses.push({ expression: written, start: span.start, end: span.end, evaluation });
      if (evaluation.ok) {
        const refused = options.check?.(evaluation.value) ?? null;
        if (refused !== null) {
          problems.push(problemAt('control-character', `{{${written}}}: ${refused}`, written, range));
          text += template.slice(span.start, span.end);
          continue;
        }
        text += evaluation.value;
        secrets.push(...evaluation.secrets);
        continue;
      }
      if (evaluation.nested.length > 0) problems.push(...evaluation.nested);
      else problems.push(problemAt(evaluation.code, `{{${written}}}: ${evaluation.reason}`, written, range));
      text += template.slice(span.start, span.end);
    }
    text += literal(template.slice(last));
    return { text, problems, secrets, uses };
  }

  private lookup(name: string, line: number): Evaluation {
    const prompts = this.context.prompts;
    if (prompts && Object.hasOwn(prompts, name)) {
      const value = prompts[name];
      const secret = PASSWORD_PROMPT.test(name) && value !== '';
      return { ok: true, value, origin: { kind: 'prompt', name }, secrets: secret ? [value] : [] };
    }
    const def = definitionAt(this.definitions.get(name), line);
    if (def) return this.fileVariable(def);
    const entry = this.context.environment.variables.get(name);
    if (entry) return this.environmentValue(name, entry, line);
    return fail('undefined', this.undefinedReason(name));
  }

  private undefinedReason(name: string): string {
    const env = this.context.environment.name;
    const where = env === null ? 'and no environment is selected' : `nor in environment ${env}`;
    const restricted = this.context.trusted ? '' : ` (private environment files are ${RESTRICTED_REASON})`;
    return `${name} is not defined: not a file variable, ${where}${restricted}`;
  }

  private fileVariable(def: VariableDefinition): Evaluation {
    // A value with no `{{...}}` is the same in every scope: it is worked out once per definition.
    if (!def.value.includes('{{')) return literalFileVariable(def);
    const key = `file:${def.range.start.line}`;
    return this.guarded(key, def.name, () => {
      // References inside a definition see the definitions above it (httpYac's redefinitions).
      const sub = this.substitute(def.value, variableValueLocator(def), def.range.start.line - 1, {
        literal: unescapeFileValue,
      });
      const origin: VariableOrigin = { kind: 'file', name: def.name, range: def.range };
      if (sub.problems.length > 0) {
        const nested = sub.problems.map((p) => ({ ...p, via: [def.name, ...p.via] }));
        return fail(nested[0].code, `file variable ${def.name} could not be resolved`, nested);
      }
      return { ok: true, value: sub.text, origin, secrets: sub.secrets };
    });
  }

  private environmentValue(name: string, entry: EnvironmentEntry | undefined, line: number): Evaluation {
    if (!entry) {
      const env = this.context.environment.name;
      return fail(
        'undefined',
        `${name} is not defined in ${env === null ? 'any environment' : `environment ${env}`}`,
      );
    }
    const o = entry.origin;
    return this.guarded(`env:${o.environment}:${name}@${line}`, name, () => {
      // An env value has no place in the document: its problems are told at the place of use.
      const sub = this.substitute(entry.value, fixedLocator(NOWHERE), line);
      const from = `${o.path ?? 'settings'} (${o.environment})`;
      if (sub.problems.length > 0) {
        return fail(
          sub.problems[0].code,
          `${name} from ${from} uses ${sub.problems.map((p) => p.message).join('; ')}`,
        );
      }
      const secrets =
        o.source === 'private-file' && sub.text !== '' ? [...sub.secrets, sub.text] : sub.secrets;
      return { ok: true, value: sub.text, origin: o, secrets };
    });
  }

  /** Memoizes, and stops a variable that (through others) uses itself. */
  private guarded(key: string, name: string, compute: () => Evaluation): Evaluation {
    const known = this.memo.get(key);
    if (known) return known;
    const at = this.stack.findIndex((s) => s.key === key);
    if (at >= 0) {
      const loop = [...this.stack.slice(at).map((s) => s.name), name].join(' → ');
      return fail('cycle', `variables refer to each other in a cycle: ${loop}`);
    }
    this.stack.push({ key, name });
    try {
      const result = compute();
      this.memo.set(key, result);
      return result;
    } finally {
      this.stack.pop();
    }
  }
}

const NO_SECRETS: readonly string[] = [];

const literalValues = new WeakMap<VariableDefinition, Evaluation>();

function literalFileVariable(def: VariableDefinition): Evaluation {
  let evaluation = literalValues.get(def);
  if (!evaluation) {
    const origin: VariableOrigin = { kind: 'file', name: def.name, range: def.range };
    evaluation = { ok: true, value: unescapeFileValue(def.value), origin, secrets: [] };
    literalValues.set(def, evaluation);
  }
  return evaluation;
}

const NOWHERE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
