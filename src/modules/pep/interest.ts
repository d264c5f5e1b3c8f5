// The contacts' resources an account has seen come online, with their caps (XEP-0163 §4.3.4:
// the PEP service acts on the presence a contact's client sends to the account). Indexed by
// owner, then contact bare JID, so a publish looks up exactly the owner's contacts and never
// scans other accounts. Entries go away with the resource's unavailable presence.
import type { CapsRef } from "./caps.js";
import { capsKey } from "./caps.js";

export class PresenceInterest {
  private readonly byOwner = new Map<string, Map<string, Map<string, CapsRef | undefined>>>();

  /** Records an available resource; true when it is new to the owner or its caps changed. */
  update(owner: string, contactBare: string, full: string, caps: CapsRef | undefined): boolean {
    let contacts = this.byOwner.get(owner);
    if (!contacts) this.byOwner.set(owner, (contacts = new Map()));
    let resources = contacts.get(contactBare);
    if (!resources) contacts.set(contactBare, (resources = new Map()));
    const had = resources.has(full);
    const before = resources.get(full);
    resources.set(full, caps);
    return !had || (before ? capsKey(before) : "") !== (caps ? capsKey(caps) : "");
  }

  remove(owner: string, contactBare: string, full: string): void {
    const contacts = this.byOwner.get(owner);
    const resources = contacts?.get(contactBare);
    if (!contacts || !resources) return;
    resources.delete(full);
    if (resources.size === 0) contacts.delete(contactBare);
    if (contacts.size === 0) this.byOwner.delete(owner);
  }

  /** The contact's resources the owner knows to be available, with their caps. */
  resources(owner: string, contactBare: string): ReadonlyMap<string, CapsRef | undefined> {
    return this.byOwner.get(owner)?.get(contactBare) ?? EMPTY;
  }

  dropOwner(owner: string): void {
    this.byOwner.delete(owner);
  }
}

const EMPTY: ReadonlyMap<string, CapsRef | undefined> = new Map();
