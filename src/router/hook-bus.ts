// The event bus every feature hangs off (Prosody util/events semantics): handlers run in priority
// order (highest first, equal priorities in registration order) and the first handler that returns
// something other than undefined claims the event; its value is what fire() returns.

export type Handler<P = unknown> = (payload: P) => unknown;

interface Entry {
  handler: Handler<never>;
  priority: number;
  seq: number;
}

export class HookBus {
  private readonly handlers = new Map<string, Entry[]>();
  private seq = 0;

  /** Registers a handler; returns the function that removes it again. */
  on<P>(event: string, handler: Handler<P>, priority = 0): () => void {
    const entry: Entry = { handler: handler as Handler<never>, priority, seq: this.seq++ };
    // Copy-on-write: a handler list being iterated by fire() is never mutated underneath it.
    const list = [...(this.handlers.get(event) ?? []), entry].sort((a, b) => b.priority - a.priority || a.seq - b.seq);
    this.handlers.set(event, list);
    return () => {
      const current = this.handlers.get(event);
      if (!current) return;
      const next = current.filter((e) => e !== entry);
      if (next.length) this.handlers.set(event, next);
      else this.handlers.delete(event);
    };
  }

  has(event: string): boolean {
    return this.handlers.has(event);
  }

  /** Runs the handlers of an event until one returns a value other than undefined. */
  fire<P>(event: string, payload: P): unknown {
    const list = this.handlers.get(event);
    if (list === undefined) return undefined;
    for (const e of list) {
      const ret = (e.handler as Handler<P>)(payload);
      if (ret !== undefined) return ret;
    }
    return undefined;
  }
}
