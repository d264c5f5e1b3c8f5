// Presence probes (RFC 6121 §4.3): the ones an initial presence sends, and the answers an
// account's server gives.
import type { Jid } from "../../jid/jid.js";
import type { Session } from "../../stream/session.js";
import { type Element, x } from "../../xml/element.js";
import type { PresenceEnv } from "./env.js";

/**
 * §4.3.2: the answer to a probe from `prober` for a local account, handed to `send`. Only a
 * subscriber (or the account itself) learns anything; anyone else gets "unsubscribed", which also
 * brings a prober whose roster is out of date back in line (§8.5.1 for unknown accounts).
 */
export function answerProbe(env: PresenceEnv, user: string, prober: Jid, send: (el: Element) => void): void {
  const account = env.account(user);
  const proberBare = prober.bare();
  if (!proberBare.equals(account)) {
    const item = env.ctx.auth.userExists(user) ? env.roster.get(user, proberBare.toString()) : undefined;
    if (item?.subscription !== "from" && item?.subscription !== "both") {
      send(x("presence", { type: "unsubscribed", from: account.toString(), to: proberBare.toString() }));
      return;
    }
  }
  if (env.sendCurrentPresence(user, prober, send) === 0) send(env.lastUnavailable(user, prober));
}

/**
 * §4.2.2: on initial presence, learn the presence of every contact the account is subscribed to.
 * Local contacts are answered on the spot, to the new resource only (the others already know);
 * remote ones get a probe from the bare JID and answer it to the bare JID.
 */
export function probeContacts(env: PresenceEnv, session: Session, contacts: Jid[]): void {
  const me = session.jid;
  if (!me) return;
  const account = me.bare();
  for (const contact of contacts) {
    if (contact.domain === env.ctx.host && contact.local !== "") {
      answerProbe(env, contact.local, account, (el) => {
        // An out-of-sync subscription goes through normal processing, which repairs the roster.
        if (el.attrs.type === "unsubscribed") env.ctx.route(el);
        else {
          el.attrs.to = me.toString();
          session.send(el);
        }
      });
    } else {
      env.ctx.route(x("presence", { type: "probe", from: account.toString(), to: contact.toString() }));
    }
  }
}
