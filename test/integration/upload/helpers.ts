// Upload test helpers: slot requests over a real @xmpp/client session, and PUT/GET over real
// HTTPS on loopback (the URL's host name is sent as SNI and Host, the connection goes to
// 127.0.0.1, and the self-signed certificate is accepted).
import { request } from "node:https";
import { xml, type TestClient, type XmppElement } from "../helpers/client.js";

export const UPLOAD = "urn:xmpp:http:upload:0";
export const STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

let nextId = 0;

/** Sends a slot request to upload.<domain> and resolves with the reply (result or error). */
export async function requestSlot(c: TestClient, domain: string, attrs: Record<string, string>): Promise<XmppElement> {
  const id = `slot-${++nextId}`;
  await c.send(xml("iq", { type: "get", to: `upload.${domain}`, id }, xml("request", { xmlns: UPLOAD, ...attrs })));
  return c.waitFor((el) => el.is("iq") && el.attrs.id === id && (el.attrs.type === "result" || el.attrs.type === "error"), `reply to ${id}`);
}

export interface Slot {
  put: string;
  get: string;
  headers: Record<string, string>;
}

export function slotOf(reply: XmppElement): Slot {
  if (reply.attrs.type !== "result") throw new Error(`expected a slot, got ${reply.toString()}`);
  const slot = reply.getChild("slot", UPLOAD)!;
  const put = slot.getChild("put")!;
  const headers: Record<string, string> = {};
  for (const h of put.getChildren("header")) headers[h.attrs.name as string] = h.text();
  return { put: put.attrs.url as string, get: slot.getChild("get")!.attrs.url as string, headers };
}

export function errorOf(reply: XmppElement): { type: string; condition: string | undefined; app: XmppElement | undefined } {
  const error = reply.getChild("error");
  if (!error) throw new Error(`expected an error, got ${reply.toString()}`);
  const children = error.children.filter((c): c is XmppElement => typeof c !== "string");
  return {
    type: error.attrs.type as string,
    condition: children.find((c) => c.attrs.xmlns === STANZAS && c.name !== "text")?.name,
    app: children.find((c) => c.attrs.xmlns === UPLOAD),
  };
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One HTTPS request to the URL's port on 127.0.0.1 (or `port` instead, after a restart). */
export function http(method: string, url: string, opts: { headers?: Record<string, string | number>; body?: Buffer; port?: number } = {}): Promise<HttpResult> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        method,
        host: "127.0.0.1",
        port: opts.port ?? Number(u.port),
        path: u.pathname + u.search,
        servername: u.hostname,
        rejectUnauthorized: false,
        agent: false,
        headers: { Host: u.host, ...opts.headers },
        timeout: 15_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on("error", reject);
    req.end(opts.body);
  });
}
