// Resource binding (RFC 6120 §7) and the legacy session establishment older clients still send
// (RFC 3921 §3, kept as an optional no-op per draft-cridland-xmpp-session).
import { randomBytes } from "node:crypto";
import { Jid } from "../../jid/jid.js";
import type { NonzaEvent, StreamFeaturesEvent } from "../../router/events.js";
import type { ServerModule } from "../../server/module-api.js";
import { errorReply, StanzaError } from "../../stanza/errors.js";
import { iqResult, iqType } from "../../stanza/stanza.js";
import { x } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";

export const bindModule: ServerModule = {
  name: "bind",
  setup(ctx) {
    ctx.hook<StreamFeaturesEvent>("stream-features", ({ session, features }) => {
      if (session.state !== "authenticated") return;
      features.append(x("bind", { xmlns: NS.BIND }), x("session", { xmlns: NS.SESSION }, x("optional")));
    });

    // Before binding, the only stanza a client may send is the bind IQ itself.
    ctx.hook<NonzaEvent>(`stanza/${NS.CLIENT}:iq`, ({ session, el }) => {
      if (session.state !== "authenticated" || !session.username) return undefined;
      const bind = el.getChild("bind", NS.BIND);
      if (iqType(el) !== "set" || !bind) {
        session.send(errorReply(el, new StanzaError("not-authorized", "bind a resource first")));
        return true;
      }
      const requested = bind.getChildText("resource")?.trim();
      let jid: Jid;
      try {
        jid = requested ? Jid.parse(`${session.username}@${session.host}/${requested}`) : generated(session.username, session.host);
      } catch {
        session.send(errorReply(el, new StanzaError("bad-request", "invalid resource")));
        return true;
      }
      // A client-chosen resource that is taken: the new session replaces the old one (RFC 6120
      // §7.7.2.2 "override"), which the registry does on bind.
      session.bind(jid);
      session.send(iqResult(el, x("bind", { xmlns: NS.BIND }, x("jid", null, jid.toString()))));
      return true;
    });

    for (const addr of ["self", "host"] as const) ctx.iq("set", addr, NS.SESSION, "session", () => true);
  },
};

function generated(user: string, host: string): Jid {
  return Jid.of(user, host, "chatctl-" + randomBytes(6).toString("hex"));
}
