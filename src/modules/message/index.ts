// Message delivery (RFC 6121 §8.5): to a full JID, to a bare JID (every available resource with a
// non-negative priority), offline fallback through the `message/offline/handle` event, and the
// RFC's error replies for unknown users and unavailable resources.
import type { StanzaEvent } from "../../router/events.js";
import { Priority } from "../../router/priority.js";
import type { ModuleContext, ServerModule } from "../../server/module-api.js";
import { StanzaError } from "../../stanza/errors.js";
import { messageType } from "../../stanza/stanza.js";
import type { Session } from "../../stream/session.js";

/** Fired when a message for an existing account finds no available resource; the offline module claims it. */
export const OFFLINE_EVENT = "message/offline/handle";

export const messageModule: ServerModule = {
  name: "message",
  setup(ctx) {
    ctx.hook<StanzaEvent>("message/full", (ev) => {
      const session = ctx.sessions.get(ev.to.local, ev.to.resource);
      if (session) {
        session.send(ev.stanza);
        return true;
      }
      // §8.5.3.2.1: the resource is gone.
      switch (messageType(ev.stanza)) {
        case "chat":
        case "normal":
          return toBare(ctx, ev);
        case "groupchat":
          return new StanzaError("service-unavailable");
        default:
          return true; // headline and error: silently ignored
      }
    }, Priority.DEFAULT);

    for (const addr of ["bare", "self"] as const) {
      ctx.hook<StanzaEvent>(`message/${addr}`, (ev) => toBare(ctx, ev), Priority.DEFAULT);
    }
  },
};

/** §8.5.2: a message to the bare JID of a local account. */
function toBare(ctx: ModuleContext, ev: StanzaEvent): true | StanzaError {
  const type = messageType(ev.stanza);
  const user = ev.to.local;
  // Available resources first: a bound session proves the account exists, so the common case
  // (recipient online) needs no storage read — userExists is a SQLite lookup that cost about
  // 15 µs per message in bench W3. Errors to a bare JID also go to available resources.
  if (type !== "groupchat") {
    const targets = available(ctx, user);
    if (targets.length > 0) {
      deliverAll(targets, ev);
      return true;
    }
  }
  if (!ctx.auth.userExists(user)) {
    // §8.5.2.2.1: no such account.
    return type === "error" || type === "headline" ? true : new StanzaError("service-unavailable");
  }
  if (type === "groupchat") return new StanzaError("service-unavailable");
  // No available resource: errors and headlines go nowhere (§8.5.2.2.1).
  if (type === "error" || type === "headline") return true;
  const stored = ctx.fire(OFFLINE_EVENT, ev);
  if (stored !== undefined) return stored === true ? true : (stored as StanzaError);
  return new StanzaError("service-unavailable");
}

/** Resources that sent available presence with a non-negative priority (§8.5.2.1.1). */
function available(ctx: ModuleContext, user: string): Session[] {
  return ctx.sessions.forUser(user).filter((s) => s.presence !== undefined && s.priority >= 0);
}

function deliverAll(sessions: Session[], ev: StanzaEvent): void {
  if (sessions.length === 0) return;
  // Serialise once for all recipients.
  const xml = ev.stanza.toString();
  for (const s of sessions) s.send(xml);
}
