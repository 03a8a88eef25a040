// `# @prompt name [description]`: ask with an input box before sending,
// masked when the name looks like a secret.
import * as vscode from 'vscode';
import type { HttpRequest } from '../core/parser';
import { promptsOf } from '../core/variables';

const SECRET_NAME = /pass|secret|token|key|pwd|otp|pin/i;

/** Answers by name, or undefined when the user cancelled. */
export async function askPrompts(request: HttpRequest): Promise<Record<string, string> | undefined> {
  const answers: Record<string, string> = {};
  for (const p of promptsOf(request)) {
    const value = await vscode.window.showInputBox({
      title: `HTTP Session: ${p.name}`,
      prompt: p.description ?? `Value for {{${p.name}}}`,
      password: p.password || SECRET_NAME.test(p.name),
      ignoreFocusOut: true,
    });
    if (value === undefined) return undefined;
    answers[p.name] = value;
  }
  return answers;
}
