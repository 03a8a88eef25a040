// A tiny typed event emitter. Listeners get a disposable back so owners
// (tree views, the CLI) can register and release them like everything else.

export interface Disposable {
  dispose(): void;
}

export type Listener<T> = (payload: T) => void;

export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): Disposable {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as Listener<never>);
    return { dispose: () => set.delete(listener as Listener<never>) };
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      // A broken listener must not break a request that is being sent.
      try {
        (listener as Listener<Events[K]>)(payload);
      } catch {}
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
