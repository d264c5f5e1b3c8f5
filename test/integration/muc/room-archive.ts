// A MUC archive query as a client does it with @xmpp/client (XEP-0313 §4 addressed to the room's
// bare JID, §5.1.2): the result messages that arrive before the IQ result, and the <fin/>.
import { FORWARD, MAM, pageInfo, runMamQuery, type MamQuery } from "../archive/mam-client.js";
import type { TestClient, XmppElement } from "../helpers/client.js";

export { MAM };

/** A query to a room's archive: the same form and RSM fields as an account's. */
export type RoomQuery = MamQuery;

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

export async function queryRoomArchive(client: TestClient, room: string, q: RoomQuery = {}): Promise<RoomPage> {
  const ex = await runMamQuery(client, room, q);
  const results = ex.results.map((m): RoomResult => {
    const result = m.getChild("result", MAM)!;
    const forwarded = result.getChild("forwarded", FORWARD)!;
    return { from: m.attrs.from ?? "", id: result.attrs.id ?? "", message: forwarded.getChild("message")!, stamp: forwarded.getChild("delay", "urn:xmpp:delay")?.attrs.stamp ?? "" };
  });
  return { results, bodies: results.map((r) => r.message.getChildText("body")), ...pageInfo(ex) };
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
