// Presence (RFC 6121 §3 subscriptions, §4 exchanging presence).
//
// References:
//   https://xmpp.org/rfcs/rfc6121.html#sub          subscription requests, approvals, cancellations
//   https://xmpp.org/rfcs/rfc6121.html#presence     initial presence, probes, updates, directed presence
//   https://xmpp.org/rfcs/rfc6121.html#substates    Appendix A state tables (services/roster.ts)
//
// Keeps `session.presence` / `session.priority` current for the message router, stores roster
// changes through services/roster.ts (the roster module pushes them), and persists unanswered
// subscription requests in the roster store. Subscription pre-approval (§3.4) is not offered, so
// the `urn:xmpp:features:pre-approval` stream feature is deliberately not advertised.
import type { SessionUnbindEvent, StanzaEvent } from "../../router/events.js";
import { Priority } from "../../router/priority.js";
import type { ServerModule } from "../../server/module-api.js";
import { onBroadcast, onSessionEnd } from "./broadcast.js";
import { PresenceEnv } from "./env.js";
import { onInbound, onOutbound } from "./routing.js";

export const presenceModule: ServerModule = {
  name: "presence",
  setup(ctx) {
    const env = new PresenceEnv(ctx);

    // What our clients send.
    ctx.hook<StanzaEvent>("presence/self", (ev) => (ev.origin ? onBroadcast(env, ev.origin, ev.stanza) : true), Priority.DEFAULT);
    for (const addr of ["bare", "full", "host"] as const) {
      ctx.hook<StanzaEvent>(`pre-presence/${addr}`, (ev) => onOutbound(env, ev), Priority.DEFAULT);
    }

    // What arrives for our accounts.
    ctx.hook<StanzaEvent>("presence/bare", (ev) => onInbound(env, ev, false), Priority.DEFAULT);
    ctx.hook<StanzaEvent>("presence/full", (ev) => onInbound(env, ev, true), Priority.DEFAULT);
    // Presence for the server itself (probes of the domain, directed presence to it) needs no answer.
    ctx.hook<StanzaEvent>("presence/host", () => true, Priority.DEFAULT);

    ctx.hook<SessionUnbindEvent>("resource-unbind", ({ session }) => {
      onSessionEnd(env, session);
      return undefined;
    }, Priority.DEFAULT);
  },
};
