// Loads syntaxes/http.tmLanguage.json with the same engine VS Code uses
// (vscode-textmate + Oniguruma) and reports the scopes of a document's tokens.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

export const grammarPath = path.resolve('syntaxes/http.tmLanguage.json');

export interface Token {
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly scopes: readonly string[];
}

// Stand-ins for VS Code's built-in JSON, XML and JavaScript grammars, which are
// not installed here. vscode-textmate drops a begin/end rule whose only pattern
// includes a missing grammar, so without them the embedded regions would vanish.
const stubGrammars: Record<string, vsctm.IRawGrammar> = {
  'source.json': stub('source.json', 'json', [
    { begin: '\\{', end: '\\}', name: 'meta.structure.dictionary.json', patterns: [{ include: '$self' }] },
    { begin: '\\[', end: '\\]', name: 'meta.structure.array.json', patterns: [{ include: '$self' }] },
    { begin: '"', end: '"', name: 'string.quoted.double.json' },
    { match: '-?\\d+(?:\\.\\d+)?', name: 'constant.numeric.json' },
  ]),
  'text.xml': stub('text.xml', 'xml', [
    {
      begin: '</?[\\w:.-]+',
      end: '/?>',
      name: 'meta.tag.xml',
      patterns: [{ begin: '"', end: '"', name: 'string.quoted.double.xml' }],
    },
  ]),
  'source.js': stub('source.js', 'js', [
    { begin: '\\{', end: '\\}', name: 'meta.block.js', patterns: [{ include: '$self' }] },
    { begin: '"', end: '"', name: 'string.quoted.double.js' },
  ]),
};

function stub(scopeName: string, ext: string, patterns: unknown[]): vsctm.IRawGrammar {
  return vsctm.parseRawGrammar(JSON.stringify({ scopeName, patterns }), `stub.${ext}.json`);
}

let grammarPromise: Promise<vsctm.IGrammar> | undefined;

export function loadHttpGrammar(): Promise<vsctm.IGrammar> {
  grammarPromise ??= (async () => {
    await oniguruma.loadWASM(readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')));
    const registry = new vsctm.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns) => oniguruma.createOnigScanner(patterns),
        createOnigString: (text) => oniguruma.createOnigString(text),
      }),
      loadGrammar: async (scopeName) =>
        scopeName === 'source.http'
          ? vsctm.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath)
          : (stubGrammars[scopeName] ?? null),
    });
    const grammar = await registry.loadGrammar('source.http');
    if (!grammar) throw new Error('source.http did not load');
    return grammar;
  })();
  return grammarPromise;
}

/** Tokenizes line by line, carrying the rule stack over as the editor does. */
export function tokenize(grammar: vsctm.IGrammar, lines: readonly string[]): Token[] {
  const tokens: Token[] = [];
  let state = vsctm.INITIAL;
  lines.forEach((text, line) => {
    const result = grammar.tokenizeLine(text, state);
    state = result.ruleStack;
    for (const t of result.tokens) {
      tokens.push({
        line,
        start: t.startIndex,
        end: t.endIndex,
        text: text.slice(t.startIndex, t.endIndex),
        scopes: t.scopes,
      });
    }
  });
  return tokens;
}

/** The tokens covering the `nth` occurrence (0-based, counted over the whole document) of `needle`. */
export function tokensAt(
  lines: readonly string[],
  tokens: readonly Token[],
  needle: string,
  nth = 0,
): Token[] {
  let seen = 0;
  for (let line = 0; line < lines.length; line++) {
    for (let at = lines[line].indexOf(needle); at !== -1; at = lines[line].indexOf(needle, at + 1)) {
      if (seen++ < nth) continue;
      const end = at + needle.length;
      return tokens.filter((t) => t.line === line && t.start < end && t.end > at);
    }
  }
  throw new Error(`${JSON.stringify(needle)} (occurrence ${nth}) is not in the document`);
}

export function describeTokens(tokens: readonly Token[]): string {
  return tokens.map((t) => `  ${JSON.stringify(t.text)}: ${t.scopes.join(' ')}`).join('\n');
}
