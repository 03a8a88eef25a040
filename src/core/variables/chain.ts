// `{{login.response.body.$.token}}` and friends: reading a value out of a
// named request's recorded exchange. JSONPath for JSON bodies, XPath for XML,
// `*` for the whole body, header names case-insensitively.
import type * as Xmldom from '@xmldom/xmldom';
import type * as JsonPathPlus from 'jsonpath-plus';
import type * as XPath from 'xpath';
import { headerValues } from '../session/headers';
import type { ChainEntity, ChainPart } from './expression';
import type { ChainedExchange, HeaderPairs, ProblemCode } from './model';

export type ChainValue =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly code: ProblemCode; readonly reason: string };

export interface ChainReference {
  readonly request: string;
  readonly entity: ChainEntity;
  readonly part: ChainPart;
  readonly path: string | null;
}

// Loaded on first use: most sends never query a body, and the editor starts faster without them.
const lazy = {
  jsonPath: () => (require('jsonpath-plus') as typeof JsonPathPlus).JSONPath,
  domParser: () => (require('@xmldom/xmldom') as typeof Xmldom).DOMParser,
  xpath: () => require('xpath') as typeof XPath,
};

const fail = (code: ProblemCode, reason: string): ChainValue => ({ ok: false, code, reason });

export function headerValue(headers: HeaderPairs, name: string): string | undefined {
  const values = headerValues(headers, name);
  return values.length === 0 ? undefined : values.join(', ');
}

export function chainValue(exchange: ChainedExchange, ref: ChainReference): ChainValue {
  const whose = `${ref.request}'s ${ref.entity}`;
  const message = ref.entity === 'request' ? exchange.request : exchange.response;
  if (ref.part === 'headers') {
    if (ref.path === null)
      return fail('bad-syntax', `name the header: {{${ref.request}.${ref.entity}.headers.Name}}`);
    const value = headerValue(message.headers, ref.path.trim());
    return value === undefined
      ? fail('no-match', `${whose} has no ${ref.path.trim()} header`)
      : { ok: true, value };
  }

  const body = message.body;
  if (body === null || body === '') return fail('no-match', `${whose} had no body`);
  const path = ref.path?.trim() ?? '*';
  if (path === '*') return { ok: true, value: body };
  const contentType =
    ref.entity === 'response'
      ? (exchange.response.contentType ?? headerValue(message.headers, 'content-type'))
      : headerValue(message.headers, 'content-type');
  const kind = bodyKind(contentType ?? null, path, body);
  if (kind === 'json') return jsonPathValue(body, path, whose);
  if (kind === 'xml') return xpathValue(body, path, whose);
  return fail(
    'bad-syntax',
    `${whose} body is ${contentType ?? 'untyped'}, neither JSON nor XML: use ${ref.request}.${ref.entity}.body.* for all of it`,
  );
}

function bodyKind(contentType: string | null, path: string, body: string): 'json' | 'xml' | null {
  const mime = contentType?.split(';')[0].trim().toLowerCase() ?? '';
  if (/[/+]json$/.test(mime)) return 'json';
  if (/[/+]xml$/.test(mime)) return 'xml';
  // No telling Content-Type: go by the path's language and what the body looks like.
  const start = body.trimStart()[0];
  if (path.startsWith('$') && (start === '{' || start === '[')) return 'json';
  if (!path.startsWith('$') && start === '<') return 'xml';
  return null;
}

function jsonPathValue(body: string, path: string, whose: string): ChainValue {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (e) {
    return fail('no-match', `${whose} body is not valid JSON (${(e as Error).message})`);
  }
  let matches: unknown[];
  try {
    matches = lazy.jsonPath()({ path, json: json as object, wrap: true, eval: 'safe' }) as unknown[];
  } catch (e) {
    return fail('bad-syntax', `${path} is not a JSONPath expression (${(e as Error).message})`);
  }
  if (!Array.isArray(matches) || matches.length === 0 || matches[0] === undefined) {
    return fail('no-match', `JSONPath ${path} matched nothing in ${whose} body`);
  }
  const first = matches[0];
  return { ok: true, value: typeof first === 'string' ? first : JSON.stringify(first) };
}

function xpathValue(body: string, path: string, whose: string): ChainValue {
  let doc: unknown;
  try {
    const DOMParser = lazy.domParser();
    doc = new DOMParser({
      onError: (level, msg) => {
        if (level !== 'warning') throw new Error(msg);
      },
    }).parseFromString(body, 'text/xml');
  } catch (e) {
    return fail('no-match', `${whose} body is not well-formed XML (${(e as Error).message.split('\n')[0]})`);
  }
  let result: XPath.SelectReturnType;
  try {
    result = lazy.xpath().select(path, doc as Node);
  } catch (e) {
    return fail('bad-syntax', `${path} is not an XPath expression (${(e as Error).message})`);
  }
  if (Array.isArray(result)) {
    if (result.length === 0) return fail('no-match', `XPath ${path} matched nothing in ${whose} body`);
    return { ok: true, value: nodeText(result[0]) };
  }
  if (result === null || result === undefined) {
    return fail('no-match', `XPath ${path} matched nothing in ${whose} body`);
  }
  if (typeof result === 'object') return { ok: true, value: nodeText(result) };
  return { ok: true, value: String(result) };
}

/** Text content of an element, the value of an attribute or text node; a document's root element's text. */
function nodeText(node: Node): string {
  const DOCUMENT_NODE = 9;
  if (node.nodeType === DOCUMENT_NODE) return (node as Document).documentElement?.textContent ?? '';
  return node.textContent ?? node.nodeValue ?? '';
}
