// Addressed presence: what our clients send to someone (`pre-presence/<bare|full|host>`, before
// the router delivers it) and what arrives for our accounts (`presence/<bare|full>`), per RFC 6121
// §8.5 delivery rules.
import type { StanzaEvent } from "../../router/events.js";
import type { SubscriptionType } from "../../services/roster.js";
import { StanzaError } from "../../stanza/errors.js";
import { presenceType, type PresenceType } from "../../stanza/stanza.js";
import { trackDirected } from "./broadcast.js";
import { addressed, type PresenceEnv } from "./env.js";
import { answerProbe } from "./probes.js";
import { inboundSubscription, outboundSubscription } from "./subscriptions.js";

function isSubscription(t: PresenceType): t is SubscriptionType {
  return t === "subscribe" || t === "subscribed" || t === "unsubscribe" || t === "unsubscribed";
}

/**
 * A presence with a 'to' from one of our clients. Subscription stanzas and probes are processed
 * and re-sent by the server (claimed here); directed presence is noted and left to the router.
 */
export function onOutbound(env: PresenceEnv, ev: StanzaEvent): true | undefined {
  const session = ev.origin;
  if (!session?.jid) return undefined;
  const type = presenceType(ev.stanza);
  if (type === undefined) {
    env.replyError(session, ev.stanza, new StanzaError("bad-request", "unknown presence type"));
    return true;
  }
  if (type === "available" || type === "unavailable") {
    trackDirected(env, session, ev.to, type === "available");
    return undefined;
  }
  if (type === "error") return undefined;
  const user = session.jid.bare();
  if (type === "probe") {
    // §4.3: clients should leave probing to the server; when one does, it probes as the account.
    env.ctx.route(addressed(ev.stanza, user, ev.to));
    return true;
  }
  // §3.1.2: subscriptions are between bare JIDs, whatever the client addressed.
  outboundSubscription(env, user, ev.to.bare(), type, ev.stanza);
  return true;
}

/** A presence for one of our accounts, from a local client, a module or another server. */
export function onInbound(env: PresenceEnv, ev: StanzaEvent, full: boolean): true {
  const type = presenceType(ev.stanza);
  if (type === undefined) {
    env.bounce(ev.stanza, new StanzaError("bad-request", "unknown presence type"));
    return true;
  }
  const user = ev.to.local;
  if (type === "available" || type === "unavailable" || type === "error") {
    if (full) {
      // §8.5.3.1: to that resource; §8.5.3.2.1: dropped when it is gone.
      env.ctx.sessions.get(user, ev.to.resource)?.send(ev.stanza);
    } else {
      // §8.5.2.1.1: to every available resource; §8.5.2.2.1: dropped when there is none.
      for (const s of env.available(user)) s.send(ev.stanza);
    }
    return true;
  }
  // Probes and subscription stanzas are about the account, whichever resource they name (§8.5.3).
  if (type === "probe") answerProbe(env, user, ev.from, (el) => env.ctx.route(el));
  else if (isSubscription(type)) inboundSubscription(env, ev.to.bare(), ev.from.bare(), type, ev.stanza);
  return true;
}
