// The response panel's page script: tabs, JSON folding, the HTML source/preview
// switch, and buttons that ask the host to act (copy, save, open, cURL, reveal
// a cookie, load the next body page). The host owns the response; this script
// never sees more of it than the markup the host rendered.
import { formatCount } from '../extension/panel/format';
import type { HostMessage, WebviewMessage } from '../extension/panel/messages';
import './panel.css';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

interface PageState {
  readonly tab?: string;
  readonly mode?: 'source' | 'preview';
}

const vscode = acquireVsCodeApi();
let state: PageState = (vscode.getState() as PageState | undefined) ?? {};

function save(change: PageState): void {
  state = { ...state, ...change };
  vscode.setState(state);
}

// The script loads async from <head> and finds elements when it needs them:
// the buttons work while a large body is still being parsed below them.
const tabs = () => Array.from(document.querySelectorAll<HTMLButtonElement>('[role="tab"]'));
const bodyContent = () => document.getElementById('body-content');

// ---- tabs (WAI-ARIA tabs: arrows move, Home/End jump, one tab stop) ----

function selectTab(tab: HTMLButtonElement, focus: boolean): void {
  for (const t of tabs()) {
    const selected = t === tab;
    t.setAttribute('aria-selected', String(selected));
    t.tabIndex = selected ? 0 : -1;
    const panel = document.getElementById(t.getAttribute('aria-controls') ?? '');
    if (panel) panel.hidden = !selected;
  }
  if (focus) tab.focus();
  save({ tab: tab.id });
}

document.addEventListener('keydown', (e) => {
  if (!(e.target instanceof Element) || e.target.getAttribute('role') !== 'tab') return;
  const list = tabs();
  const current = list.indexOf(e.target as HTMLButtonElement);
  const target =
    e.key === 'ArrowRight'
      ? (current + 1) % list.length
      : e.key === 'ArrowLeft'
        ? (current - 1 + list.length) % list.length
        : e.key === 'Home'
          ? 0
          : e.key === 'End'
            ? list.length - 1
            : -1;
  if (current >= 0 && target >= 0) {
    e.preventDefault();
    selectTab(list[target]!, true);
  }
});

// ---- JSON folding ----
// Lines are flat: an opener line has data-f=<id>, its closing line data-e=<id>,
// possibly on a later page. Folding hides the lines in between.

/** The body offset asked for by "Load more"; a reply for any other offset is stale. */
let pendingOffset: number | null = null;

/** Folded openers whose closing line has not been loaded yet: re-fold after each page. */
const openEnded = new Set<HTMLElement>();

function closerOf(opener: HTMLElement): HTMLElement | null {
  const id = opener.dataset.f;
  for (
    let el = opener.nextElementSibling as HTMLElement | null;
    el;
    el = el.nextElementSibling as HTMLElement | null
  ) {
    if (el.dataset.e === id) return el;
  }
  return null;
}

function markFolded(opener: HTMLElement, folded: boolean, closer: HTMLElement | null): void {
  opener.classList.toggle('c', folded);
  opener.querySelector('button.f')?.setAttribute('aria-expanded', String(!folded));
  // Shown after the opening bracket while folded: `{ … },`
  opener.dataset.tail = closer ? (closer.textContent ?? '').trim() : '';
}

function setFolded(opener: HTMLElement, folded: boolean): void {
  const id = opener.dataset.f;
  let closer: HTMLElement | null = null;
  let el = opener.nextElementSibling as HTMLElement | null;
  while (el) {
    if (el.dataset.e === id) {
      closer = el;
      el.hidden = folded;
      break;
    }
    el.hidden = folded;
    if (!folded && el.dataset.f !== undefined && el.classList.contains('c')) {
      // A folded inner range stays folded: skip to its closing line.
      const inner = closerOf(el);
      if (!inner) break;
      el = inner;
    }
    el = el.nextElementSibling as HTMLElement | null;
  }
  markFolded(opener, folded, closer);
  if (folded && !closer) openEnded.add(opener);
  else openEnded.delete(opener);
}

/** Folds every object and array below the top level (the top level stays open). */
function foldAll(fold: boolean): void {
  const content = bodyContent();
  if (!content) return;
  openEnded.clear();
  const stack: HTMLElement[] = [];
  for (const child of Array.from(content.children)) {
    const el = child as HTMLElement;
    if (!fold) {
      el.hidden = false;
      if (el.dataset.f !== undefined) markFolded(el, false, null);
      continue;
    }
    if (el.dataset.e !== undefined && stack.length > 0) {
      const opener = stack.pop()!;
      el.hidden = stack.length >= 1;
      if (stack.length >= 1) markFolded(opener, true, el);
    } else if (el.dataset.f !== undefined) {
      el.hidden = stack.length >= 2;
      stack.push(el);
    } else {
      el.hidden = stack.length >= 2;
    }
  }
  // Containers still open at the end of what is loaded.
  for (let depth = 1; depth < stack.length; depth++) {
    markFolded(stack[depth]!, true, null);
    openEnded.add(stack[depth]!);
  }
}

// ---- HTML source / preview ----

function setMode(mode: 'source' | 'preview'): void {
  const preview = document.getElementById('body-preview');
  const content = bodyContent();
  if (!preview || !content) return;
  preview.hidden = mode !== 'preview';
  content.hidden = mode === 'preview';
  for (const b of Array.from(document.querySelectorAll<HTMLButtonElement>('[data-mode]'))) {
    b.setAttribute('aria-pressed', String(b.dataset.mode === mode));
  }
  save({ mode });
}

// ---- actions ----

function post(message: WebviewMessage): void {
  vscode.postMessage(message);
}

function act(el: HTMLElement): void {
  const action = el.dataset.action;
  switch (action) {
    case 'foldAll':
      foldAll(true);
      return;
    case 'unfoldAll':
      foldAll(false);
      return;
    case 'revealCookie':
      post({
        type: 'revealCookie',
        name: el.dataset.name ?? '',
        domain: el.dataset.domain || null,
        path: el.dataset.path || null,
      });
      return;
    case 'loadMore': {
      const offset = Number(el.dataset.offset);
      if (Number.isSafeInteger(offset)) {
        (el as HTMLButtonElement).disabled = true;
        pendingOffset = offset;
        post({ type: 'loadMore', offset });
      }
      return;
    }
    case 'copyBody':
    case 'saveBody':
    case 'openInEditor':
    case 'copyAsCurl':
    case 'toggleSecrets':
    case 'goToRequest':
      post({ type: action });
      return;
  }
}

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target : null;
  if (!target) return;
  const tab = target.closest<HTMLButtonElement>('[role="tab"]');
  if (tab) {
    selectTab(tab, false);
    return;
  }
  const fold = target.closest<HTMLButtonElement>('button.f');
  if (fold?.parentElement) {
    setFolded(fold.parentElement, fold.getAttribute('aria-expanded') === 'true');
    return;
  }
  const mode = target.closest<HTMLButtonElement>('[data-mode]');
  if (mode) {
    setMode(mode.dataset.mode === 'preview' ? 'preview' : 'source');
    return;
  }
  const action = target.closest<HTMLElement>('[data-action]');
  if (action) act(action);
});

// ---- pages from the host ----

window.addEventListener('message', (event: MessageEvent<HostMessage>) => {
  const message = event.data;
  const content = bodyContent();
  if (message?.type !== 'bodyPage' || typeof message.html !== 'string' || !content) return;
  if (message.offset !== pendingOffset) return;
  pendingOffset = null;
  // The host's renderer escaped every character of the body; this is its markup, not the body's.
  content.insertAdjacentHTML('beforeend', message.html);
  for (const opener of Array.from(openEnded)) setFolded(opener, true);
  const more = document.getElementById('body-more');
  const button = more?.querySelector<HTMLButtonElement>('[data-action="loadMore"]');
  const label = document.getElementById('body-more-label');
  const total = Number(more?.dataset.total ?? 0);
  if (message.next === null) {
    button?.remove();
    if (label) {
      label.textContent = message.capped
        ? 'The panel stops here. Open the body in an editor to see all of it.'
        : 'The whole body is shown.';
    }
  } else if (button) {
    button.dataset.offset = String(message.next);
    button.disabled = false;
    if (label) label.textContent = shownLabel(message.next, total);
  }
});

/** Same wording as the host's first label (html.ts). */
function shownLabel(shown: number, total: number): string {
  return `Showing the first ${formatCount(shown)} of ${formatCount(total)} characters.`;
}

// ---- restore after the panel was hidden and shown again ----

function restore(): void {
  const savedTab = tabs().find((t) => t.id === state.tab);
  if (savedTab) selectTab(savedTab, false);
  if (state.mode) setMode(state.mode);
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', restore, { once: true });
} else {
  restore();
}
