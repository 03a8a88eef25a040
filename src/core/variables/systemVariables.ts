// `{{$...}}` variables, under both dialects' names. The clock, randomness and
// the OS environment come from the context, so each is fixed in tests.
import { formatDate, parseDatetimeArgs, parseOffset, unixSeconds } from './dates';
import type { Evaluation, ProblemCode, VariableContext } from './model';
import {
  ALPHABETIC,
  ALPHANUMERIC,
  HEXADECIMAL,
  randomEmail,
  randomInteger,
  randomString,
  uuidV4,
} from './randomValues';

/** What a system variable may ask of the rest of the resolver. */
export interface SystemHost {
  readonly context: VariableContext;
  /** A variable of the selected environment, for `$processEnv %NAME` / `$dotenv %NAME`. */
  environmentValue(name: string): Evaluation;
  /** A `$shared` variable, for `{{$shared name}}`. */
  sharedValue(name: string): Evaluation;
}

export interface SystemVariableInfo {
  readonly name: string;
  /** How it is written with its arguments, for completion. */
  readonly usage: string;
  readonly description: string;
}

export const SYSTEM_VARIABLES: readonly SystemVariableInfo[] = [
  { name: '$guid', usage: '$guid', description: 'A random UUID (version 4).' },
  { name: '$uuid', usage: '$uuid', description: 'A random UUID (version 4).' },
  { name: '$random.uuid', usage: '$random.uuid', description: 'A random UUID (version 4).' },
  {
    name: '$timestamp',
    usage: '$timestamp [offset unit]',
    description: 'Unix time in seconds, e.g. `$timestamp -1 d`; units y Q M w d h m s ms.',
  },
  { name: '$isoTimestamp', usage: '$isoTimestamp', description: 'The current time in ISO 8601, UTC.' },
  {
    name: '$datetime',
    usage: '$datetime rfc1123|iso8601|"format" [offset unit]',
    description: 'The current UTC time: RFC 1123, ISO 8601 or a dayjs format.',
  },
  {
    name: '$localDatetime',
    usage: '$localDatetime rfc1123|iso8601|"format" [offset unit]',
    description: 'The current local time: RFC 1123, ISO 8601 or a dayjs format.',
  },
  {
    name: '$randomInt',
    usage: '$randomInt [min max]',
    description: 'A random integer from min (included) to max (excluded); 0 to 1000 without arguments.',
  },
  {
    name: '$random.integer',
    usage: '$random.integer(from, to)',
    description: 'A random integer from `from` (included) to `to` (excluded).',
  },
  {
    name: '$random.float',
    usage: '$random.float(from, to)',
    description: 'A random number from `from` (included) to `to` (excluded).',
  },
  { name: '$random.alphabetic', usage: '$random.alphabetic(length)', description: 'Random letters.' },
  {
    name: '$random.alphanumeric',
    usage: '$random.alphanumeric(length)',
    description: 'Random letters, digits and underscores.',
  },
  { name: '$random.hexadecimal', usage: '$random.hexadecimal(length)', description: 'Random hex digits.' },
  { name: '$random.email', usage: '$random.email', description: 'A random address at example.com.' },
  {
    name: '$processEnv',
    usage: '$processEnv [%]NAME',
    description: 'An OS environment variable; with %, NAME is an environment variable naming it.',
  },
  {
    name: '$dotenv',
    usage: '$dotenv [%]NAME',
    description: 'A value from the nearest .env file; with %, NAME is an environment variable naming it.',
  },
  { name: '$shared', usage: '$shared name', description: 'A variable of the `$shared` environment.' },
];

const KNOWN: ReadonlySet<string> = new Set(SYSTEM_VARIABLES.map((v) => v.name));

export const RESTRICTED_REASON = 'not read in Restricted Mode';

const fail = (code: ProblemCode, reason: string): Evaluation => ({ ok: false, code, reason, nested: [] });

const INT = String.raw`-?\d+`;
const NUM = String.raw`-?(?:\d+\.?\d*|\.\d+)`;
const RANDOM_INT = new RegExp(`^(?:(${INT})\\s+(${INT}))?$`);
const PAIR_INT = new RegExp(`^(?:\\(\\s*(?:(${INT})\\s*,\\s*(${INT}))?\\s*\\))?$`);
const PAIR_NUM = new RegExp(`^(?:\\(\\s*(?:(${NUM})\\s*,\\s*(${NUM}))?\\s*\\))?$`);
const LENGTH = /^\(\s*(\d+)\s*\)$/;
const ENV_NAME = /^(%)?\s*([A-Za-z_][\w.-]*)$/;
const MAX_LENGTH = 100_000;

export function evaluateSystemVariable(name: string, args: string, host: SystemHost): Evaluation {
  const ctx = host.context;
  const ok = (value: string, secret = false): Evaluation => ({
    ok: true,
    value,
    origin: { kind: 'system', name },
    secrets: secret && value !== '' ? [value] : [],
  });
  const usage = () =>
    fail('bad-syntax', `write it as {{${SYSTEM_VARIABLES.find((v) => v.name === name)?.usage}}}`);

  switch (name) {
    case '$guid':
    case '$uuid':
    case '$random.uuid':
      return ok(uuidV4(ctx.random));
    case '$timestamp': {
      const offset = parseOffset(args);
      return offset === null ? usage() : ok(String(unixSeconds(ctx.now(), offset)));
    }
    case '$isoTimestamp': {
      const offset = parseOffset(args);
      return offset === null ? usage() : ok(formatDate(ctx.now(), 'iso8601', offset, false));
    }
    case '$datetime':
    case '$localDatetime': {
      const parsed = parseDatetimeArgs(args);
      if (!parsed) return usage();
      try {
        return ok(formatDate(ctx.now(), parsed.format, parsed.offset, name === '$localDatetime'));
      } catch (e) {
        // A dayjs token that needs a plugin this build lacks (`z`: time zone names) throws.
        return fail('bad-syntax', `${name}: the format cannot be used here (${(e as Error).message})`);
      }
    }
    case '$randomInt':
    case '$random.integer': {
      const m = (name === '$randomInt' ? RANDOM_INT : PAIR_INT).exec(args);
      if (!m) return usage();
      const [min, max] = m[1] === undefined ? [0, 1000] : [Number(m[1]), Number(m[2])];
      if (!(min < max)) return fail('bad-syntax', `${name}: ${min} is not below ${max}`);
      return ok(String(randomInteger(ctx.random, min, max)));
    }
    case '$random.float': {
      const m = PAIR_NUM.exec(args);
      if (!m) return usage();
      const [min, max] = m[1] === undefined ? [0, 1000] : [Number(m[1]), Number(m[2])];
      if (!(min < max)) return fail('bad-syntax', `${name}: ${min} is not below ${max}`);
      return ok(String(ctx.random() * (max - min) + min));
    }
    case '$random.alphabetic':
    case '$random.alphanumeric':
    case '$random.hexadecimal': {
      const m = LENGTH.exec(args);
      if (!m || Number(m[1]) > MAX_LENGTH) return usage();
      const alphabet =
        name === '$random.alphabetic'
          ? ALPHABETIC
          : name === '$random.alphanumeric'
            ? ALPHANUMERIC
            : HEXADECIMAL;
      return ok(randomString(ctx.random, alphabet, Number(m[1])));
    }
    case '$random.email':
      return ok(randomEmail(ctx.random));
    case '$processEnv':
    case '$dotenv': {
      const m = ENV_NAME.exec(args);
      if (!m) return usage();
      if (!ctx.trusted) return fail('restricted', `${name} is ${RESTRICTED_REASON}`);
      let key = m[2];
      let via = '';
      if (m[1]) {
        const indirect = host.environmentValue(key);
        if (!indirect.ok) {
          return fail(
            indirect.code,
            `${name} %${key}: ${key} names the variable to read, but ${indirect.reason}`,
          );
        }
        via = ` (named by ${key})`;
        key = indirect.value;
      }
      if (name === '$processEnv') {
        const value = ctx.processEnv?.[key];
        if (value === undefined) return fail('undefined', `OS environment variable ${key}${via} is not set`);
        return { ok: true, value, origin: { kind: 'process-env', name: key }, secrets: value ? [value] : [] };
      }
      const files = ctx.dotenv ?? [];
      if (files.length === 0) return fail('undefined', `no .env file next to the .http file or above it`);
      for (const f of files) {
        const value = f.values[key];
        if (value !== undefined) {
          return {
            ok: true,
            value,
            origin: { kind: 'dotenv', name: key, path: f.path },
            secrets: value ? [value] : [],
          };
        }
      }
      return fail('undefined', `${key}${via} is not in ${files.map((f) => f.path).join(' or ')}`);
    }
    case '$shared': {
      const key = args.trim();
      if (!key) return usage();
      return host.sharedValue(key);
    }
    default:
      return fail(
        'undefined',
        KNOWN.has(name) ? `${name} cannot be used here` : `${name} is not a system variable`,
      );
  }
}
