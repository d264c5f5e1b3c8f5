// The presence and roster access models ask how a requester stands towards a node's owner; the
// answer comes from the owner's roster on the main domain (services/roster.ts), read on demand.
import { Jid } from "../../jid/jid.js";
import { RosterService } from "../../services/roster.js";
import { ROSTER_STORE, ROSTER_VERSION_STORE } from "../../services/roster.js";
import type { RelationLookup } from "../../services/pubsub/types.js";
import type { StorageBackend } from "../../storage/types.js";

export function rosterOf(storage: StorageBackend, domain: string): RosterService {
  return new RosterService(storage.map(domain, ROSTER_STORE), storage.keyval(domain, ROSTER_VERSION_STORE));
}

/** Relations of requesters to owners who are accounts of `domain`. */
export function rosterRelation(roster: RosterService, domain: string): RelationLookup {
  return (owner, requester) => {
    const o = Jid.tryParse(owner);
    if (!o || o.domain !== domain || o.local === "") return undefined;
    const item = roster.get(o.local, requester);
    if (!item) return { presence: false, groups: undefined };
    return {
      presence: item.subscription === "from" || item.subscription === "both",
      groups: item.hidden ? undefined : item.groups,
    };
  };
}
