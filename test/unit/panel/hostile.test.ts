// Hostile responses: whatever a server sends (body, headers, cookies, status
// text, error text) is shown as text. The only tags in the page are the
// renderer's own, the only script is the nonce'd bundle, and no attribute
// runs code or loads anything from outside.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SendResult } from '../../../src/core/session/types';
import { bodyView, type PageCursor } from '../../../src/extension/panel/body';
import { nextPage } from '../../../src/extension/panel/bodyPages';
import { renderResponseHtml } from '../../../src/extension/panel/html';
import { NONCE, RESOURCES, response, result, sent, view } from './fixtures';
import { scanHtml, type Tag } from './tags';

const ATTACKS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<iframe src=javascript:alert(1)></iframe>',
  '<a href="javascript:alert(1)">click</a>',
  '<style>body{display:none}</style>',
  '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
  '<base href="https://evil.example/">',
  '<link rel=stylesheet href=https://evil.example/x.css>',
  '<form action=https://evil.example/><button formaction=javascript:alert(1)>go</button></form>',
  '<svg onload=alert(1)><animate onbegin=alert(1)></svg>',
  '"\'><script>alert(2)</script>',
  '</pre></div></section></main><script>alert(3)</script>',
  '<!-- --><script>alert(4)</script><!--',
  '<![CDATA[ ]]><script>alert(5)</script>',
  '<textarea></textarea><script>alert(6)</script>',
  '<title></title><script>alert(7)</script>',
];
const HOSTILE_HTML = `<!DOCTYPE html><html><body>${ATTACKS.join('\n')}</body></html>`;

// Every tag the renderer itself writes; anything else came from the response.
const OWN_TAGS = new Set(
  'html head meta link style title body main header div h1 h2 h3 p span strong button ul ol li section table caption thead tbody tfoot tr th td pre code figure figcaption img iframe script'.split(
    ' ',
  ),
);

function assertOnlyOwnMarkup(html: string): void {
  const { tags } = scanHtml(html);
  const open = tags.filter((t) => !t.closing);
  for (const tag of open) {
    assert.ok(OWN_TAGS.has(tag.name), `foreign tag <${tag.name}>: ${tag.raw}`);
    for (const [name, value] of tag.attrs) {
      assert.ok(!name.startsWith('on'), `event handler ${name} on <${tag.name}>`);
      assert.notEqual(name, 'style', `style attribute on <${tag.name}>`);
      assert.ok(
        !['formaction', 'action', 'href'].includes(name) || tag.name === 'link',
        `${name} on <${tag.name}>`,
      );
      assert.doesNotMatch(value, /^\s*javascript:/i, `${name}=${value}`);
    }
  }
  const byName = (name: string) => open.filter((t) => t.name === name);
  const scripts = byName('script');
  assert.equal(scripts.length, 1, 'only the bundle script');
  assert.equal(scripts[0]!.attrs.get('nonce'), NONCE);
  assert.equal(scripts[0]!.attrs.get('src'), RESOURCES.asWebviewUri('dist/webview.js'));
  for (const style of byName('style')) assert.equal(style.attrs.get('nonce'), NONCE);
  for (const link of byName('link'))
    assert.ok(link.attrs.get('href')!.startsWith('https://file+.vscode-resource'));
  assert.deepEqual(
    byName('meta').map((m) => m.attrs.get('http-equiv') ?? m.attrs.get('name') ?? 'charset'),
    ['charset', 'Content-Security-Policy', 'viewport'],
  );
  for (const img of byName('img'))
    assert.match(img.attrs.get('src')!, /^data:image\/(png|jpeg|gif|webp);base64,/);
  for (const iframe of byName('iframe')) assertSandboxed(iframe);
}

function assertSandboxed(iframe: Tag): void {
  assert.equal(iframe.attrs.get('sandbox'), '', 'sandbox="" (no scripts, no same-origin)');
  assert.ok(!iframe.attrs.has('src'), 'srcdoc only, no src');
  assert.ok(iframe.attrs.has('srcdoc'));
}

const render = (r: SendResult, input = {}) => renderResponseHtml(view(r, input), RESOURCES, NONCE);

describe('hostile bodies are shown as text', () => {
  for (const [label, contentType] of [
    ['text/html', 'text/html; charset=utf-8'],
    ['application/xml', 'application/xml'],
    ['text/plain', 'text/plain'],
    ['no Content-Type', null],
    ['JSON label, not JSON', 'application/json'],
  ] as const) {
    test(`${label} body`, () => {
      const html = render(result({ response: response(HOSTILE_HTML, contentType) }));
      assertOnlyOwnMarkup(html);
      const { text } = scanHtml(html);
      for (const attack of ATTACKS) assert.ok(text.includes(attack), `shown as text: ${attack}`);
    });
  }

  test('an HTML body is previewed only inside a sandboxed srcdoc iframe, byte for byte', () => {
    const html = render(result({ response: response(HOSTILE_HTML, 'text/html') }));
    const iframes = scanHtml(html).tags.filter((t) => t.name === 'iframe' && !t.closing);
    assert.equal(iframes.length, 1);
    assertSandboxed(iframes[0]!);
    assert.equal(iframes[0]!.attrs.get('srcdoc'), HOSTILE_HTML);
  });

  test('a JSON string that tries to close the script element', () => {
    const body = JSON.stringify({
      x: '</script><script>alert(1)</script>',
      '<img src=x onerror=alert(1)>': 1,
    });
    const html = render(result({ response: response(body) }));
    assertOnlyOwnMarkup(html);
    const { text } = scanHtml(html);
    assert.ok(text.includes('"</script><script>alert(1)</script>"'));
    assert.ok(text.includes('"<img src=x onerror=alert(1)>"'));
  });

  test('XML with markup in attribute values, comments and CDATA, re-indented', () => {
    const body = `<?xml version="1.0"?><a title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" x='"><script>alert(2)</script>'><!--<script>alert(3)</script>--><![CDATA[<script>alert(4)</script>]]></a>`;
    const html = render(result({ response: response(body, 'application/xml') }));
    assertOnlyOwnMarkup(html);
    assert.ok(scanHtml(html).text.includes(`x='"><script>alert(2)</script>'`));
  });

  test('later body pages ("Load more") are escaped the same way', () => {
    const text = `${'plain line\n'.repeat(40)}${HOSTILE_HTML}\n`.repeat(20);
    const r = response(text, 'text/plain');
    const body = bodyView(r, 1024);
    assert.ok(body.kind === 'text' && body.next);
    let cursor: PageCursor | null = body.next;
    let pages = 0;
    while (cursor) {
      const page = nextPage(text, 'text', cursor, false, 1024);
      assert.doesNotMatch(page.html, /<(?!\/?span\b)[a-z!/]/i, 'no tags in a text page');
      cursor = page.next;
      pages++;
    }
    assert.ok(pages > 5);
  });

  test('an image type with markup in the Content-Type is not trusted', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const html = render(result({ response: response(png, 'image/png" onerror="alert(1)') }));
    assertOnlyOwnMarkup(html);
    const img = scanHtml(html).tags.find((t) => t.name === 'img')!;
    assert.match(img.attrs.get('src')!, /^data:image\/png;base64,iVBORw0KGgo/);
  });
});

describe('everything else from the server or the file is escaped too', () => {
  const evil = '"><script>alert(1)</script><img src=x onerror=alert(1)>';

  test('header names and values, status text, cookies, rejected cookies, redirects, errors, warnings', () => {
    const r = result({
      sent: sent({ url: `https://api.example.com/?q=${evil}`, headers: [[`X-${evil}`, evil]], body: evil }),
      response: response('{}', 'application/json', {
        statusText: evil,
        headers: [
          [`X-Evil${evil}`, evil],
          ['Set-Cookie', `sid=${evil}; Path=/`],
        ],
      }),
      cookies: {
        stored: [
          {
            name: evil,
            value: evil,
            domain: evil,
            path: evil,
            expires: evil,
            secure: true,
            httpOnly: true,
            sameSite: 'lax',
            hostOnly: false,
          },
        ],
        rejected: [{ cookie: `${evil}=1`, reason: evil }],
      },
      redirects: [{ status: 302, url: `https://x.example/${evil}` }],
      error: { code: 'NETWORK', message: evil, detail: evil },
      warnings: [evil],
    });
    for (const showSecrets of [false, true]) {
      const html = renderResponseHtml(
        view(
          r,
          { requestName: evil, sessionName: evil, source: { file: `/w/${evil}.http`, line: 3 } },
          { showSecrets },
        ),
        RESOURCES,
        NONCE,
      );
      assertOnlyOwnMarkup(html);
      // A cookie name reaches the page as a data- attribute for revealCookie, decoded intact.
      const reveal = scanHtml(html).tags.find((t) => t.attrs.get('data-action') === 'revealCookie')!;
      assert.equal(reveal.attrs.get('data-name'), evil);
    }
  });

  test('a stack trace in an error message is cut to its first line', () => {
    const r = result({
      response: null,
      error: {
        code: 'NETWORK',
        message: 'socket hang up\n    at Socket.onEnd (node:net:1)\n    at x',
        detail: null,
      },
    });
    const v = view(r);
    assert.deepEqual(v.error, { code: 'NETWORK', message: 'socket hang up' });
    assert.doesNotMatch(renderResponseHtml(v, RESOURCES, NONCE), /at Socket\.onEnd/);
  });
});
