// Personal Eventing Protocol (XEP-0163): every account is a pubsub service on its bare JID, a
// thin adapter over the domain service in src/services/pubsub, sharing the XML protocol layer of
// src/modules/pubsub with the pubsub component. Private storage (XEP-0223) is a node published
// with publish-options access_model=whitelist and persist_items=true.
//
// References:
//   https://xmpp.org/extensions/xep-0163.html   PEP: auto-create, auto-subscribe, filtered notifications
//   https://xmpp.org/extensions/xep-0060.html   the pubsub protocol itself
//   https://xmpp.org/extensions/xep-0115.html   entity capabilities (+notify filtering)
//   https://xmpp.org/extensions/xep-0223.html   persistent storage of private data
import type { StanzaEvent, UserEvent } from "../../router/events.js";
import { Priority } from "../../router/priority.js";
import type { ServerModule } from "../../server/module-api.js";
import { ROSTER_ITEM_CHANGED, type RosterChange } from "../../services/roster.js";
import { StanzaError } from "../../stanza/errors.js";
import type { Session } from "../../stream/session.js";
import type { PubSubEndpoint } from "../pubsub/endpoint.js";
import { notification, publishEvent } from "../pubsub/items.js";
import { COMMON_FEATURES, pubsubFeature, PUBSUB_NS } from "../pubsub/ns.js";
import { ownerGet, ownerSet } from "../pubsub/owner.js";
import { pubsubGet, pubsubSet } from "../pubsub/requests.js";
import { registerPepApi } from "./api-handlers.js";
import { registerPepDisco } from "./disco.js";
import { PepEnv } from "./env.js";
import { onContactPresence, onOwnPresence } from "./presence.js";

/** Features PEP has beyond the common pubsub ones (XEP-0163 §6.1, §8). */
const PEP_FEATURES = ["auto-create", "auto-subscribe", "filtered-notifications", "presence-notifications"].map(pubsubFeature);

export const pepModule: ServerModule = {
  name: "pep",
  setup(ctx) {
    const env = new PepEnv(ctx);
    ctx.onClose(() => env.caps.close());

    const endpoint: PubSubEndpoint = {
      service: env.service,
      key: (to) => to.local,
      autoCreate: true,
      // Only the account creates nodes on its own service (§2.2 one publisher per node).
      mayCreate: (key, actor) => actor.bare().toString() === env.ownerJid(key),
      sendLastItem: (key, node, item, to) => ctx.route(notification(env.ownerJid(key), to, publishEvent(node, item), node, item)),
    };

    ctx.addAccountIdentity({ category: "pubsub", type: "pep" });
    ctx.addAccountFeature(PUBSUB_NS.PUBSUB);
    for (const f of [...COMMON_FEATURES, ...PEP_FEATURES]) ctx.addAccountFeature(f);

    for (const addr of ["bare", "self"] as const) {
      const exists = (local: string) => ctx.auth.userExists(local);
      ctx.iq("set", addr, PUBSUB_NS.PUBSUB, "pubsub", (req) => (exists(req.to.local) ? pubsubSet(endpoint, req) : new StanzaError("service-unavailable")));
      ctx.iq("get", addr, PUBSUB_NS.PUBSUB, "pubsub", (req) => (exists(req.to.local) ? pubsubGet(endpoint, req) : new StanzaError("service-unavailable")));
      ctx.iq("set", addr, PUBSUB_NS.OWNER, "pubsub", (req) => (exists(req.to.local) ? ownerSet(endpoint, req) : new StanzaError("service-unavailable")));
      ctx.iq("get", addr, PUBSUB_NS.OWNER, "pubsub", (req) => (exists(req.to.local) ? ownerGet(endpoint, req) : new StanzaError("service-unavailable")));
    }
    registerPepDisco(env);
    registerPepApi(env);

    const seenCaps = new WeakMap<Session, string>();
    ctx.hook<StanzaEvent>("presence/bare", (ev) => onContactPresence(env, ev), Priority.FILTER);
    ctx.hook<StanzaEvent>("presence/self", (ev) => onOwnPresence(env, ev, seenCaps), Priority.FILTER);
    // Answers to our caps queries (disco#info sent from the host to a client).
    ctx.hook<StanzaEvent>("iq/host", (ev) => env.caps.onIq(ev), Priority.FILTER);

    ctx.hook<RosterChange>(ROSTER_ITEM_CHANGED, ({ username }) => {
      env.audience.forget(username);
      return undefined;
    });
    ctx.hook<UserEvent>("user-deleted", ({ username }) => {
      env.audience.forget(username);
      env.service.deleteService(username);
      env.interest.dropOwner(username);
      return undefined;
    });
  },
};
