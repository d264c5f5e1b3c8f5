// Presence drives PEP (XEP-0163 §2.4, §4.3.4): a contact's available presence to the account
// (with caps) makes it an implicit subscriber owed the last items; the owner's own resources are
// owed them too. Both hooks only observe: the presence module still handles the stanza.
import type { StanzaEvent } from "../../router/events.js";
import { presenceType } from "../../stanza/stanza.js";
import type { Session } from "../../stream/session.js";
import { capsKey, capsOf } from "./caps.js";
import type { PepEnv } from "./env.js";

/** `presence/bare` on the account: from a contact's resource. */
export function onContactPresence(env: PepEnv, ev: StanzaEvent): undefined {
  const user = ev.to.local;
  const from = ev.from;
  if (user === "" || from.resource === "" || from.bare().equals(ev.to)) return undefined;
  const contact = from.bare().toString();
  const full = from.toString();
  const type = presenceType(ev.stanza);
  if (type === "unavailable") {
    env.interest.remove(user, contact, full);
    return undefined;
  }
  if (type !== "available") return undefined;
  // Only contacts the owner shares presence with are implicit subscribers (XEP-0163 §4.1).
  const item = env.roster.get(user, contact);
  if (item?.subscription !== "from" && item?.subscription !== "both") return undefined;
  const caps = capsOf(ev.stanza);
  if (!env.interest.update(user, contact, full, caps) || !caps) return undefined;
  env.caps.ensure(full, caps, () => setImmediate(() => env.sendLastItems(user, full, caps)));
  return undefined;
}

/** `presence/self` from one of the owner's resources: its initial presence, or new caps. */
export function onOwnPresence(env: PepEnv, ev: StanzaEvent, seen: WeakMap<Session, string>): undefined {
  const session = ev.origin;
  const me = session?.jid;
  if (!session || !me || presenceType(ev.stanza) !== "available" || ev.stanza.attrs.to !== undefined) return undefined;
  const caps = capsOf(ev.stanza);
  if (!caps) return undefined;
  const key = capsKey(caps);
  if (session.presence !== undefined && seen.get(session) === key) return undefined;
  seen.set(session, key);
  const user = me.local;
  const full = me.toString();
  env.caps.ensure(full, caps, () => setImmediate(() => env.sendLastItems(user, full, caps)));
  return undefined;
}
