// Items and events as XML (XEP-0060 §6.5 items, §7.1.2.1 notifications): payloads are kept by
// the domain as serialized XML and parsed back here, through the restricted fragment parser.
import type { Item, NodeRecord, PubSubEvent } from "../../services/pubsub/types.js";
import { x, type Element } from "../../xml/element.js";
import { parseFragment } from "../../xml/fragment.js";
import { NS } from "../../xml/ns.js";
import { PUBSUB_NS } from "./ns.js";

/** The stored payload as an element (undefined when there is none or it no longer parses). */
export function payloadOf(item: Item): Element | undefined {
  return item.payload === undefined ? undefined : parseFragment(item.payload);
}

/** An <item/> as items results and notifications carry it. */
export function itemElement(item: Item, withPayload: boolean, publisher = false): Element {
  return x("item", { id: item.id, publisher: publisher && item.publisher ? item.publisher : undefined }, withPayload ? payloadOf(item) : undefined);
}

/** §7.1.2.1: the event for a published item. */
export function publishEvent(node: NodeRecord, item: Item): Element {
  return x("event", { xmlns: PUBSUB_NS.EVENT }, x("items", { node: node.name }, itemElement(item, node.config.deliverPayloads)));
}

/** §7.2.2.1 */
export function retractEvent(node: NodeRecord, ids: readonly string[]): Element {
  return x("event", { xmlns: PUBSUB_NS.EVENT }, x("items", { node: node.name }, ids.map((id) => x("retract", { id }))));
}

/** §8.5.2 */
export function purgeEvent(node: NodeRecord): Element {
  return x("event", { xmlns: PUBSUB_NS.EVENT }, x("purge", { node: node.name }));
}

/** §8.4.2 */
export function deleteEvent(node: NodeRecord, redirect?: string): Element {
  return x("event", { xmlns: PUBSUB_NS.EVENT }, x("delete", { node: node.name }, redirect !== undefined && x("redirect", { uri: redirect })));
}

/** §8.2.2 (notification without the configuration form: pubsub#deliver_payloads decides the rest). */
export function configEvent(node: NodeRecord): Element {
  return x("event", { xmlns: PUBSUB_NS.EVENT }, x("configuration", { node: node.name }));
}

let counter = 0;

/** A notification message; the last published item carries its original time (XEP-0203). */
export function notification(from: string, to: string, event: Element, node: NodeRecord, delayed?: Item): Element {
  counter = (counter + 1) % 1e9;
  return x(
    "message",
    { from, to, type: node.config.notificationType === "normal" ? undefined : "headline", id: `ps${Date.now().toString(36)}${counter.toString(36)}` },
    event,
    delayed && x("delay", { xmlns: NS.DELAY, stamp: new Date(delayed.published).toISOString(), from }),
  );
}

/** The event element an adapter sends for a domain event (undefined: nobody is told). */
export function eventElement(ev: PubSubEvent): Element | undefined {
  const c = ev.node.config;
  if (!c.deliverNotifications) return undefined;
  switch (ev.kind) {
    case "publish":
      return publishEvent(ev.node, ev.item);
    case "retract":
      return retractEvent(ev.node, ev.ids);
    case "purge":
      return purgeEvent(ev.node);
    case "delete":
      return c.notifyDelete ? deleteEvent(ev.node, ev.redirect) : undefined;
    case "config":
      return c.notifyConfig ? configEvent(ev.node) : undefined;
  }
}
