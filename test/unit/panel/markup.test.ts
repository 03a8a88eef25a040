// XML/HTML source view: colouring by token, re-indenting one-line XML.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { needsReindent, renderMarkup } from '../../../src/extension/panel/markup';
import { decodeEntities } from './tags';

const plain = (html: string) => decodeEntities(html.replace(/<[^>]*>/g, ''));

describe('markup source', () => {
  test('one-line XML is re-indented; text-only elements stay on one line', () => {
    const xml =
      '<?xml version="1.0"?><feed><entry id="1"><title>A &amp; B</title><empty/></entry><!-- c --></feed>';
    assert.equal(needsReindent(xml), true);
    assert.equal(
      plain(renderMarkup(xml, { html: false, reindent: true })),
      [
        '<?xml version="1.0"?>',
        '<feed>',
        '  <entry id="1">',
        '    <title>A &amp; B</title>',
        '    <empty/>',
        '  </entry>',
        '  <!-- c -->',
        '</feed>',
      ].join('\n'),
    );
  });

  test('XML that already has line breaks is shown as sent', () => {
    const xml = '<a>\n    <b/>\n</a>';
    assert.equal(needsReindent(xml), false);
    assert.equal(plain(renderMarkup(xml, { html: false, reindent: false })), xml);
  });

  test('tags, attribute names, values and comments get their classes', () => {
    const html = renderMarkup('<a href="x" hidden>t</a><!--c-->', { html: true, reindent: false });
    assert.equal(
      html,
      '<span class="t">&lt;a</span> <span class="a">href</span>=<span class="v">&quot;x&quot;</span> <span class="a">hidden</span><span class="t">&gt;</span>t<span class="t">&lt;/a</span><span class="t">&gt;</span><span class="c">&lt;!--c--&gt;</span>',
    );
  });

  test('HTML script and style content is raw text, not tags', () => {
    const source = '<script>if (a<b && c>d) x("<p>")</script><p>after</p>';
    const html = renderMarkup(source, { html: true, reindent: false });
    assert.equal(plain(html), source);
    assert.ok(html.includes('if (a&lt;b &amp;&amp; c&gt;d) x(&quot;&lt;p&gt;&quot;)'));
    assert.equal(html.match(/class="t">&lt;p</g)?.length, 1, 'only the <p> after the script is a tag');
  });

  test('unterminated comments, tags and quotes run to the end without losing text', () => {
    for (const source of [
      '<a title="x>',
      '<!-- never closed',
      '<![CDATA[ open',
      '<a><b',
      'a < b and c<',
      '<?pi',
    ]) {
      assert.equal(plain(renderMarkup(source, { html: false, reindent: false })), source);
      assert.equal(plain(renderMarkup(source, { html: true, reindent: false })), source);
    }
  });
});
