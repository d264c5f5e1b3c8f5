// The namespaces group chat speaks that src/xml/ns.ts does not list yet. They belong in NS
// (STYLE-ANCHORS §4.3: "never inline a namespace string"); until the owner of ns.ts merges them,
// this is their one place and every MUC file imports them from here.
export const MUC_NS = {
  /** XEP-0045 §7.2: the join element. */
  MUC: "http://jabber.org/protocol/muc",
  /** XEP-0045 §7.2.2 etc.: occupant items, status codes, invitations, destroy notices. */
  USER: "http://jabber.org/protocol/muc#user",
  /** XEP-0045 §9, §8: affiliation and role changes and lists. */
  ADMIN: "http://jabber.org/protocol/muc#admin",
  /** XEP-0045 §10: room configuration and destruction. */
  OWNER: "http://jabber.org/protocol/muc#owner",
  /** XEP-0045 §15.5.3: FORM_TYPE of the configuration form. */
  ROOMCONFIG: "http://jabber.org/protocol/muc#roomconfig",
  /** XEP-0045 §15.5.4: FORM_TYPE of the extended room information. */
  ROOMINFO: "http://jabber.org/protocol/muc#roominfo",
  /** XEP-0410 §4: the service answers self-pings itself. */
  SELF_PING: "http://jabber.org/protocol/muc#self-ping-optimization",
  /** XEP-0359 unique and stable stanza IDs, which the room stamps on what it reflects. */
  SID: "urn:xmpp:sid:0",
  /** XEP-0045 §16.3 / XEP-0359: the room's stanza-id on reflected messages is stable. */
  STABLE_ID: "http://jabber.org/protocol/muc#stable_id",
  /** XEP-0249 direct invitations (carried alongside mediated ones for clients that prefer them). */
  CONFERENCE: "jabber:x:conference",
} as const;
