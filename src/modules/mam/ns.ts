// The namespaces the archive and offline modules speak that src/xml/ns.ts does not list yet.
// They belong in NS (STYLE-ANCHORS §4.3: "never inline a namespace string"); until the owner of
// ns.ts merges them, this is their one place, and both modules import them from here.
export const ARCHIVE_NS = {
  /** XEP-0313 Message Archive Management (queries, results, fin, metadata) and XEP-0441 prefs. */
  MAM: "urn:xmpp:mam:2",
  /** XEP-0313 §7: before-id/after-id/ids, flipped pages and archive metadata. */
  MAM_EXTENDED: "urn:xmpp:mam:2#extended",
  /** XEP-0059 Result Set Management. */
  RSM: "http://jabber.org/protocol/rsm",
  /** XEP-0297 Stanza Forwarding. */
  FORWARD: "urn:xmpp:forward:0",
  /** XEP-0359 Unique and Stable Stanza IDs. */
  SID: "urn:xmpp:sid:0",
  /** XEP-0334 Message Processing Hints. */
  HINTS: "urn:xmpp:hints",
  /** XEP-0122 Data Forms Validation (the open list of the 'ids' field). */
  XDATA_VALIDATE: "http://jabber.org/protocol/xdata-validate",
  /** XEP-0160: the disco feature of offline storage. */
  MSGOFFLINE: "msgoffline",
  /** XEP-0085 Chat State Notifications (content that is never stored). */
  CHATSTATES: "http://jabber.org/protocol/chatstates",
  /** Content worth storing without a body: */
  OMEMO_LEGACY: "eu.siacs.conversations.axolotl",
  OMEMO: "urn:xmpp:omemo:2",
  EME: "urn:xmpp:eme:0",
  OPENPGP: "urn:xmpp:openpgp:0",
  PGP_LEGACY: "jabber:x:encrypted",
  RECEIPTS: "urn:xmpp:receipts",
  MARKERS: "urn:xmpp:chat-markers:0",
  CONFERENCE_INVITE: "jabber:x:conference",
  MUC_USER: "http://jabber.org/protocol/muc#user",
  JINGLE_MESSAGE_0: "urn:xmpp:jingle-message:0",
  JINGLE_MESSAGE_1: "urn:xmpp:jingle-message:1",
  OOB: "jabber:x:oob",
  REACTIONS: "urn:xmpp:reactions:0",
  RETRACT: "urn:xmpp:message-retract:1",
} as const;
