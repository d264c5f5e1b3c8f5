// MAM as a client does it with @xmpp/client: a query IQ, the result messages that arrive before
// its answer, and the <fin/> (XEP-0313 §4). Also a round-trip "barrier": once a ping is answered,
// the server has processed everything the client sent before it (one stream, in order).
import type { TestClient, XmppElement } from "../helpers/client.js";
import { xml } from "../helpers/client.js";

export const MAM = "urn:xmpp:mam:2";
const RSM = "http://jabber.org/protocol/rsm";
const FORWARD = "urn:xmpp:forward:0";

export interface MamQuery {
  with?: string;
  start?: string;
  end?: string;
  max?: number;
  after?: string;
  /** "" is an empty <before/>: the last page. */
  before?: string;
}

export interface MamPage {
  ids: string[];
  bodies: (string | null)[];
  stamps: string[];
  complete: boolean;
  first?: string;
  last?: string;
  count?: string;
}

let queries = 0;

export async function queryArchive(client: TestClient, q: MamQuery = {}): Promise<MamPage> {
  const queryid = `q${++queries}`;
  const fields: XmppElement[] = [xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, MAM))];
  for (const name of ["with", "start", "end"] as const) {
    const v = q[name];
    if (v !== undefined) fields.push(xml("field", { var: name }, xml("value", {}, v)));
  }
  const rsm: XmppElement[] = [];
  if (q.max !== undefined) rsm.push(xml("max", {}, String(q.max)));
  if (q.after !== undefined) rsm.push(xml("after", {}, q.after));
  if (q.before !== undefined) rsm.push(q.before === "" ? xml("before") : xml("before", {}, q.before));
  const children: XmppElement[] = [xml("x", { xmlns: "jabber:x:data", type: "submit" }, ...fields)];
  if (rsm.length > 0) children.push(xml("set", { xmlns: RSM }, ...rsm));

  const from = client.received.length;
  const reply = await client.iq(xml("iq", { type: "set" }, xml("query", { xmlns: MAM, queryid }, ...children)));
  const results = client.received.slice(from).filter((el) => el.is("message") && el.getChild("result", MAM)?.attrs.queryid === queryid);
  const forwarded = results.map((m) => m.getChild("result", MAM)!.getChild("forwarded", FORWARD)!);
  const fin = reply.getChild("fin", MAM);
  const set = fin?.getChild("set", RSM);
  return {
    ids: results.map((m) => m.getChild("result", MAM)!.attrs.id!),
    bodies: forwarded.map((f) => f.getChild("message")?.getChildText("body") ?? null),
    stamps: forwarded.map((f) => f.getChild("delay", "urn:xmpp:delay")?.attrs.stamp ?? ""),
    complete: fin?.attrs.complete === "true",
    first: set?.getChildText("first") ?? undefined,
    last: set?.getChildText("last") ?? undefined,
    count: set?.getChildText("count") ?? undefined,
  };
}

/** Waits until the server has processed everything this client sent so far. */
export async function barrier(client: TestClient): Promise<void> {
  await client.iq(xml("iq", { type: "get" }, xml("ping", { xmlns: "urn:xmpp:ping" })));
}

export function chat(to: string, body: string, id: string): XmppElement {
  return xml("message", { to, type: "chat", id }, xml("body", {}, body));
}
