// The namespaces of XEP-0060 publish-subscribe (and the PEP/caps ones the adapters need). Kept
// here, their one place, until src/xml/ns.ts lists them (STYLE-ANCHORS: never inline a namespace).
export const PUBSUB_NS = {
  PUBSUB: "http://jabber.org/protocol/pubsub",
  OWNER: "http://jabber.org/protocol/pubsub#owner",
  EVENT: "http://jabber.org/protocol/pubsub#event",
  ERRORS: "http://jabber.org/protocol/pubsub#errors",
  /** FORM_TYPE of the node configuration form (§16.4.3). */
  NODE_CONFIG: "http://jabber.org/protocol/pubsub#node_config",
  /** FORM_TYPE of publish-options (§16.4.5). */
  PUBLISH_OPTIONS: "http://jabber.org/protocol/pubsub#publish-options",
  /** FORM_TYPE of node meta-data in disco#info (§16.4.4). */
  META_DATA: "http://jabber.org/protocol/pubsub#meta-data",
  /** XEP-0033 addresses, for PEP's replyto (XEP-0163 §4.3.1). */
  ADDRESS: "http://jabber.org/protocol/address",
} as const;

/** A pubsub feature name (§10), as disco lists it: http://jabber.org/protocol/pubsub#<name>. */
export function pubsubFeature(name: string): string {
  return `${PUBSUB_NS.PUBSUB}#${name}`;
}

/** What both the component and PEP implement (§10 "Feature Registry"). */
export const COMMON_FEATURES: readonly string[] = [
  "access-open", "access-presence", "access-roster", "access-whitelist", "config-node", "config-node-max",
  "create-and-configure", "create-nodes", "delete-items", "delete-nodes", "item-ids", "last-published",
  "manage-affiliations", "manage-subscriptions", "member-affiliation", "meta-data", "modify-affiliations",
  "outcast-affiliation", "persistent-items", "publish", "publish-affiliation", "publish-only-affiliation",
  "publish-options", "purge-nodes", "retract-items", "retrieve-affiliations", "retrieve-default",
  "retrieve-items", "retrieve-subscriptions", "subscribe",
].map(pubsubFeature);
