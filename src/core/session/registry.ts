// Sessions by name, created on first use with one shared configuration.
// The registry is an ordinary object the CLI or the extension owns and passes
// around; there is no process-wide instance.
import type { SessionConfig } from './config';
import { Emitter } from './events';
import { Session } from './session';

export const DEFAULT_SESSION = 'default';

export interface RegistryEvents {
  sessionCreated: Session;
  sessionDisposed: string;
}

export type SessionFactory = (name: string, config: SessionConfig) => Session;

export class SessionRegistry {
  readonly events = new Emitter<RegistryEvents>();
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly config: SessionConfig = {},
    private readonly create: SessionFactory = (name, config) => new Session(name, config),
  ) {}

  /** The session with this name, created if it does not exist yet. */
  get(name: string = DEFAULT_SESSION): Session {
    let session = this.sessions.get(name);
    if (!session) {
      session = this.create(name, this.config);
      this.sessions.set(name, session);
      this.events.emit('sessionCreated', session);
    }
    return session;
  }

  find(name: string): Session | undefined {
    return this.sessions.get(name);
  }

  list(): Session[] {
    return [...this.sessions.values()];
  }

  async dispose(name: string): Promise<void> {
    const session = this.sessions.get(name);
    if (session) {
      this.sessions.delete(name);
      await session.dispose();
      this.events.emit('sessionDisposed', name);
    }
  }

  async disposeAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((name) => this.dispose(name)));
  }
}
