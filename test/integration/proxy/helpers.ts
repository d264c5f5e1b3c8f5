// The XMPP half of a mediated bytestream as real clients do it (XEP-0065 §4–§6.3): find the proxy
// through disco, ask it for its streamhost, offer the stream to the target, let the target
// connect, connect the requester, and activate.
import { randomUUID } from "node:crypto";
import type { Socket } from "node:net";
import { xml, type TestClient, type XmppElement } from "../helpers/client.js";
import { dstAddr, socksConnect } from "./socks5-client.js";

export const BYTESTREAMS = "http://jabber.org/protocol/bytestreams";
export const PROXY = "proxy.localhost";

export interface Streamhost {
  jid: string;
  host: string;
  port: number;
}

/** The condition of a rejected IQ (@xmpp/client rejects with an error carrying it). */
export function errorCondition(err: unknown): string | undefined {
  return (err as { condition?: string }).condition;
}

/** XEP-0065 §4: the streamhost the proxy advertises. */
export async function queryStreamhost(client: TestClient, proxy = PROXY): Promise<Streamhost> {
  const res = await client.iq(xml("iq", { type: "get", to: proxy }, xml("query", { xmlns: BYTESTREAMS })));
  const sh = res.getChild("query", BYTESTREAMS)?.getChild("streamhost");
  if (!sh) throw new Error(`no streamhost in ${res.toString()}`);
  return { jid: sh.attrs.jid as string, host: sh.attrs.host as string, port: Number(sh.attrs.port) };
}

type Callee = { iqCallee: { set(ns: string, name: string, h: (ctx: { stanza: XmppElement; element: XmppElement }) => unknown): void } };

/**
 * Makes `target` accept offered bytestreams the way a client does: connect to the first
 * streamhost with DST.ADDR = SHA1(SID + requester + target), then answer <streamhost-used/>.
 * Each accepted socket is handed to onSocket.
 */
export function acceptBytestreams(target: TestClient, onSocket: (socket: Socket, sid: string) => void): void {
  (target.xmpp as unknown as Callee).iqCallee.set(BYTESTREAMS, "query", async ({ stanza, element }) => {
    const sid = element.attrs.sid as string;
    const sh = element.getChild("streamhost")!;
    const { socket, reply } = await socksConnect(Number(sh.attrs.port), dstAddr(sid, stanza.attrs.from as string, target.jid), { host: sh.attrs.host as string });
    if (reply.rep !== 0) throw new Error(`proxy refused the target: REP ${reply.rep}`);
    onSocket(socket, sid);
    return xml("query", { xmlns: BYTESTREAMS, sid }, xml("streamhost-used", { jid: sh.attrs.jid as string }));
  });
}

/** §6.3.1: the requester offers the stream; resolves when the target says which streamhost it used. */
export async function offerStream(requester: TestClient, targetJid: string, sid: string, sh: Streamhost): Promise<XmppElement> {
  return requester.iq(
    xml("iq", { type: "set", to: targetJid }, xml("query", { xmlns: BYTESTREAMS, sid, mode: "tcp" }, xml("streamhost", { jid: sh.jid, host: sh.host, port: String(sh.port) }))),
    15_000,
  );
}

/** §6.3.5: activation. */
export function activateStream(client: TestClient, sid: string, targetJid: string, proxy = PROXY): Promise<XmppElement> {
  return client.iq(xml("iq", { type: "set", to: proxy }, xml("query", { xmlns: BYTESTREAMS, sid }, xml("activate", {}, targetJid))));
}

/** A stream both sides are connected to, not yet activated. */
export interface PairedStream {
  sid: string;
  requester: Socket;
  target: Socket;
}

/**
 * Everything before activation (§6.3.1–§6.3.4): the target accepts offered streams, the requester
 * asks the proxy for its streamhost, offers it, and connects itself.
 */
export async function connectPair(requester: TestClient, target: TestClient): Promise<PairedStream> {
  let targetSocket: Socket | undefined;
  acceptBytestreams(target, (s) => (targetSocket = s));
  const sh = await queryStreamhost(requester);
  const sid = randomUUID();
  await offerStream(requester, target.jid, sid, sh);
  const { socket } = await socksConnect(sh.port, dstAddr(sid, requester.jid, target.jid));
  if (!targetSocket) throw new Error("the target answered without connecting");
  return { sid, requester: socket, target: targetSocket };
}
