// Presence subscriptions (RFC 6121 §3), both halves: this server as the user's server processing
// what its client sends, and as the contact's server processing what arrives for an account.
// The state tables (Appendix A) live in services/roster.ts; this file applies their verdicts.
import type { Jid } from "../../jid/jid.js";
import { inbound, outbound, type SubscriptionType } from "../../services/roster.js";
import { type Element, x } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";
import { addressed, type PresenceEnv } from "./env.js";
import { fromStored, toStored } from "./stored-stanza.js";

/**
 * A subscription stanza the account's own client sent to `contact` (§3.1.2, §3.1.5, §3.2.2,
 * §3.3.2): the server stamps the bare JIDs, updates and pushes the roster, and routes the stanza
 * when the state table says so.
 */
export function outboundSubscription(env: PresenceEnv, user: Jid, contact: Jid, type: SubscriptionType, stanza: Element): void {
  // One's own account is implicitly subscribed both ways; there is nothing to manage.
  if (contact.equals(user)) return;
  const key = contact.toString();
  const result = outbound(type, env.roster.get(user.local, key));
  if (result.changed) env.saveItem(user.local, key, result.item);
  if (!result.route) return;
  env.ctx.route(addressed(stanza, user, contact));
  // §3.1.5: an approval is followed by the user's current presence.
  if (type === "subscribed") env.sendCurrentPresence(user.local, contact);
  // §3.2.2: a cancelled subscription is followed by unavailable presence.
  if (result.lostFrom) env.sendUnavailable(user.local, contact);
}

/**
 * A subscription stanza `contact` sent to a local account (§3.1.3, §3.1.6, §3.2.3, §3.3.3):
 * roster update and push, delivery to the available resources, and the replies the server makes
 * on the account's behalf.
 */
export function inboundSubscription(env: PresenceEnv, user: Jid, contact: Jid, type: SubscriptionType, stanza: Element): void {
  if (contact.equals(user)) return;
  const ctx = env.ctx;
  if (!ctx.auth.userExists(user.local)) {
    // §8.5.1: no such account. A request is refused on its behalf; the rest is ignored.
    if (type === "subscribe") ctx.route(x("presence", { type: "unsubscribed", from: user.toString(), to: contact.toString() }));
    return;
  }
  const key = contact.toString();
  const result = inbound(type, env.roster.get(user.local, key));
  // Subscription stanzas travel between bare JIDs (§3.1.2), whatever the sender's server wrote.
  const delivered = addressed(stanza, contact, user);
  let item = result.item;
  if (type === "subscribe" && result.deliver && item) {
    // Kept until answered, and delivered again at each initial presence (§3.1.3), with the time
    // it arrived so the client can show it (XEP-0203).
    const kept = delivered.clone().append(x("delay", { xmlns: NS.DELAY, from: ctx.host, stamp: new Date().toISOString() }));
    item = { ...item, pendingStanza: toStored(kept) };
  }
  if (result.changed) env.saveItem(user.local, key, item);
  if (result.deliver) for (const s of env.available(user.local)) s.send(delivered);
  if (result.autoReply) {
    // §3.1.3: the contact is already approved; the contact's server must have lost track.
    ctx.route(x("presence", { type: "subscribed", from: user.toString(), to: key }));
    env.sendCurrentPresence(user.local, contact);
  }
  if (result.lostFrom) env.sendUnavailable(user.local, contact);
}

/** The unanswered subscription requests of an account, as they are to be delivered again (§3.1.3). */
export function pendingRequests(env: PresenceEnv, user: Jid): Element[] {
  const out: Element[] = [];
  for (const [jid, item] of env.roster.all(user.local)) {
    if (!item.pendingIn) continue;
    out.push(fromStored(item.pendingStanza) ?? x("presence", { type: "subscribe", from: jid, to: user.toString() }));
  }
  return out;
}
