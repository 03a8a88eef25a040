// The named exchanges of one session, for `{{name.response...}}`.
import type { ChainedExchange, ChainStore } from '../variables';
import type { SendResult } from '../session';

export class SessionChains implements ChainStore {
  private readonly byName = new Map<string, ChainedExchange>();

  get(name: string): ChainedExchange | undefined {
    return this.byName.get(name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  record(name: string, result: SendResult): void {
    if (!result.response || !result.sent) return;
    const body = result.sent.body;
    this.byName.set(name, {
      request: {
        headers: result.sent.headers,
        body: typeof body === 'string' ? body : body ? Buffer.from(body).toString('utf8') : null,
      },
      response: {
        status: result.response.status,
        headers: result.response.headers,
        body: result.response.text,
        contentType: result.response.contentType,
      },
    });
  }

  clear(): void {
    this.byName.clear();
  }
}
