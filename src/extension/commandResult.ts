// What the send commands return. A command run from the workbench (a CodeLens
// click, a keybinding) has its result serialised back across the extension
// host boundary, and a Uint8Array body becomes a JSON object with one key per
// byte: for a 50 MB response that alone froze the editor for many seconds.
// So commands return the outcome without body bytes and with the text capped;
// the whole outcome stays available through `SendCommands.onDidFinish`.
import type { RunOutcome } from '../core/run/runner';
import type { HeaderList, SendResult, SentRequest } from '../core/session';

/** Longest response text a command returns; the panel and the API have all of it. */
export const COMMAND_TEXT_LIMIT = 1024 * 1024;

export interface CommandResponse {
  readonly status: number;
  readonly statusText: string;
  readonly httpVersion: string;
  readonly headers: HeaderList;
  readonly text: string;
  /** True when `text` was cut to COMMAND_TEXT_LIMIT here (not when the engine capped the body). */
  readonly textCut: boolean;
  readonly bodyBytes: number;
  readonly contentType: string | null;
  readonly charset: string;
  readonly truncated: boolean;
}

export type CommandOutcome = Omit<RunOutcome, 'result'> & {
  readonly result:
    | (Omit<SendResult, 'response' | 'sent' | 'hops'> & {
        readonly response: CommandResponse | null;
        readonly sent: CommandSent | null;
        readonly hops: readonly (Omit<SendResult['hops'][number], 'sent'> & { readonly sent: CommandSent })[];
      })
    | null;
};

type CommandSent = Omit<SentRequest, 'body'> & { readonly body: string | null; readonly bodyBytes: number };

export function commandOutcome(outcome: RunOutcome): CommandOutcome;
export function commandOutcome(outcome: RunOutcome | undefined): CommandOutcome | undefined;
export function commandOutcome(outcome: RunOutcome | undefined): CommandOutcome | undefined {
  if (!outcome?.result) return outcome as CommandOutcome | undefined;
  const { response, sent, hops } = outcome.result;
  return {
    ...outcome,
    result: {
      ...outcome.result,
      response: response && {
        status: response.status,
        statusText: response.statusText,
        httpVersion: response.httpVersion,
        headers: response.headers,
        text:
          response.text.length > COMMAND_TEXT_LIMIT
            ? response.text.slice(0, COMMAND_TEXT_LIMIT)
            : response.text,
        textCut: response.text.length > COMMAND_TEXT_LIMIT,
        bodyBytes: response.body.byteLength,
        contentType: response.contentType,
        charset: response.charset,
        truncated: response.truncated,
      },
      sent: sent && commandSent(sent),
      hops: hops.map((hop) => ({ ...hop, sent: commandSent(hop.sent) })),
    },
  };
}

function commandSent(sent: SentRequest): CommandSent {
  const body = sent.body;
  if (body === null) return { ...sent, body: null, bodyBytes: 0 };
  if (typeof body === 'string') {
    return {
      ...sent,
      body: body.length > COMMAND_TEXT_LIMIT ? body.slice(0, COMMAND_TEXT_LIMIT) : body,
      bodyBytes: Buffer.byteLength(body),
    };
  }
  return { ...sent, body: null, bodyBytes: body.byteLength };
}
