// undici's Agent on its own. `import { Agent } from 'undici'` evaluates the
// whole package (fetch, WebSocket, caches, mock agents): ~90 ms of start-up
// for every CLI run and for the editor's first send, against ~30 ms for the
// agent and what it needs. The types still come from the package.
import type * as undici from 'undici';

export type Agent = undici.Agent;
export const Agent: typeof undici.Agent = require('undici/lib/dispatcher/agent.js');
