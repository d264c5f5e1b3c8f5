// The bound sessions of one virtual host, indexed by user and resource. Passed to modules through
// their context rather than being a process-global table (STYLE-ANCHORS §4.5-5).
import type { Session } from "./session.js";

/**
 * A user's sessions: the session itself while it is the only one (nearly every user), a map by
 * resource from the second on. A Map per online user would cost each idle session ~330 bytes.
 */
type Resources = Session | Map<string, Session>;

export class SessionRegistry {
  private readonly byUser = new Map<string, Resources>();
  private total = 0;

  /** Adds a bound session; returns the session it replaces (same full JID), if any. */
  add(session: Session): Session | undefined {
    const jid = session.jid;
    if (!jid) throw new Error("registry.add: session is not bound");
    const entry = this.byUser.get(jid.local);
    if (entry === undefined) {
      this.byUser.set(jid.local, session);
      this.total++;
      return undefined;
    }
    if (!(entry instanceof Map)) {
      if (entry.jid!.resource === jid.resource) {
        this.byUser.set(jid.local, session);
        return entry;
      }
      const resources = new Map<string, Session>([[entry.jid!.resource, entry], [jid.resource, session]]);
      this.byUser.set(jid.local, resources);
      this.total++;
      return undefined;
    }
    const previous = entry.get(jid.resource);
    entry.set(jid.resource, session);
    if (!previous) this.total++;
    return previous;
  }

  remove(session: Session): boolean {
    const jid = session.jid;
    if (!jid) return false;
    const entry = this.byUser.get(jid.local);
    if (entry === undefined) return false;
    if (!(entry instanceof Map)) {
      if (entry !== session) return false;
      this.byUser.delete(jid.local);
    } else {
      if (entry.get(jid.resource) !== session) return false;
      entry.delete(jid.resource);
      if (entry.size === 1) this.byUser.set(jid.local, entry.values().next().value!);
    }
    this.total--;
    return true;
  }

  get(user: string, resource: string): Session | undefined {
    const entry = this.byUser.get(user);
    if (entry === undefined) return undefined;
    if (entry instanceof Map) return entry.get(resource);
    return entry.jid!.resource === resource ? entry : undefined;
  }

  hasResource(user: string, resource: string): boolean {
    return this.get(user, resource) !== undefined;
  }

  /** Every bound session of a user (empty when offline). */
  forUser(user: string): Session[] {
    const entry = this.byUser.get(user);
    if (entry === undefined) return [];
    return entry instanceof Map ? [...entry.values()] : [entry];
  }

  isOnline(user: string): boolean {
    return this.byUser.has(user);
  }

  users(): IterableIterator<string> {
    return this.byUser.keys();
  }

  *all(): IterableIterator<Session> {
    for (const entry of this.byUser.values()) {
      if (entry instanceof Map) yield* entry.values();
      else yield entry;
    }
  }

  get size(): number {
    return this.total;
  }
}
