// The session engine's public surface. Nothing here imports `vscode`.
export {
  type ClientCertificate,
  DEFAULTS,
  type ResolveRule,
  type ResolvedConfig,
  resolveConfig,
  type SessionConfig,
} from './config';
export type { ConnectionEvents, ConnectionView } from './connections';
export { createJar, mergeCookieHeader, rejectionReason } from './cookies';
export {
  COOKIES_TXT_HEADER,
  type CookiesTxtEntry,
  type CookiesTxtProblem,
  formatCookiesTxt,
  formatCookiesTxtLine,
  type ParsedCookiesTxt,
  type ParsedCookiesTxtEntry,
  parseCookiesTxt,
  toCookiesTxtEntry,
} from './cookiesTxt';
export { charsetOf, decodeText, parseContentEncoding, supportedEncodings } from './decode';
export { type DurationResult, parseDuration } from './duration';
export { type Disposable, Emitter } from './events';
export { type JsonRecord, toJsonRecord } from './jsonRecord';
export { isAlive, type LoadedJar, loadJar, removeOrphans, removeOrphanTemps, saveJar } from './persistence';
export { DEFAULT_SESSION, type RegistryEvents, type SessionFactory, SessionRegistry } from './registry';
export { type CookiesChange, Session, type SessionEvents } from './session';
export { computeTiming, type Phase, PHASES, type TimingMarks } from './timing';
export type * from './types';
