// Roster management (RFC 6121 §2) with roster versioning (§2.6, XEP-0237).
//
// References:
//   https://xmpp.org/rfcs/rfc6121.html#roster          roster get, set, push, remove
//   https://xmpp.org/rfcs/rfc6121.html#roster-versioning
//
// Serves the account's own roster get/set, advertises <ver/> in the stream features, and pushes
// every visible change (its own and the presence module's, announced as `roster-item-changed`) to
// the account's interested resources: the sessions that asked for the roster (§2.2).
import { randomBytes } from "node:crypto";
import { Jid } from "../../jid/jid.js";
import type { StreamFeaturesEvent, UserEvent } from "../../router/events.js";
import { Priority } from "../../router/priority.js";
import type { ModuleContext, ServerModule } from "../../server/module-api.js";
import {
  newItem,
  ROSTER_ITEM_CHANGED,
  ROSTER_STORE,
  ROSTER_VERSION_STORE,
  RosterService,
  type RosterChange,
  type RosterItem,
} from "../../services/roster.js";
import { StanzaError } from "../../stanza/errors.js";
import type { Session } from "../../stream/session.js";
import { x } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";
import { parseRosterSet, renderItem } from "./items.js";

export const rosterModule: ServerModule = {
  name: "roster",
  setup(ctx) {
    const roster = new RosterService(ctx.map(ROSTER_STORE), ctx.keyval(ROSTER_VERSION_STORE));
    /** Sessions that requested the roster: only they get pushes (§2.1.6). */
    const interested = new WeakSet<Session>();
    const pushIds = pushIdSource();

    const save = (user: string, contact: string, item: RosterItem | undefined): void => {
      const change = roster.put(user, contact, item);
      if (change) ctx.fire<RosterChange>(ROSTER_ITEM_CHANGED, change);
    };

    ctx.hook<StreamFeaturesEvent>("stream-features", ({ session, features }) => {
      if (session.state === "authenticated" || session.state === "bound") features.append(x("ver", { xmlns: NS.ROSTER_VER }));
      return undefined;
    }, Priority.DEFAULT);

    // §2.1.3 roster get; §2.6.3: a client whose cached version is current gets an empty result.
    ctx.iq("get", "self", NS.ROSTER, "query", ({ payload, from, origin }) => {
      const user = from.local;
      if (origin) interested.add(origin);
      const version = roster.version(user);
      if (payload.attrs.ver !== undefined && payload.attrs.ver === version) return true;
      return x("query", { xmlns: NS.ROSTER, ver: version }, roster.visible(user).map(([jid, item]) => renderItem(jid, item)));
    });

    // §2.3 add/update, §2.5 remove.
    ctx.iq("set", "self", NS.ROSTER, "query", ({ payload, from }) => {
      const user = from.local;
      const req = parseRosterSet(payload);
      if (req instanceof StanzaError) return req;
      const key = req.jid.toString();
      const existing = roster.get(user, key);
      if (req.kind === "remove") {
        // §2.5.3: removing what the roster does not hold.
        if (!existing || existing.hidden) return new StanzaError("item-not-found");
        save(user, key, undefined);
        cancelSubscriptions(ctx, Jid.of(user, ctx.host), req.jid, existing);
        return true;
      }
      const next: RosterItem = { ...(existing ?? newItem()), groups: req.groups };
      if (req.name === undefined) delete next.name;
      else next.name = req.name;
      // Adding a contact that only had an unanswered request makes it part of the roster.
      delete next.hidden;
      save(user, key, next);
      return true;
    });

    // Another account's roster is not ours to read (RFC 6121 §2.1.3) or write (§2.3.3 <forbidden/>).
    ctx.iq("get", "bare", NS.ROSTER, "query", () => new StanzaError("service-unavailable"));
    ctx.iq("set", "bare", NS.ROSTER, "query", () => new StanzaError("forbidden"));

    ctx.hook<RosterChange>(ROSTER_ITEM_CHANGED, (change) => {
      const query = x("query", { xmlns: NS.ROSTER, ver: change.version }, renderItem(change.jid, change.item));
      for (const session of ctx.sessions.forUser(change.username)) {
        if (!interested.has(session) || !session.jid) continue;
        // No 'from': a push comes from the account itself (§2.1.6).
        session.send(x("iq", { type: "set", id: pushIds(), to: session.jid.toString() }, query));
      }
      return undefined;
    }, Priority.DEFAULT);

    // An account that goes away cancels its subscriptions, so contacts' rosters do not keep
    // granting presence to whoever registers the name next, then its roster is dropped.
    ctx.hook<UserEvent>("user-deleted", ({ username }) => {
      const user = Jid.of(username, ctx.host);
      for (const [jid, item] of roster.all(username)) {
        const contact = Jid.tryParse(jid);
        if (contact) cancelSubscriptions(ctx, user, contact, item);
      }
      roster.deleteUser(username);
      return undefined;
    }, Priority.DEFAULT);
  },
};

/**
 * §2.5.2: removing an item cancels both directions: "unsubscribe" when the user was subscribed to
 * the contact (or asked to be), "unsubscribed" when the contact was subscribed to the user (or
 * asked to be), followed by unavailable presence from the user's available resources (§3.2.2).
 */
function cancelSubscriptions(ctx: ModuleContext, user: Jid, contact: Jid, item: RosterItem): void {
  const from = user.toString();
  const to = contact.toString();
  const subscribedTo = item.subscription === "to" || item.subscription === "both";
  const subscribedFrom = item.subscription === "from" || item.subscription === "both";
  if (subscribedTo || item.ask === "subscribe") ctx.route(x("presence", { type: "unsubscribe", from, to }));
  if (subscribedFrom || item.pendingIn) ctx.route(x("presence", { type: "unsubscribed", from, to }));
  if (!subscribedFrom) return;
  for (const session of ctx.sessions.forUser(user.local)) {
    if (session.presence !== undefined && session.jid) {
      ctx.route(x("presence", { type: "unavailable", from: session.jid.toString(), to }));
    }
  }
}

function pushIdSource(): () => string {
  const prefix = "push-" + randomBytes(3).toString("hex") + "-";
  let n = 0;
  return () => prefix + (++n).toString(36);
}
