// The contacts an account's PEP notifications may go to (presence subscription "from" or
// "both", XEP-0163 §4), cached per account so a publish does not decode the whole roster from
// storage every time. Kept right by the roster's own change events; bounded in accounts.
import type { RosterService } from "../../services/roster.js";

export interface AudienceMember {
  /** The contact's bare JID (a roster key). */
  jid: string;
  /** Its roster groups, for the roster access model. */
  groups: string[];
}

const MAX_ACCOUNTS = 5000;

export class AudienceCache {
  private readonly byUser = new Map<string, AudienceMember[]>();

  constructor(private readonly roster: RosterService) {}

  get(user: string): readonly AudienceMember[] {
    let list = this.byUser.get(user);
    if (list) {
      // Most recently used last, so eviction drops the least recently used.
      this.byUser.delete(user);
      this.byUser.set(user, list);
      return list;
    }
    list = [];
    for (const [jid, item] of this.roster.all(user)) {
      if (item.hidden || (item.subscription !== "from" && item.subscription !== "both")) continue;
      list.push({ jid, groups: [...item.groups] });
    }
    this.byUser.set(user, list);
    if (this.byUser.size > MAX_ACCOUNTS) this.byUser.delete(this.byUser.keys().next().value!);
    return list;
  }

  /** The account's roster changed (or it was deleted). */
  forget(user: string): void {
    this.byUser.delete(user);
  }
}
