// Random `.http` text for the property tests: lines drawn from fragments of
// every syntax rule, random strings, and strings of the characters the rules
// turn on, joined with LF or CRLF.
import fc from 'fast-check';

export const FRAGMENTS = [
  '###',
  '### named',
  '#',
  '# @name a',
  '// @no-redirect',
  '# @timeout 2s',
  '@host = x.org',
  '@',
  'GET https://{{host}}/a',
  'POST /login HTTP/1.1',
  'https://x.org',
  'curl -X POST https://x.org -d a=1 \\',
  '  -H "A: b"',
  '    ?q=1',
  '&r=2',
  'Accept: */*',
  'Host: x.org',
  'Content-Type: application/json',
  '',
  '',
  '{"a": {{value}}}',
  '< ./file.json',
  '<@ ./t.json',
  '> {%',
  '%}',
  '> {% client.log(1) %}',
  '>> out.json',
  '>>! out.json',
  '< {%',
  '< {% x %}',
  '  indented',
  '\t',
  'GET',
];

const line = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...FRAGMENTS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  {
    weight: 1,
    arbitrary: fc.string({
      unit: fc.constantFrom(
        '#',
        '@',
        '{',
        '}',
        '%',
        '<',
        '>',
        ':',
        ' ',
        '/',
        '?',
        '&',
        '\\',
        '"',
        "'",
        'a',
        '\r',
      ),
      maxLength: 12,
    }),
  },
);
export const documentText = fc
  .tuple(fc.array(line, { maxLength: 40 }), fc.constantFrom('\n', '\r\n'))
  .map(([lines, eol]) => lines.join(eol));
