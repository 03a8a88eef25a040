export * from './curl';
export * from './document';
export { splitLines } from './lines';
export type * from './model';
export { KNOWN_METHODS } from './requestLine';
