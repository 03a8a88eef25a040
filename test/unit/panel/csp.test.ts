// The page's Content-Security-Policy: nothing allowed by default, our own
// script and styles by nonce only, a fresh random nonce per render.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { contentSecurityPolicy, renderResponseHtml } from '../../../src/extension/panel/html';
import { createNonce } from '../../../src/extension/panel/nonce';
import { NONCE, RESOURCES, response, result, view } from './fixtures';
import { scanHtml } from './tags';

function policyOf(html: string): Map<string, string[]> {
  const metas = scanHtml(html).tags.filter(
    (t) => t.name === 'meta' && t.attrs.get('http-equiv')?.toLowerCase() === 'content-security-policy',
  );
  assert.equal(metas.length, 1, 'exactly one CSP meta tag');
  const directives = new Map<string, string[]>();
  for (const part of metas[0]!.attrs.get('content')!.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name, sources);
  }
  return directives;
}

const render = (nonce = NONCE) => renderResponseHtml(view(result()), RESOURCES, nonce);

describe('content security policy', () => {
  test('default-src none plus only what the page needs', () => {
    const csp = policyOf(render());
    assert.deepEqual(Object.fromEntries(csp), {
      'default-src': ["'none'"],
      'style-src': [RESOURCES.cspSource, `'nonce-${NONCE}'`],
      'font-src': [RESOURCES.cspSource],
      'img-src': [RESOURCES.cspSource, 'data:'],
      'script-src': [`'nonce-${NONCE}'`],
    });
  });

  test('the policy string itself is what the renderer embeds', () => {
    assert.equal(
      contentSecurityPolicy('vscode-resource:', 'abc'),
      "default-src 'none'; style-src vscode-resource: 'nonce-abc'; font-src vscode-resource:; img-src vscode-resource: data:; script-src 'nonce-abc'",
    );
  });

  test('no unsafe-inline, unsafe-eval, unsafe-hashes or wildcard sources', () => {
    const html = render();
    assert.doesNotMatch(html, /unsafe-(inline|eval|hashes)|strict-dynamic/);
    for (const [, sources] of policyOf(html)) {
      assert.ok(!sources.includes('*') && !sources.includes('https:') && !sources.includes('http:'));
    }
  });

  test('every script, style and stylesheet carries the policy nonce', () => {
    const html = render();
    const nonce = /'nonce-([^']+)'/.exec(policyOf(html).get('script-src')!.join(' '))![1];
    const tags = scanHtml(html).tags.filter(
      (t) =>
        !t.closing &&
        (t.name === 'script' ||
          t.name === 'style' ||
          (t.name === 'link' && t.attrs.get('rel') === 'stylesheet')),
    );
    assert.deepEqual(
      tags.map((t) => t.name),
      ['link', 'link', 'style', 'script'],
    );
    for (const tag of tags) assert.equal(tag.attrs.get('nonce'), nonce, tag.raw);
  });

  test('the only script is the bundle, loaded from the extension, with no inline code', () => {
    const html = render();
    const scripts = scanHtml(html).tags.filter((t) => t.name === 'script' && !t.closing);
    assert.equal(scripts.length, 1);
    assert.equal(scripts[0]!.attrs.get('src'), RESOURCES.asWebviewUri('dist/webview.js'));
    assert.match(html, /<script [^>]*><\/script>/);
  });

  test('styles and codicons load through asWebviewUri', () => {
    const links = scanHtml(render()).tags.filter((t) => t.name === 'link');
    assert.deepEqual(
      links.map((l) => l.attrs.get('href')),
      [RESOURCES.asWebviewUri('dist/codicons/codicon.css'), RESOURCES.asWebviewUri('dist/webview.css')],
    );
  });

  test('no inline event handlers or style attributes anywhere (the policy would block them)', () => {
    const html = renderResponseHtml(
      view(result({ response: response('<p onclick="x()" style="color:red">hi</p>', 'text/html') })),
      RESOURCES,
      NONCE,
    );
    for (const tag of scanHtml(html).tags) {
      for (const name of tag.attrs.keys()) {
        assert.ok(!name.startsWith('on'), `${name} on <${tag.name}>`);
        assert.notEqual(name, 'style', `style attribute on <${tag.name}>`);
      }
    }
  });

  test('the nonce differs between two renders and carries at least 128 bits', () => {
    const a = createNonce();
    const b = createNonce();
    assert.notEqual(a, b);
    for (const nonce of [a, b]) {
      assert.match(nonce, /^[A-Za-z0-9+/]+={0,2}$/);
      assert.ok(Buffer.from(nonce, 'base64').length >= 16);
    }
    const first = policyOf(render(a)).get('script-src')!;
    const second = policyOf(render(b)).get('script-src')!;
    assert.notDeepEqual(first, second);
  });

  test('refuses a nonce too short to be unguessable or one that could break out of the attribute', () => {
    assert.throws(() => render('abc'));
    assert.throws(() => render(`${NONCE}" onload="x`));
  });
});
