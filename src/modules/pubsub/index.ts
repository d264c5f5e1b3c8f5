// Publish-subscribe service (XEP-0060) on pubsub.<domain>: a thin adapter between the XML
// protocol (requests.ts, owner.ts, disco.ts) and the domain service in src/services/pubsub.
//
// References:
//   https://xmpp.org/extensions/xep-0060.html   publish-subscribe
//   https://xmpp.org/extensions/xep-0223.html   persistent storage of private data via pubsub
import type { StanzaEvent } from "../../router/events.js";
import { Priority } from "../../router/priority.js";
import { DISCO_ITEMS_EVENT, type DiscoItemsEvent } from "../../server/components.js";
import type { ModuleContext, ServerModule } from "../../server/module-api.js";
import { defaultNodeConfig } from "../../services/pubsub/config.js";
import { bareOf, PubSubService } from "../../services/pubsub/service.js";
import { ITEMS_STORE, NODES_STORE } from "../../services/pubsub/store.js";
import type { Item, NodeRecord, PubSubEvent } from "../../services/pubsub/types.js";
import { NS } from "../../xml/ns.js";
import { nodeInfo, nodeItems, nodeListItems } from "./disco.js";
import type { PubSubEndpoint } from "./endpoint.js";
import { replyFromHook } from "./iq-hook.js";
import { eventElement, notification, publishEvent } from "./items.js";
import { pubsubLimits } from "./limits.js";
import { COMMON_FEATURES, PUBSUB_NS } from "./ns.js";
import { ownerGet, ownerSet } from "./owner.js";
import { rosterOf, rosterRelation } from "./relation.js";
import { pubsubGet, pubsubSet } from "./requests.js";

export const pubsubComponentModule: ServerModule = {
  name: "pubsub",
  setup(ctx) {
    const serviceJid = ctx.host;
    const mainDomain = ctx.config.domain;
    const roster = rosterOf(ctx.storage, mainDomain);
    const service: PubSubService = new PubSubService({
      nodes: ctx.map(NODES_STORE),
      items: ctx.map(ITEMS_STORE),
      limits: pubsubLimits(ctx.config),
      defaults: () => defaultNodeConfig(),
      relation: rosterRelation(roster, mainDomain),
      onEvent: (ev) => notifySubscribers(ctx, service, ev),
      transaction: (fn) => ctx.storage.transaction(fn),
    });

    const endpoint: PubSubEndpoint = {
      service,
      key: () => serviceJid,
      autoCreate: false,
      mayCreate: (_key, actor) => ctx.config.pubsub.nodeCreation === "anyone" || actor.domain === mainDomain,
      sendLastItem: (key, node, item, to) => sendLast(ctx, serviceJid, node, item, to),
    };

    ctx.addIdentity({ category: "pubsub", type: "service", name: "Publish-Subscribe" });
    ctx.addFeature(PUBSUB_NS.PUBSUB);
    for (const f of COMMON_FEATURES) ctx.addFeature(f);
    ctx.addFeature(`${PUBSUB_NS.PUBSUB}#instant-nodes`);

    ctx.iq("set", "host", PUBSUB_NS.PUBSUB, "pubsub", (req) => pubsubSet(endpoint, req));
    ctx.iq("get", "host", PUBSUB_NS.PUBSUB, "pubsub", (req) => pubsubGet(endpoint, req));
    ctx.iq("set", "host", PUBSUB_NS.OWNER, "pubsub", (req) => ownerSet(endpoint, req));
    ctx.iq("get", "host", PUBSUB_NS.OWNER, "pubsub", (req) => ownerGet(endpoint, req));

    // §5.2: the nodes are the service's disco items.
    ctx.hook<DiscoItemsEvent>(DISCO_ITEMS_EVENT, (ev) => {
      ev.items.push(...nodeListItems(service, serviceJid, serviceJid, ev.from.bare().toString()).map((el) => ({ jid: serviceJid, node: el.attrs.node, name: el.attrs.name })));
      return undefined;
    });
    // §5.3–§5.5: queries about one node (the generic component disco refuses every node).
    ctx.hook<StanzaEvent>(`iq-get/host/${NS.DISCO_INFO}:query`, (ev) => {
      const node = ev.stanza.elements[0]?.attrs.node;
      if (node === undefined) return undefined;
      return replyFromHook(ctx, ev, nodeInfo(service, serviceJid, node, ev.from.bare().toString()));
    }, Priority.FILTER);
    ctx.hook<StanzaEvent>(`iq-get/host/${NS.DISCO_ITEMS}:query`, (ev) => {
      const node = ev.stanza.elements[0]?.attrs.node;
      if (node === undefined) return undefined;
      return replyFromHook(ctx, ev, nodeItems(service, serviceJid, node, serviceJid, ev.from.bare().toString()));
    }, Priority.FILTER);
  },
};

/** Notifications to the node's subscribers that may still see the node (§7.1.2.1, §4.5). */
function notifySubscribers(ctx: ModuleContext, service: PubSubService, ev: PubSubEvent): void {
  const event = eventElement(ev);
  if (!event) return;
  for (const sub of ev.node.subscriptions) {
    if (!service.mayRetrieve(ev.service, ev.node, bareOf(sub.jid))) continue;
    ctx.route(notification(ctx.host, sub.jid, event.clone(), ev.node));
  }
}

function sendLast(ctx: ModuleContext, from: string, node: NodeRecord, item: Item, to: string): void {
  ctx.route(notification(from, to, publishEvent(node, item), node, item));
}
