// A MUC archive query as a client does it with @xmpp/client (XEP-0313 §4 addressed to the room's
// bare JID, §5.1.2): the result messages that arrive before the IQ result, and the <fin/>.
import { xml, type TestClient, type XmppElement } from "../helpers/client.js";

export const MAM = "urn:xmpp:mam:2";
const RSM = "http://jabber.org/protocol/rsm";
const FORWARD = "urn:xmpp:forward:0";

export interface RoomQuery {
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

export interface RoomResult {
  /** The result message's 'from' (the room's bare JID). */
  from: string;
  /** The archive id. */
  id: string;
  /** The archived message inside <forwarded/>. */
  message: XmppElement;
  stamp: string;
}

export interface RoomPage {
  results: RoomResult[];
  bodies: (string | null)[];
  complete: boolean;
  first?: string;
  last?: string;
  count?: string;
}

let queries = 0;

export async function queryRoomArchive(client: TestClient, room: string, q: RoomQuery = {}): Promise<RoomPage> {
  const queryid = `rq${++queries}`;
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
  const reply = await client.iq(xml("iq", { type: "set", to: room }, xml("query", { xmlns: MAM, queryid }, ...children)));
  const messages = client.received.slice(from).filter((el) => el.is("message") && el.getChild("result", MAM)?.attrs.queryid === queryid);
  const results = messages.map((m): RoomResult => {
    const result = m.getChild("result", MAM)!;
    const forwarded = result.getChild("forwarded", FORWARD)!;
    return { from: m.attrs.from ?? "", id: result.attrs.id ?? "", message: forwarded.getChild("message")!, stamp: forwarded.getChild("delay", "urn:xmpp:delay")?.attrs.stamp ?? "" };
  });
  const fin = reply.getChild("fin", MAM);
  const set = fin?.getChild("set", RSM);
  return {
    results,
    bodies: results.map((r) => r.message.getChildText("body")),
    complete: fin?.attrs.complete === "true",
    first: set?.getChildText("first") ?? undefined,
    last: set?.getChildText("last") ?? undefined,
    count: set?.getChildText("count") ?? undefined,
  };
}

/** The stanza error condition a rejected IQ carries (what iqCaller rejects with). */
export async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { condition?: string }).condition ?? String(err);
  }
  throw new Error("the request unexpectedly succeeded");
}
