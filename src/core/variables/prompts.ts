// `# @prompt name [description]`: values the front end asks for before sending.
import type { HttpRequest } from '../parser';

export interface PromptRequest {
  readonly name: string;
  /** Shown in the input box; null when the line has none. */
  readonly description: string | null;
  /** REST Client hides input for prompts named password, passwd or pass. */
  readonly password: boolean;
}

export function promptsOf(request: HttpRequest): PromptRequest[] {
  const out: PromptRequest[] = [];
  for (const d of request.directives) {
    if (d.name !== 'prompt' || d.value === true) continue;
    const m = /^(\S+)(?:\s+(.*))?$/.exec(d.value);
    if (!m) continue;
    out.push({
      name: m[1],
      description: m[2]?.trim() || null,
      password: /^(?:password|passwd|pass)$/i.test(m[1]),
    });
  }
  return out;
}
