// Presence broadcasts (RFC 6121 §4.2 initial presence, §4.4 updates, §4.5 unavailable) and the
// end of a session, which is an unavailable presence the client did not get to send.
import { Jid } from "../../jid/jid.js";
import type { RosterItem } from "../../services/roster.js";
import { StanzaError } from "../../stanza/errors.js";
import { presenceType } from "../../stanza/stanza.js";
import type { Session } from "../../stream/session.js";
import { type Element, x } from "../../xml/element.js";
import { addressed, clientChildren, parsePriority, type PresenceEnv } from "./env.js";
import { probeContacts } from "./probes.js";
import { pendingRequests } from "./subscriptions.js";

/** `presence/self`: a presence without 'to' from one of our clients is a broadcast. */
export function onBroadcast(env: PresenceEnv, session: Session, stanza: Element): true {
  switch (presenceType(stanza)) {
    case "available":
      becomeAvailable(env, session, stanza);
      break;
    case "unavailable":
      becomeUnavailable(env, session, stanza, true);
      break;
    case undefined:
      // §4.7.1: a type nobody defined.
      env.replyError(session, stanza, new StanzaError("bad-request", "unknown presence type"));
      break;
    default:
      // Subscription stanzas, probes and errors need an addressee; without one there is nothing to do.
      break;
  }
  return true;
}

/** §4.2.2 (initial presence) and §4.4.2 (presence update). */
function becomeAvailable(env: PresenceEnv, session: Session, stanza: Element): void {
  const me = session.jid;
  if (!me) return;
  const initial = session.presence === undefined;
  const pres = stanza.clone();
  delete pres.attrs.to;
  pres.attrs.from = me.toString();
  // Set before anything is sent: the message router and probe answers read it.
  session.presence = pres;
  session.priority = parsePriority(pres);

  const user = me.local;
  // Roster keys are the bare JIDs Jid.toString() wrote: addresses as they stand.
  const contacts = env.roster.all(user);
  for (const [jid, item] of contacts) if (hasFrom(item)) env.ctx.route(addressed(pres, me, jid));
  // Every available resource of the account, the sender included, sees the presence.
  for (const s of env.available(user)) if (s.jid) s.send(addressed(pres, me, s.jid));
  if (!initial) return;

  // The new resource learns about its siblings, its contacts, and the requests still unanswered.
  for (const s of env.available(user)) {
    if (s !== session && s.jid && s.presence) session.send(addressed(s.presence, s.jid, me));
  }
  const probed: Jid[] = [];
  for (const [key, item] of contacts) {
    const jid = hasTo(item) ? Jid.tryParse(key) : undefined;
    if (jid) probed.push(jid);
  }
  probeContacts(env, session, probed);
  for (const request of pendingRequests(env, me.bare())) session.send(request);
}

/**
 * §4.5.2: unavailable to the subscribers, the account's resources and every entity the session
 * sent directed presence to (§4.6.3). `echo` also sends it to the session itself, which a client
 * that is still connected expects; a session that has ended gets nothing more.
 */
function becomeUnavailable(env: PresenceEnv, session: Session, stanza: Element, echo: boolean): void {
  const me = session.jid;
  if (!me) return;
  const pres = stanza.clone();
  delete pres.attrs.to;
  pres.attrs.from = me.toString();
  const directed = env.takeDirected(session);
  const sent = new Set<string>();
  if (session.presence !== undefined) {
    if (echo) session.presence = undefined;
    const user = me.local;
    for (const [jid, item] of env.roster.all(user)) {
      if (!hasFrom(item)) continue;
      env.ctx.route(addressed(pres, me, jid));
      sent.add(jid);
    }
    for (const s of env.available(user)) if (s !== session && s.jid) s.send(addressed(pres, me, s.jid));
    if (echo) session.send(addressed(pres, me, me));
  }
  for (const target of directed) if (!sent.has(target)) env.ctx.route(addressed(pres, me, target));
}

/**
 * `resource-unbind`: the session is gone (already out of the registry), so whoever saw it
 * available hears it go, with the status it last had. Its `presence` is left in place for later
 * observers of the same event (last activity reads the status); nothing routes to it any more.
 */
export function onSessionEnd(env: PresenceEnv, session: Session): void {
  if (!session.jid) return;
  const unavailable = x("presence", { type: "unavailable" });
  if (session.presence) unavailable.append(...clientChildren(session.presence, "status").map((s) => s.clone()));
  becomeUnavailable(env, session, unavailable, false);
}

/** Directed presence (§4.6): remembered so the entity hears when the session goes away. */
export function trackDirected(env: PresenceEnv, session: Session, to: Jid, available: boolean): void {
  const me = session.jid;
  if (!me || to.bare().equals(me.bare())) return;
  const targets = env.directedTargets(session);
  if (available) targets.add(to.toString());
  else targets.delete(to.toString());
}

function hasFrom(item: RosterItem): boolean {
  return item.subscription === "from" || item.subscription === "both";
}

function hasTo(item: RosterItem): boolean {
  return item.subscription === "to" || item.subscription === "both";
}
