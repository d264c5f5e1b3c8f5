// Which messages are worth keeping: in the user's archive (XEP-0313 §6.1.1, "Business Rules:
// User Archives") and in the offline queue (XEP-0160 §3, "Handling of Message Types"), with the
// sender's XEP-0334 hints. Shared by the mam and offline modules so both read a message the same way.
import { messageType } from "../../stanza/stanza.js";
import type { Element } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";
import { ARCHIVE_NS } from "./ns.js";

export interface Storability {
  /** May go into the permanent archive (MAM). */
  archive: boolean;
  /** May be held for an offline recipient. */
  offline: boolean;
}

const NEITHER: Storability = Object.freeze({ archive: false, offline: false });

/** Payload namespaces that make a message worth keeping without a <body/>. */
const CONTENT_NAMESPACES: ReadonlySet<string> = new Set([
  // Encrypted payloads: we cannot tell what they hold, so they count as content (OMEMO's
  // key-transport messages carry no body at all).
  ARCHIVE_NS.OMEMO_LEGACY,
  ARCHIVE_NS.OMEMO,
  ARCHIVE_NS.EME,
  ARCHIVE_NS.OPENPGP,
  ARCHIVE_NS.PGP_LEGACY,
  // Delivery receipts and read markers: dropping them makes a client show messages as undelivered.
  ARCHIVE_NS.RECEIPTS,
  ARCHIVE_NS.MARKERS,
  ARCHIVE_NS.CONFERENCE_INVITE,
  ARCHIVE_NS.JINGLE_MESSAGE_0,
  ARCHIVE_NS.JINGLE_MESSAGE_1,
  ARCHIVE_NS.OOB,
  ARCHIVE_NS.REACTIONS,
  ARCHIVE_NS.RETRACT,
]);

function hint(stanza: Element, name: "store" | "no-store" | "no-permanent-store"): boolean {
  return stanza.getChild(name, ARCHIVE_NS.HINTS) !== undefined;
}

/** A child in the stanza's own (jabber:client) namespace, as <body/> and <subject/> are. */
function hasClientChild(stanza: Element, name: string): boolean {
  return stanza.getChildren(name).some((c) => c.attrs.xmlns === undefined || c.attrs.xmlns === NS.CLIENT);
}

/** Meaningful content, as opposed to state changes such as chat states (XEP-0313 §3). */
export function hasContent(stanza: Element): boolean {
  if (hasClientChild(stanza, "body") || hasClientChild(stanza, "subject")) return true;
  for (const child of stanza.elements) {
    const ns = child.attrs.xmlns;
    if (ns === undefined) continue;
    if (CONTENT_NAMESPACES.has(ns)) return true;
    // A mediated MUC invitation (XEP-0045 §7.8.2) rides in muc#user, which otherwise only carries status.
    if (ns === ARCHIVE_NS.MUC_USER && child.getChild("invite") !== undefined) return true;
  }
  return false;
}

/**
 * Where a message may be kept.
 * - groupchat, headline and error messages are kept nowhere (XEP-0160 §3; RFC 6121 §8.5.2; a
 *   user archive does not hold groupchat messages here: the MUC service archives its rooms);
 * - <no-store/> forbids any storage, <no-permanent-store/> only the archive: its sender "may be
 *   happy for it to be stored temporarily as a normal part of delivery" (XEP-0334
 *   #usercases-sensitive, #no-permanent-store, #no-store);
 * - <store/> asks for storage whatever the content (XEP-0334 #store);
 * - otherwise chat and normal messages are kept when they carry content, so chat-state-only
 *   messages are not (XEP-0160 §3 "chat", XEP-0313 §6.1.1).
 */
export function storability(stanza: Element): Storability {
  const type = messageType(stanza);
  if (type !== "chat" && type !== "normal") return NEITHER;
  if (hint(stanza, "no-store")) return NEITHER;
  const wanted = hint(stanza, "store") || hasContent(stanza);
  if (!wanted) return NEITHER;
  return { archive: !hint(stanza, "no-permanent-store"), offline: true };
}
