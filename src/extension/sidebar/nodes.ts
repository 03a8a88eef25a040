// The elements of the Sessions view. Plain objects, interned by id in the
// tree provider so VS Code can match a refreshed or revealed node; commands
// get them as their first argument from menus and tests.
export type SidebarNode =
  | { readonly kind: 'session'; readonly id: string; readonly session: string }
  | { readonly kind: 'cookies'; readonly id: string; readonly session: string }
  | { readonly kind: 'connections'; readonly id: string; readonly session: string }
  | { readonly kind: 'domain'; readonly id: string; readonly session: string; readonly domain: string }
  | {
      readonly kind: 'cookie';
      readonly id: string;
      readonly session: string;
      readonly domain: string;
      readonly path: string;
      readonly name: string;
    }
  | { readonly kind: 'origin'; readonly id: string; readonly session: string; readonly origin: string }
  | {
      readonly kind: 'connection';
      readonly id: string;
      readonly session: string;
      readonly origin: string;
      readonly connectionId: number;
    };

export type NodeOf<K extends SidebarNode['kind']> = Extract<SidebarNode, { kind: K }>;

export function isSidebarNode(value: unknown): value is SidebarNode {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { kind?: unknown }).kind === 'string' &&
    typeof (value as { session?: unknown }).session === 'string'
  );
}

export const SESSIONS_VIEW = 'httpSession.sessions';

/** Commands of the Sessions view, registered at activation and run by the engine. */
export const SIDEBAR_COMMANDS = {
  copyValue: 'httpSession.copyCookieValue',
  copyHeader: 'httpSession.copyCookieHeader',
  editValue: 'httpSession.editCookieValue',
  addCookie: 'httpSession.addCookie',
  deleteCookie: 'httpSession.deleteCookie',
  clearDomain: 'httpSession.clearDomainCookies',
  clearCookies: 'httpSession.clearSessionCookies',
  closeConnections: 'httpSession.closeConnections',
  exportCookies: 'httpSession.exportCookies',
  importCookies: 'httpSession.importCookies',
  showSetters: 'httpSession.showCookieResponses',
  revealCookie: 'httpSession.revealCookie',
  showValues: 'httpSession.showCookieValues',
  hideValues: 'httpSession.hideCookieValues',
  refresh: 'httpSession.refreshSessions',
  openHttpFile: 'httpSession.openHttpFile',
} as const;

export type SidebarCommand = keyof typeof SIDEBAR_COMMANDS;
