// Client-side helpers for the pubsub/PEP tests: request builders (XEP-0060 examples), a client
// advertising entity capabilities (XEP-0115) with chosen "+notify" features that answers the
// server's disco#info, and a mutual presence subscription done the way clients do it.
import { createHash } from "node:crypto";
import { connect, xml, type TestClient, type XmppElement } from "../helpers/client.js";

export const PUBSUB = "http://jabber.org/protocol/pubsub";
export const OWNER = "http://jabber.org/protocol/pubsub#owner";
export const EVENT = "http://jabber.org/protocol/pubsub#event";
export const ERRORS = "http://jabber.org/protocol/pubsub#errors";
export const XDATA = "jabber:x:data";
export const DISCO_INFO = "http://jabber.org/protocol/disco#info";
export const DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
const CAPS = "http://jabber.org/protocol/caps";
const CAPS_NODE = "https://chatctl.test/pubsub-suite";

export function form(formType: string, fields: Record<string, string | string[]>): XmppElement {
  return xml(
    "x",
    { xmlns: XDATA, type: "submit" },
    xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, formType)),
    ...Object.entries(fields).map(([k, v]) => xml("field", { var: k }, ...(Array.isArray(v) ? v : [v]).map((s) => xml("value", {}, s)))),
  );
}

export function pubsubIq(type: "get" | "set", to: string | undefined, ...children: XmppElement[]): XmppElement {
  return xml("iq", to === undefined ? { type } : { type, to }, xml("pubsub", { xmlns: PUBSUB }, ...children));
}

export function ownerIq(type: "get" | "set", to: string | undefined, ...children: XmppElement[]): XmppElement {
  return xml("iq", to === undefined ? { type } : { type, to }, xml("pubsub", { xmlns: OWNER }, ...children));
}

export function publishIq(to: string | undefined, node: string, id: string | undefined, payload: XmppElement, options?: Record<string, string>): XmppElement {
  const children = [xml("publish", { node }, xml("item", id === undefined ? {} : { id }, payload))];
  if (options) children.push(xml("publish-options", {}, form(`${PUBSUB}#publish-options`, options)));
  return pubsubIq("set", to, ...children);
}

export function itemsIq(to: string | undefined, node: string, attrs: Record<string, string> = {}): XmppElement {
  return pubsubIq("get", to, xml("items", { node, ...attrs }));
}

/** The <item/> children of an items result. */
export function resultItems(iq: XmppElement): XmppElement[] {
  return iq.getChild("pubsub", PUBSUB)?.getChild("items")?.getChildren("item") ?? [];
}

/** The event element of a notification about `node` (items, purge, delete …). */
export function eventOf(el: XmppElement, node: string): XmppElement | undefined {
  if (!el.is("message")) return undefined;
  const event = el.getChild("event", EVENT);
  const child = event?.getChildElements()[0];
  return child?.attrs.node === node ? child : undefined;
}

/** Sends an IQ expecting an error; resolves with the error element. */
export async function iqError(c: TestClient, iq: XmppElement): Promise<XmppElement> {
  try {
    await c.iq(iq);
  } catch (err) {
    const el = (err as { element?: XmppElement }).element;
    if (el) return el;
    throw err;
  }
  throw new Error("the request unexpectedly succeeded");
}

/** The names of the error's children (the RFC 6120 condition and any pubsub#errors one). */
export function conditions(error: XmppElement): string[] {
  return error.getChildElements().filter((c) => c.name !== "text").map((c) => `${c.name}${c.attrs.xmlns === ERRORS ? "#pubsub" : ""}`);
}

export interface CapsClient extends TestClient {
  /** Resolves when the server has asked for this client's capabilities. */
  asked: Promise<void>;
}

/** XEP-0115 §5.1 for one identity and some features, hashed with SHA-1 (written here, independent of the server). */
function verFor(identity: { category: string; type: string; name: string }, features: string[]): string {
  let s = `${identity.category}/${identity.type}//${identity.name}<`;
  for (const f of [...features].sort()) s += `${f}<`;
  return createHash("sha1").update(s, "utf8").digest("base64");
}

/** Logs in and sends initial presence with caps listing `<node>+notify` for each of `notify`. */
export async function connectWithCaps(
  opts: { port: number; username: string; password: string; resource?: string; /** Advertise a 'ver' that does not hash to the answer (caps poisoning). */ wrongVer?: boolean },
  notify: string[],
): Promise<CapsClient> {
  const client = await connect({ port: opts.port, username: opts.username, password: opts.password, resource: opts.resource, presence: false });
  const identity = { category: "client", type: "pc", name: `pubsub suite ${notify.length}` };
  const features = [DISCO_INFO, CAPS, ...notify.map((n) => `${n}+notify`)];
  const ver = opts.wrongVer ? verFor(identity, [...features, "urn:example:not-in-the-answer"]) : verFor(identity, features);
  let resolveAsked!: () => void;
  const asked = new Promise<void>((resolve) => (resolveAsked = resolve));
  // test/types/xmpp.d.ts leaves out @xmpp/client's iqCallee.
  const callee = (client.xmpp as unknown as { iqCallee: { get(ns: string, name: string, handler: () => XmppElement): void } }).iqCallee;
  callee.get(DISCO_INFO, "query", () => {
    setImmediate(resolveAsked);
    return xml("query", { xmlns: DISCO_INFO, node: `${CAPS_NODE}#${ver}` }, xml("identity", identity), ...features.map((f) => xml("feature", { var: f })));
  });
  await client.send(xml("presence", {}, xml("c", { xmlns: CAPS, hash: "sha-1", node: CAPS_NODE, ver })));
  return Object.assign(client, { asked });
}

/** a and b approve each other's presence subscription (RFC 6121 §3.1). */
export async function makeContacts(a: TestClient, b: TestClient): Promise<void> {
  const bareA = a.jid.split("/")[0]!;
  const bareB = b.jid.split("/")[0]!;
  for (const [from, to, fromBare, toBare] of [
    [a, b, bareA, bareB],
    [b, a, bareB, bareA],
  ] as const) {
    await from.send(xml("presence", { to: toBare, type: "subscribe" }));
    await to.waitFor((el) => el.is("presence") && el.attrs.type === "subscribe" && el.attrs.from === fromBare, `subscribe from ${fromBare}`);
    await to.send(xml("presence", { to: fromBare, type: "subscribed" }));
    await from.waitFor((el) => el.is("presence") && el.attrs.type === "subscribed" && el.attrs.from === toBare, `subscribed from ${toBare}`);
  }
}

/** A round trip: the server has processed everything the client sent before. */
export async function roundTrip(c: TestClient): Promise<void> {
  await c.iq(xml("iq", { type: "get", to: "localhost" }, xml("ping", { xmlns: "urn:xmpp:ping" })));
}
