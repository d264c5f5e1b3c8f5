// The <pubsub xmlns='http://jabber.org/protocol/pubsub'/> requests (XEP-0060 §5–§8.1): parse,
// call the domain, build the result. Refusals carry XEP-0060's conditions (errors.ts).
import { Jid } from "../../jid/jid.js";
import type { IqRequest } from "../../server/module-api.js";
import { StanzaError } from "../../stanza/errors.js";
import { x, type Element } from "../../xml/element.js";
import type { PubSubEndpoint } from "./endpoint.js";
import { guarded, pubsubError } from "./errors.js";
import { formIn, readSubmitted } from "./forms.js";
import { itemElement } from "./items.js";
import { PUBSUB_NS } from "./ns.js";

type Reply = Element | true | StanzaError;

/** iq-set <pubsub/>: create (+configure), subscribe, unsubscribe, publish (+publish-options), retract. */
export function pubsubSet(ep: PubSubEndpoint, req: IqRequest): Reply {
  const actions = req.payload.elements;
  const first = actions[0];
  if (!first) return new StanzaError("bad-request", "empty pubsub request");
  switch (first.name) {
    case "create":
      return create(ep, req, first, req.payload.getChild("configure"));
    case "subscribe":
      return subscribe(ep, req, first);
    case "unsubscribe":
      return unsubscribe(ep, req, first);
    case "publish":
      return publish(ep, req, first, req.payload.getChild("publish-options"));
    case "retract":
      return retract(ep, req, first);
    case "options":
      return pubsubError("feature-not-implemented", "unsupported", "subscription-options");
    default:
      return new StanzaError("feature-not-implemented", `unsupported pubsub request <${first.name}/>`);
  }
}

/** iq-get <pubsub/>: items, subscriptions, affiliations. */
export function pubsubGet(ep: PubSubEndpoint, req: IqRequest): Reply {
  const first = req.payload.elements[0];
  if (!first) return new StanzaError("bad-request", "empty pubsub request");
  switch (first.name) {
    case "items":
      return items(ep, req, first);
    case "subscriptions":
      return mySubscriptions(ep, req, first);
    case "affiliations":
      return myAffiliations(ep, req, first);
    case "options":
    case "default":
      return pubsubError("feature-not-implemented", "unsupported", "subscription-options");
    default:
      return new StanzaError("feature-not-implemented", `unsupported pubsub request <${first.name}/>`);
  }
}

function nodeOf(el: Element): string | StanzaError {
  const node = el.attrs.node;
  return node === undefined || node === "" ? pubsubError("bad-request", "nodeid-required") : node;
}

function actorOf(req: IqRequest): string {
  return req.from.bare().toString();
}

/** §8.1.1 / §8.1.2 instant nodes / §8.1.3 create-and-configure. */
function create(ep: PubSubEndpoint, req: IqRequest, el: Element, configure: Element | undefined): Reply {
  const key = ep.key(req.to);
  if (!ep.mayCreate(key, req.from)) return new StanzaError("forbidden", "you may not create nodes here");
  const config = readSubmitted(formIn(configure), PUBSUB_NS.NODE_CONFIG);
  if (config instanceof StanzaError) return config;
  const name = el.attrs.node === "" ? undefined : el.attrs.node;
  return guarded(() => {
    const node = ep.service.createNode(key, name, actorOf(req), config && config.size > 0 ? config : undefined);
    // §8.1.2: an instant node's generated name is told to its creator.
    return name === undefined ? x("pubsub", { xmlns: PUBSUB_NS.PUBSUB }, x("create", { node: node.name })) : true;
  });
}

/** The node and the subscriber's JID of a subscribe/unsubscribe request (§6.1.3, §6.2.3). */
function nodeAndJid(el: Element): { node: string; jid: Jid } | StanzaError {
  const node = nodeOf(el);
  if (node instanceof StanzaError) return node;
  const jidAttr = el.attrs.jid;
  if (jidAttr === undefined) return pubsubError("bad-request", "jid-required");
  const jid = Jid.tryParse(jidAttr);
  if (!jid) return pubsubError("bad-request", "invalid-jid");
  return { node, jid };
}

/** §6.1 */
function subscribe(ep: PubSubEndpoint, req: IqRequest, el: Element): Reply {
  const target = nodeAndJid(el);
  if (target instanceof StanzaError) return target;
  const { node, jid } = target;
  const key = ep.key(req.to);
  return guarded(() => {
    const { node: record, subscription } = ep.service.subscribe(key, node, actorOf(req), jid.toString());
    // §6.1.7: the last item follows the result (the reply is sent first: we answer synchronously
    // and deliver on the next tick).
    if (record.config.sendLastPublishedItem !== "never") {
      const last = ep.service.lastItem(key, record);
      if (last) setImmediate(() => ep.sendLastItem(key, record, last, subscription.jid));
    }
    return x(
      "pubsub",
      { xmlns: PUBSUB_NS.PUBSUB },
      x("subscription", { node, jid: subscription.jid, subid: subscription.subid, subscription: subscription.state }),
    );
  });
}

/** §6.2 */
function unsubscribe(ep: PubSubEndpoint, req: IqRequest, el: Element): Reply {
  const target = nodeAndJid(el);
  if (target instanceof StanzaError) return target;
  const { node, jid } = target;
  return guarded(() => {
    ep.service.unsubscribe(ep.key(req.to), node, actorOf(req), jid.toString(), el.attrs.subid);
    return true;
  });
}

/** §7.1 publish, §7.1.5 publish-options. */
function publish(ep: PubSubEndpoint, req: IqRequest, el: Element, publishOptions: Element | undefined): Reply {
  const node = nodeOf(el);
  if (node instanceof StanzaError) return node;
  const items = el.getChildren("item");
  if (items.length > 1) return pubsubError("bad-request", "invalid-payload");
  const item = items[0];
  // §7.1.3.5: nodes here persist items or deliver payloads unless configured otherwise, and the
  // domain refuses an empty publish to those; an absent <item/> is the XML-level form of that.
  if (!item) return pubsubError("bad-request", "item-required");
  const payloads = item.elements;
  if (payloads.length > 1) return pubsubError("bad-request", "invalid-payload");
  const options = readSubmitted(formIn(publishOptions), PUBSUB_NS.PUBLISH_OPTIONS);
  if (options instanceof StanzaError) return options;
  const id = item.attrs.id === "" ? undefined : item.attrs.id;
  return guarded(() => {
    const { item: published } = ep.service.publish(ep.key(req.to), node, actorOf(req), {
      id,
      payload: payloads[0]?.toString(),
      options,
      autoCreate: ep.autoCreate,
      publisherFull: req.from.toString(),
    });
    return x("pubsub", { xmlns: PUBSUB_NS.PUBSUB }, x("publish", { node }, x("item", { id: published.id })));
  });
}

/** §7.2 */
function retract(ep: PubSubEndpoint, req: IqRequest, el: Element): Reply {
  const node = nodeOf(el);
  if (node instanceof StanzaError) return node;
  const ids = el.getChildren("item").map((i) => i.attrs.id);
  if (ids.length === 0 || ids.some((id) => id === undefined || id === "")) return pubsubError("bad-request", "item-required");
  const notifyAttr = el.attrs.notify;
  const notify = notifyAttr === "1" || notifyAttr === "true" ? true : notifyAttr === "0" || notifyAttr === "false" ? false : undefined;
  return guarded(() => {
    ep.service.retract(ep.key(req.to), node, actorOf(req), ids as string[], notify);
    return true;
  });
}

/** §6.5: all items, the newest max_items, or specific ids. */
function items(ep: PubSubEndpoint, req: IqRequest, el: Element): Reply {
  const node = nodeOf(el);
  if (node instanceof StanzaError) return node;
  let max: number | undefined;
  if (el.attrs.max_items !== undefined) {
    if (!/^\d+$/.test(el.attrs.max_items)) return new StanzaError("bad-request", "max_items must be a number");
    max = Number(el.attrs.max_items);
  }
  const ids = el.getChildren("item").map((i) => i.attrs.id).filter((id): id is string => id !== undefined);
  return guarded(() => {
    const result = ep.service.getItems(ep.key(req.to), node, actorOf(req), { max, ids: ids.length ? ids : undefined });
    return x("pubsub", { xmlns: PUBSUB_NS.PUBSUB }, x("items", { node }, result.items.map((i) => itemElement(i, true))));
  });
}

/** §5.6 */
function mySubscriptions(ep: PubSubEndpoint, req: IqRequest, el: Element): Reply {
  return guarded(() => {
    const subs = ep.service.subscriptionsOf(ep.key(req.to), actorOf(req), el.attrs.node);
    return x(
      "pubsub",
      { xmlns: PUBSUB_NS.PUBSUB },
      x("subscriptions", { node: el.attrs.node }, subs.map((s) => x("subscription", { node: s.node, jid: s.subscription.jid, subid: s.subscription.subid, subscription: s.subscription.state }))),
    );
  });
}

/** §5.7 */
function myAffiliations(ep: PubSubEndpoint, req: IqRequest, el: Element): Reply {
  return guarded(() => {
    const affs = ep.service.affiliationsOf(ep.key(req.to), actorOf(req), el.attrs.node);
    return x("pubsub", { xmlns: PUBSUB_NS.PUBSUB }, x("affiliations", { node: el.attrs.node }, affs.map((a) => x("affiliation", { node: a.node, affiliation: a.affiliation }))));
  });
}
