// What the PEP feature tests need beyond a connected client: a client that advertises
// "<node>+notify" through entity capabilities (XEP-0115) and answers the server's disco#info
// about them, and a mutual presence subscription set up the way clients do it (RFC 6121 §3).
import { createHash } from "node:crypto";
import { connect, xml, type TestClient, type XmppElement } from "../helpers/client.js";

export const NS_PUBSUB = "http://jabber.org/protocol/pubsub";
export const NS_PUBSUB_EVENT = "http://jabber.org/protocol/pubsub#event";
const NS_CAPS = "http://jabber.org/protocol/caps";
const NS_DISCO_INFO = "http://jabber.org/protocol/disco#info";
const CAPS_NODE = "https://chatctl.test/pep-features";

export interface CapsClient extends TestClient {
  /** Resolves once the server has asked this client's disco#info (caps resolution). */
  discoAsked: Promise<void>;
}

/** XEP-0115 §5.1 verification string for one identity and a feature list, hashed with SHA-1. */
function capsVer(identity: { category: string; type: string; name: string }, features: string[]): string {
  let s = `${identity.category}/${identity.type}//${identity.name}<`;
  for (const f of [...features].sort()) s += f + "<";
  return createHash("sha1").update(s, "utf8").digest("base64");
}

/** Connects and sends initial presence with caps whose features include `<node>+notify` for each node. */
export async function connectWithCaps(opts: { port: number; username: string; password: string; resource?: string }, notify: string[]): Promise<CapsClient> {
  const client = await connect({ ...opts, presence: false });
  const identity = { category: "client", type: "pc", name: "chatctl pep-features test" };
  const features = [NS_DISCO_INFO, NS_CAPS, ...notify.map((n) => n + "+notify")];
  const ver = capsVer(identity, features);
  let asked!: () => void;
  const discoAsked = new Promise<void>((resolve) => (asked = resolve));
  // The shared typings (test/types/xmpp.d.ts) leave out @xmpp/client's iqCallee.
  const callee = (client.xmpp as unknown as { iqCallee: { get(ns: string, name: string, handler: () => XmppElement): void } }).iqCallee;
  callee.get(NS_DISCO_INFO, "query", () => {
    setImmediate(asked);
    return xml(
      "query",
      { xmlns: NS_DISCO_INFO, node: `${CAPS_NODE}#${ver}` },
      xml("identity", identity),
      ...features.map((f) => xml("feature", { var: f })),
    );
  });
  await client.send(xml("presence", {}, xml("c", { xmlns: NS_CAPS, hash: "sha-1", node: CAPS_NODE, ver })));
  return Object.assign(client, { discoAsked });
}

/** Makes a and b mutual contacts (both subscriptions approved), as two clients would. */
export async function befriend(a: TestClient, b: TestClient): Promise<void> {
  const bareA = a.jid.split("/")[0]!;
  const bareB = b.jid.split("/")[0]!;
  for (const [from, to, toBare, fromBare] of [
    [a, b, bareB, bareA],
    [b, a, bareA, bareB],
  ] as const) {
    await from.send(xml("presence", { to: toBare, type: "subscribe" }));
    await to.waitFor((el) => el.is("presence") && el.attrs.type === "subscribe" && el.attrs.from === fromBare, `subscribe from ${fromBare}`);
    await to.send(xml("presence", { to: fromBare, type: "subscribed" }));
    await from.waitFor((el) => el.is("presence") && el.attrs.type === "subscribed" && el.attrs.from === toBare, `subscribed from ${toBare}`);
  }
}

/** A round trip to the server: everything the client sent before has been processed. */
export async function sync(c: TestClient): Promise<void> {
  await c.iq(xml("iq", { type: "get", to: "localhost" }, xml("ping", { xmlns: "urn:xmpp:ping" })));
}

/** A pubsub event notification for `node` (XEP-0060 §7.1.2.1). */
export function eventItems(el: XmppElement, node: string): XmppElement | undefined {
  if (!el.is("message")) return undefined;
  const items = el.getChild("event", NS_PUBSUB_EVENT)?.getChild("items");
  return items?.attrs.node === node ? items : undefined;
}

export function publish(node: string, id: string | undefined, payload: XmppElement, options?: Record<string, string>): XmppElement {
  const children = [xml("publish", { node }, xml("item", id === undefined ? {} : { id }, payload))];
  if (options) {
    children.push(
      xml(
        "publish-options",
        {},
        xml(
          "x",
          { xmlns: "jabber:x:data", type: "submit" },
          xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, "http://jabber.org/protocol/pubsub#publish-options")),
          ...Object.entries(options).map(([k, v]) => xml("field", { var: k }, xml("value", {}, v))),
        ),
      ),
    );
  }
  return xml("iq", { type: "set" }, xml("pubsub", { xmlns: NS_PUBSUB }, ...children));
}

export function itemsQuery(node: string, to?: string, ids?: string[]): XmppElement {
  const items = xml("items", { node }, ...(ids ?? []).map((id) => xml("item", { id })));
  return xml("iq", { type: "get", ...(to ? { to } : {}) }, xml("pubsub", { xmlns: NS_PUBSUB }, items));
}

/** The <item/> children of a pubsub items result. */
export function resultItems(iq: XmppElement): XmppElement[] {
  return iq.getChild("pubsub", NS_PUBSUB)?.getChild("items")?.getChildren("item") ?? [];
}
