// The bound sessions of one virtual host, indexed by user and resource. Passed to modules through
// their context rather than being a process-global table (STYLE-ANCHORS §4.5-5).
import type { Session } from "./session.js";

export class SessionRegistry {
  private readonly byUser = new Map<string, Map<string, Session>>();
  private total = 0;

  /** Adds a bound session; returns the session it replaces (same full JID), if any. */
  add(session: Session): Session | undefined {
    const jid = session.jid;
    if (!jid) throw new Error("registry.add: session is not bound");
    let resources = this.byUser.get(jid.local);
    if (!resources) {
      resources = new Map();
      this.byUser.set(jid.local, resources);
    }
    const previous = resources.get(jid.resource);
    resources.set(jid.resource, session);
    if (!previous) this.total++;
    return previous;
  }

  remove(session: Session): boolean {
    const jid = session.jid;
    if (!jid) return false;
    const resources = this.byUser.get(jid.local);
    if (!resources || resources.get(jid.resource) !== session) return false;
    resources.delete(jid.resource);
    if (resources.size === 0) this.byUser.delete(jid.local);
    this.total--;
    return true;
  }

  get(user: string, resource: string): Session | undefined {
    return this.byUser.get(user)?.get(resource);
  }

  hasResource(user: string, resource: string): boolean {
    return this.byUser.get(user)?.has(resource) ?? false;
  }

  /** Every bound session of a user (empty when offline). */
  forUser(user: string): Session[] {
    const resources = this.byUser.get(user);
    return resources ? [...resources.values()] : [];
  }

  isOnline(user: string): boolean {
    return this.byUser.has(user);
  }

  users(): IterableIterator<string> {
    return this.byUser.keys();
  }

  *all(): IterableIterator<Session> {
    for (const resources of this.byUser.values()) yield* resources.values();
  }

  get size(): number {
    return this.total;
  }
}
