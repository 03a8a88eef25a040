// The response panel's page: a pure function of the view model, the webview's
// resource provider and a nonce (the markdown preview's pattern), so the page
// and its CSP are built and tested without a webview.
//
// Rules: every string from the view goes through `esc`; the only script is
// our own bundle, loaded with the nonce; no inline handlers or inline styles
// (the CSP forbids both), so the waterfall's geometry is a nonce'd <style>
// built from numbers only; the body never becomes part of the page's own
// markup (the HTML preview lives in a sandboxed srcdoc iframe).
import type { BodyView, TextBodyView } from './body';
import { firstPageHtml } from './bodyPages';
import { escapeHtml as esc } from './escape';
import { formatBytes, formatCount } from './format';
import type { WebviewMessageType } from './messages';
import type { HeaderView, HopView, RequestView, ResponseView } from './viewModel';
import type { TimingView } from './waterfall';

/** What the page needs from the webview (markdown-language-features' WebviewResourceProvider). */
export interface WebviewResources {
  /** A path inside the extension (`dist/webview.js`) as a URI the webview may load. */
  asWebviewUri(path: string): string;
  readonly cspSource: string;
}

export const SCRIPT_PATH = 'dist/webview.js';
export const STYLE_PATH = 'dist/webview.css';
export const CODICON_PATH = 'dist/codicons/codicon.css';

export type TabId = 'body' | 'headers' | 'request' | 'cookies' | 'timing';

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function renderResponseHtml(view: ResponseView, resources: WebviewResources, nonce: string): string {
  if (!/^[A-Za-z0-9+/_=-]{16,}$/.test(nonce)) {
    throw new Error('renderResponseHtml: the nonce must be at least 16 base64 characters');
  }
  const uri = (path: string) => esc(resources.asWebviewUri(path));
  const n = esc(nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(contentSecurityPolicy(resources.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" nonce="${n}" href="${uri(CODICON_PATH)}">
<link rel="stylesheet" nonce="${n}" href="${uri(STYLE_PATH)}">
<style nonce="${n}">${waterfallStyles(view)}</style>
<script nonce="${n}" src="${uri(SCRIPT_PATH)}" async></script>
<title>${esc(view.title)}</title>
</head>
<body data-kind="${view.body.kind}">
<main>
${header(view)}
${banners(view)}
${tabs(view)}
</main>
</body>
</html>
`;
}

// ---- header ----

function icon(name: string): string {
  return `<span class="codicon codicon-${name}" aria-hidden="true"></span>`;
}

function button(
  action: WebviewMessageType | 'foldAll' | 'unfoldAll',
  iconName: string,
  label: string,
  extra = '',
): string {
  return `<button type="button" class="btn" data-action="${action}"${extra}>${icon(iconName)}<span>${esc(label)}</span></button>`;
}

function header(view: ResponseView): string {
  const status = view.status;
  const statusLine = status
    ? `<span class="status tone-${status.tone}">${status.code} ${esc(status.text)}</span>` +
      `<span>${esc(status.httpVersion)}</span><span>${esc(status.timeLabel)}</span><span>${esc(status.sizeLabel)}</span>`
    : '<span class="status tone-none">No response</span>' + `<span>${esc(view.timing.totalLabel)}</span>`;
  const reused = view.connection?.reused === true;
  const connection = `<span class="conn ${reused ? 'reused' : 'new'}">${icon('plug')}${esc(view.connectionLabel)}</span>`;
  const source = view.source
    ? `<button type="button" class="link" data-action="goToRequest" title="Go to the request">${icon('go-to-file')}${esc(view.source.label)}</button>`
    : '';
  return `<header class="summary">
<div class="meta"><h1>${esc(view.title)}</h1>${source}<span class="session">session <strong>${esc(view.sessionName)}</strong></span></div>
<p class="request-line"><span class="method">${esc(view.method)}</span> <span class="url">${esc(view.url)}</span></p>
<p class="status-line">${statusLine}${connection}</p>
${compactBar(view.timing)}
${actions(view)}
</header>`;
}

function actions(view: ResponseView): string {
  const kind = view.body.kind;
  const out: string[] = [];
  if (view.status && kind !== 'empty') {
    const bytes = kind === 'binary' || kind === 'image';
    out.push(button('copyBody', 'copy', bytes ? 'Copy as Base64' : 'Copy body'));
    out.push(button('saveBody', 'save', 'Save body…'));
    if (!bytes) out.push(button('openInEditor', 'go-to-file', 'Open in editor'));
  }
  if (view.request) {
    out.push(button('copyAsCurl', 'terminal', 'Copy as cURL'));
  }
  if (view.secrets.masked || view.secrets.shown) {
    out.push(
      button(
        'toggleSecrets',
        view.secrets.shown ? 'eye-closed' : 'eye',
        'Show secrets',
        ` aria-pressed="${view.secrets.shown}"`,
      ),
    );
  }
  return out.length
    ? `<div class="actions" role="group" aria-label="Response actions">${out.join('')}</div>`
    : '';
}

function banners(view: ResponseView): string {
  const out: string[] = [];
  if (view.error) {
    out.push(
      `<div class="banner error" role="alert">${icon('error')}<strong>${esc(view.error.code)}</strong> ${esc(view.error.message)}</div>`,
    );
  }
  if (view.body.kind !== 'empty' && view.body.truncated) {
    out.push(
      `<div class="banner info" role="status">${icon('info')}The body was cut off at the size limit: ${esc(formatBytes(view.body.bytes))} received, the rest was not read.</div>`,
    );
  }
  if (view.warnings.length) {
    const items = view.warnings.map((w) => `<li>${esc(w)}</li>`).join('');
    out.push(`<div class="banner warning" role="status">${icon('warning')}<ul>${items}</ul></div>`);
  }
  return out.join('\n');
}

// ---- tabs ----

function tabs(view: ResponseView): string {
  const cookieCount = view.cookies.stored.length + view.cookies.rejected.length;
  const list: [TabId, string, string][] = [
    ['body', 'Body', bodyPanel(view)],
    ['headers', `Headers (${view.responseHeaders.length})`, headersPanel(view)],
    ['request', 'Request', requestPanel(view)],
    ['cookies', `Cookies (${cookieCount})`, cookiesPanel(view)],
    ['timing', 'Timing', timingPanel(view)],
  ];
  const buttons = list
    .map(
      ([id, label], i) =>
        `<button type="button" role="tab" id="tab-${id}" aria-controls="panel-${id}" aria-selected="${i === 0}" tabindex="${i === 0 ? 0 : -1}">${esc(label)}</button>`,
    )
    .join('');
  const panels = list
    .map(
      ([id, , content], i) =>
        `<section class="panel" role="tabpanel" id="panel-${id}" aria-labelledby="tab-${id}" tabindex="0"${i === 0 ? '' : ' hidden'}>\n${content}\n</section>`,
    )
    .join('\n');
  return `<div class="tabs" role="tablist" aria-label="Response sections">${buttons}</div>\n${panels}`;
}

// ---- body ----

function bodyPanel(view: ResponseView): string {
  const body = view.body;
  if (!view.status) {
    return '<p class="muted">No response was received.</p>';
  }
  switch (body.kind) {
    case 'empty':
      return '<p class="muted">The response has no body.</p>';
    case 'image':
      return imageBody(body);
    case 'binary':
      return `<p class="muted">Binary body (${esc(body.mime ?? 'no Content-Type')}, ${esc(formatBytes(body.bytes))}). The first ${body.hexBytes} bytes:</p>
<pre class="code hex">${esc(body.hex)}</pre>`;
    default:
      return textBody(body);
  }
}

function imageBody(body: Extract<BodyView, { kind: 'image' }>): string {
  const what = `${body.imageType.slice('image/'.length).toUpperCase()} image, ${formatBytes(body.bytes)}`;
  if (!body.dataUri) {
    return `<p class="muted">${esc(what)}: too large to preview here. Use Save body to view it.</p>`;
  }
  return `<figure class="image"><img src="${esc(body.dataUri)}" alt="${esc(`Response body: ${what}`)}"><figcaption>${esc(what)}</figcaption></figure>`;
}

function textBody(body: TextBodyView): string {
  const tools: string[] = [];
  if (body.kind === 'json') {
    tools.push(
      button('unfoldAll', 'expand-all', 'Expand all'),
      button('foldAll', 'collapse-all', 'Collapse all'),
    );
  }
  if (body.preview) {
    tools.push(
      `<span class="mode" role="group" aria-label="Show HTML as">` +
        `<button type="button" class="btn" data-mode="source" aria-pressed="true">${icon('code')}<span>Source</span></button>` +
        `<button type="button" class="btn" data-mode="preview" aria-pressed="false">${icon('preview')}<span>Preview</span></button></span>`,
    );
  }
  const toolbar = tools.length ? `<div class="body-tools">${tools.join('')}</div>\n` : '';
  const content =
    body.kind === 'json'
      ? `<div class="code json" id="body-content" data-kind="json">${firstPageHtml(body)}</div>`
      : // The newline after <pre> is eaten by the HTML parser, so a body's own first line break survives.
        `<pre class="code ${body.kind}" id="body-content" data-kind="${body.kind}">\n${firstPageHtml(body)}</pre>`;
  const preview = body.preview
    ? `\n<div class="preview" id="body-preview" hidden><p class="muted">Preview without scripts, styles or remote content.</p>` +
      `<iframe sandbox="" referrerpolicy="no-referrer" title="HTML preview (scripts disabled)" srcdoc="${esc(body.text)}"></iframe></div>`
    : '';
  return toolbar + content + preview + more(body);
}

function more(body: TextBodyView): string {
  if (!body.next) {
    return '';
  }
  const shown = `Showing the first ${formatCount(body.text.length)} of ${formatCount(body.totalChars)} characters.`;
  return `\n<div class="more" id="body-more" data-total="${body.totalChars}"><p class="muted" id="body-more-label">${esc(shown)}</p>${button('loadMore', 'arrow-down', 'Load more', ` data-offset="${body.next.offset}"`)}${button('openInEditor', 'go-to-file', 'Open all in editor')}</div>`;
}

// ---- headers, request, cookies ----

function headerTable(headers: readonly HeaderView[], caption: string): string {
  if (!headers.length) {
    return `<p class="muted">No ${esc(caption.toLowerCase())}.</p>`;
  }
  const rows = headers
    .map((h) => `<tr><th scope="row">${esc(h.name)}</th><td>${esc(h.value)}</td></tr>`)
    .join('\n');
  return `<table class="kv"><caption class="sr-only">${esc(caption)}</caption><thead><tr><th scope="col">Name</th><th scope="col">Value</th></tr></thead><tbody>
${rows}
</tbody></table>`;
}

function headersPanel(view: ResponseView): string {
  return view.status
    ? headerTable(view.responseHeaders, 'Response headers')
    : '<p class="muted">No response was received.</p>';
}

function requestPanel(view: ResponseView): string {
  const request = view.request;
  const chain = redirectChain(view);
  if (!request) {
    return `<p class="muted">The request could not be built, so nothing was sent.</p>${chain}`;
  }
  const note =
    view.secrets.masked && !view.secrets.shown
      ? '<p class="muted">Credentials and secret values are hidden. Use “Show secrets” to see them.</p>'
      : '';
  return `<h2>Request as sent</h2>
<p class="request-line"><span class="method">${esc(request.method)}</span> <span class="url">${esc(request.url)}</span></p>
${note}
${headerTable(request.headers, 'Request headers')}
<h3>Body</h3>
${requestBody(request)}${chain}`;
}

function requestBody(request: RequestView): string {
  const body = request.body;
  switch (body.kind) {
    case 'empty':
      return '<p class="muted">No body.</p>';
    case 'binary':
      return `<p class="muted">${esc(formatBytes(body.bytes))} of binary data. The first bytes:</p><pre class="code hex">${esc(body.hex)}</pre>`;
    default:
      return `<pre class="code">\n${esc(body.text)}</pre>${body.clipped ? `<p class="muted">Only the start of ${esc(formatBytes(body.bytes))} is shown.</p>` : ''}`;
  }
}

function redirectChain(view: ResponseView): string {
  if (!view.redirects.length) {
    return '';
  }
  const steps = view.redirects
    .map(
      (r) =>
        `<li><span class="status">${r.status}</span> ${icon('arrow-right')}<span class="url">${esc(r.url)}</span></li>`,
    )
    .join('');
  return `\n<h2>Redirects followed</h2>
<ol class="chain"><li><span class="url">${esc(view.url)}</span></li>${steps}</ol>`;
}

function cookiesPanel(view: ResponseView): string {
  const { stored, rejected } = view.cookies;
  if (!stored.length && !rejected.length) {
    return '<p class="muted">This response set no cookies.</p>';
  }
  const parts: string[] = [];
  if (stored.length) {
    const rows = stored
      .map(
        (c) =>
          `<tr${c.deleted ? ' class="deleted"' : ''}><th scope="row"><button type="button" class="link" data-action="revealCookie" data-name="${esc(c.name)}" data-domain="${esc(c.domain ?? '')}" data-path="${esc(c.path ?? '')}" title="Show in the cookie jar">${esc(c.name)}</button></th>` +
          `<td>${esc(c.value)}</td><td>${esc(c.domain ?? '')}</td><td>${esc(c.path ?? '')}</td>` +
          `<td>${c.deleted ? 'deleted' : esc(c.expires)}</td><td>${esc(c.flags.join(', '))}</td></tr>`,
      )
      .join('\n');
    parts.push(`<h2>Stored by this response</h2>
<table class="kv"><thead><tr><th scope="col">Name</th><th scope="col">Value</th><th scope="col">Domain</th><th scope="col">Path</th><th scope="col">Expires</th><th scope="col">Flags</th></tr></thead><tbody>
${rows}
</tbody></table>`);
  }
  if (rejected.length) {
    const rows = rejected
      .map((r) => `<tr><td><code>${esc(r.cookie)}</code></td><td>${esc(r.reason)}</td></tr>`)
      .join('\n');
    parts.push(`<h2>Rejected</h2>
<table class="kv"><thead><tr><th scope="col">Set-Cookie</th><th scope="col">Reason</th></tr></thead><tbody>
${rows}
</tbody></table>`);
  }
  return parts.join('\n');
}

// ---- timing ----

function timingPanel(view: ResponseView): string {
  const many = view.hops.length > 1;
  return view.hops
    .map((hop, i) => {
      const title = many
        ? `Hop ${i + 1} of ${view.hops.length}: ${hop.method} ${hop.url}${hop.status !== null ? ` → ${hop.status}` : ''}`
        : 'Timing';
      return `<section class="hop" aria-labelledby="hop-${i}-title"><h2 id="hop-${i}-title">${esc(title)}</h2>
<p class="muted">${esc(hop.connectionLabel)}</p>
${waterfallTable(hop, i)}</section>`;
    })
    .join('\n');
}

function waterfallTable(hop: HopView, index: number): string {
  const rows = hop.timing.segments
    .map((s) =>
      s.absent
        ? `<tr class="absent"><th scope="row" class="phase">${esc(s.label)}</th><td class="track"><span class="reason">${esc(s.reason ?? '')}</span></td><td class="ms">—</td></tr>`
        : `<tr><th scope="row" class="phase">${esc(s.label)}</th><td class="track"><div class="lane"><span class="seg seg-${s.phase} w-${index}-${s.phase}"></span></div></td><td class="ms">${esc(s.msLabel)}</td></tr>`,
    )
    .join('\n');
  return `<table class="waterfall"><caption class="sr-only">Timing phases</caption><tbody>
${rows}
</tbody><tfoot><tr class="total"><th scope="row" class="phase">Total</th><td></td><td class="ms">${esc(hop.timing.totalLabel)}</td></tr></tfoot></table>`;
}

function compactBar(timing: TimingView): string {
  const segments = timing.segments
    .filter((s) => !s.absent)
    .map(
      (s) =>
        `<span class="seg seg-${s.phase} w-f-${s.phase}" title="${esc(`${s.label}: ${s.msLabel}`)}"></span>`,
    )
    .join('');
  return `<div class="bar" aria-hidden="true">${segments}</div>`;
}

/** Bar geometry as class rules: numbers we computed, never text from the response. */
function waterfallStyles(view: ResponseView): string {
  const rules: string[] = [];
  const add = (prefix: string, timing: TimingView) => {
    for (const s of timing.segments) {
      if (!s.absent) {
        rules.push(`.w-${prefix}-${s.phase}{left:${pct(s.startPct)};width:${pct(s.widthPct)}}`);
      }
    }
  };
  add('f', view.timing);
  view.hops.forEach((hop, i) => {
    add(String(i), hop.timing);
  });
  return rules.join('');
}

function pct(value: number): string {
  return `${Number.isFinite(value) ? Math.max(0, Math.min(100, value)) : 0}%`;
}
