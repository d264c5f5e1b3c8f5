// Node discovery (XEP-0060 §5.1–§5.5): the nodes a requester may see, a node's identity and
// meta-data, and its items as disco items.
import type { PubSubService } from "../../services/pubsub/service.js";
import type { NodeRecord } from "../../services/pubsub/types.js";
import { StanzaError } from "../../stanza/errors.js";
import { x, type Element } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";
import { metaDataForm } from "./forms.js";
import { PUBSUB_NS } from "./ns.js";

/** Nodes of a service the requester may see (access model applied, owners see all). */
export function visibleNodes(service: PubSubService, key: string, requester: string): NodeRecord[] {
  return service.listNodes(key).filter((n) => service.mayRetrieve(key, n, requester));
}

/** §5.2: disco#items of the service: its nodes as items. */
export function nodeListItems(service: PubSubService, key: string, serviceJid: string, requester: string): Element[] {
  return visibleNodes(service, key, requester).map((n) => x("item", { jid: serviceJid, node: n.name, name: n.config.title || undefined }));
}

/** §5.3/§5.4: disco#info of a node (a leaf) with its meta-data; item-not-found when hidden. */
export function nodeInfo(service: PubSubService, key: string, nodeName: string, requester: string): Element | StanzaError {
  const node = service.getNode(key, nodeName);
  if (!node || !service.mayRetrieve(key, node, requester)) return new StanzaError("item-not-found");
  return x(
    "query",
    { xmlns: NS.DISCO_INFO, node: node.name },
    x("identity", { category: "pubsub", type: "leaf" }),
    x("feature", { var: PUBSUB_NS.PUBSUB }),
    metaDataForm(node, service.owners(key, node)),
  );
}

/** §5.5: disco#items of a node: its items, named by id. */
export function nodeItems(service: PubSubService, key: string, nodeName: string, serviceJid: string, requester: string): Element | StanzaError {
  const node = service.getNode(key, nodeName);
  if (!node || !service.mayRetrieve(key, node, requester)) return new StanzaError("item-not-found");
  const items = service.store.listItems(key, node);
  return x("query", { xmlns: NS.DISCO_ITEMS, node: node.name }, items.map((i) => x("item", { jid: serviceJid, name: i.id })));
}
