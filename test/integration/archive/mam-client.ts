// MAM as a client does it with @xmpp/client: a query IQ, the result messages that arrive before
// its answer, and the <fin/> (XEP-0313 §4). Also a round-trip "barrier": once a ping is answered,
// the server has processed everything the client sent before it (one stream, in order).
import type { TestClient, XmppElement } from "../helpers/client.js";
import { xml } from "../helpers/client.js";

export const MAM = "urn:xmpp:mam:2";
const RSM = "http://jabber.org/protocol/rsm";
export const FORWARD = "urn:xmpp:forward:0";

export interface MamQuery {
  with?: string;
  start?: string;
  end?: string;
  max?: number;
  after?: string;
  /** "" is an empty <before/>: the last page. */
  before?: string;
  /** urn:xmpp:mam:2#extended fields. */
  afterId?: string;
  beforeId?: string;
  ids?: string[];
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

/** What one query brought: the result messages (before the IQ result) and the final <fin/>. */
export interface MamExchange {
  results: XmppElement[];
  fin: XmppElement | undefined;
  set: XmppElement | undefined;
}

/** Sends a MAM query to `to` (the own archive when undefined) and collects its results. */
export async function runMamQuery(client: TestClient, to: string | undefined, q: MamQuery): Promise<MamExchange> {
  const queryid = `q${++queries}`;
  const fields: XmppElement[] = [xml("field", { var: "FORM_TYPE", type: "hidden" }, xml("value", {}, MAM))];
  for (const name of ["with", "start", "end"] as const) {
    const v = q[name];
    if (v !== undefined) fields.push(xml("field", { var: name }, xml("value", {}, v)));
  }
  if (q.afterId !== undefined) fields.push(xml("field", { var: "after-id" }, xml("value", {}, q.afterId)));
  if (q.beforeId !== undefined) fields.push(xml("field", { var: "before-id" }, xml("value", {}, q.beforeId)));
  if (q.ids !== undefined) fields.push(xml("field", { var: "ids" }, ...q.ids.map((id) => xml("value", {}, id))));
  const rsm: XmppElement[] = [];
  if (q.max !== undefined) rsm.push(xml("max", {}, String(q.max)));
  if (q.after !== undefined) rsm.push(xml("after", {}, q.after));
  if (q.before !== undefined) rsm.push(q.before === "" ? xml("before") : xml("before", {}, q.before));
  const children: XmppElement[] = [xml("x", { xmlns: "jabber:x:data", type: "submit" }, ...fields)];
  if (rsm.length > 0) children.push(xml("set", { xmlns: RSM }, ...rsm));

  const from = client.received.length;
  const reply = await client.iq(xml("iq", { type: "set", to }, xml("query", { xmlns: MAM, queryid }, ...children)));
  const results = client.received.slice(from).filter((el) => el.is("message") && el.getChild("result", MAM)?.attrs.queryid === queryid);
  const fin = reply.getChild("fin", MAM);
  return { results, fin, set: fin?.getChild("set", RSM) };
}

/** The RSM and completeness part of a page. */
export function pageInfo(ex: MamExchange): Pick<MamPage, "complete" | "first" | "last" | "count"> {
  return {
    complete: ex.fin?.attrs.complete === "true",
    first: ex.set?.getChildText("first") ?? undefined,
    last: ex.set?.getChildText("last") ?? undefined,
    count: ex.set?.getChildText("count") ?? undefined,
  };
}

export async function queryArchive(client: TestClient, q: MamQuery = {}): Promise<MamPage> {
  const ex = await runMamQuery(client, undefined, q);
  const forwarded = ex.results.map((m) => m.getChild("result", MAM)!.getChild("forwarded", FORWARD)!);
  return {
    ids: ex.results.map((m) => m.getChild("result", MAM)!.attrs.id!),
    bodies: forwarded.map((f) => f.getChild("message")?.getChildText("body") ?? null),
    stamps: forwarded.map((f) => f.getChild("delay", "urn:xmpp:delay")?.attrs.stamp ?? ""),
    ...pageInfo(ex),
  };
}

/** Waits until the server has processed everything this client sent so far. */
export async function barrier(client: TestClient): Promise<void> {
  await client.iq(xml("iq", { type: "get" }, xml("ping", { xmlns: "urn:xmpp:ping" })));
}

export function chat(to: string, body: string, id: string): XmppElement {
  return xml("message", { to, type: "chat", id }, xml("body", {}, body));
}
