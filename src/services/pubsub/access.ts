// Who may do what on a node (XEP-0060 §4.1 affiliation table, §4.5 access models), as pure
// functions over a node record, the requester's affiliation and its relation to the owner.
import { PubSubError, type Affiliation, type ContactRelation, type NodeRecord } from "./types.js";

/** Affiliations that may subscribe and retrieve whatever the access model. */
const TRUSTED: ReadonlySet<Affiliation> = new Set(["owner", "publisher", "member"]);

/**
 * May `affiliation` with `relation` subscribe to / retrieve items of `node`? Throws the refusal
 * XEP-0060 specifies for each access model (§6.1.3, §6.5.9); returns normally when allowed.
 */
export function checkAccess(node: NodeRecord, affiliation: Affiliation, relation: ContactRelation | undefined): void {
  if (affiliation === "outcast") throw new PubSubError("forbidden");
  if (affiliation === "publish-only") throw new PubSubError("forbidden");
  if (TRUSTED.has(affiliation)) return;
  switch (node.config.accessModel) {
    case "open":
      return;
    case "presence":
      if (relation?.presence) return;
      throw new PubSubError("not-authorized", "presence-subscription-required");
    case "roster": {
      const allowed = node.config.rosterGroupsAllowed;
      const groups = relation?.groups;
      if (groups && groups.some((g) => allowed.includes(g))) return;
      throw new PubSubError("not-authorized", "not-in-roster-group");
    }
    case "whitelist":
      throw new PubSubError("not-allowed", "closed-node");
  }
}

export function mayAccess(node: NodeRecord, affiliation: Affiliation, relation: ContactRelation | undefined): boolean {
  try {
    checkAccess(node, affiliation, relation);
    return true;
  } catch {
    return false;
  }
}

/** §7.1.3.1 and pubsub#publish_model. */
export function mayPublish(node: NodeRecord, affiliation: Affiliation, subscribed: boolean): boolean {
  if (affiliation === "owner" || affiliation === "publisher" || affiliation === "publish-only") return true;
  if (affiliation === "outcast") return false;
  switch (node.config.publishModel) {
    case "publishers":
      return false;
    case "subscribers":
      return subscribed || affiliation === "member";
    case "open":
      return true;
  }
}

/** §7.2: owners and publishers retract any item; publish-only entities (and open publishers) their own. */
export function mayRetract(affiliation: Affiliation, ownItem: boolean, mayPublishHere: boolean): boolean {
  if (affiliation === "owner" || affiliation === "publisher") return true;
  return ownItem && mayPublishHere;
}
