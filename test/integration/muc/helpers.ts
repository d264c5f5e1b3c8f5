// A test server with the conference component (loaded by the server itself when
// services.conference is on), plus small MUC client helpers.
import { xml, type TestClient, type XmppElement } from "../helpers/client.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

export const MUC = "http://jabber.org/protocol/muc";
export const MUC_USER = "http://jabber.org/protocol/muc#user";
export const MUC_ADMIN = "http://jabber.org/protocol/muc#admin";
export const MUC_OWNER = "http://jabber.org/protocol/muc#owner";
export const XDATA = "jabber:x:data";

export function startMucServer(flags: Record<string, unknown> = {}): Promise<TestServer> {
  return startTestServer(flags);
}

/** Joins a room and resolves with the self-presence (status 110). */
export async function join(c: TestClient, occupantJid: string, opts: { password?: string; history?: Record<string, string> } = {}): Promise<XmppElement> {
  await c.send(
    xml(
      "presence",
      { to: occupantJid },
      xml(
        "x",
        { xmlns: MUC },
        ...(opts.password !== undefined ? [xml("password", {}, opts.password)] : []),
        ...(opts.history ? [xml("history", opts.history)] : []),
      ),
    ),
  );
  return c.waitFor((el) => el.is("presence") && el.attrs.from === occupantJid && (el.attrs.type === "error" || hasStatus(el, 110)), `self-presence from ${occupantJid}`);
}

export function hasStatus(el: XmppElement, code: number): boolean {
  const x = el.getChild("x", MUC_USER);
  return !!x && x.getChildren("status").some((s: XmppElement) => s.attrs.code === String(code));
}

export function errorCondition(el: XmppElement): string | undefined {
  const e = el.getChild("error");
  return e?.children.find((c): c is XmppElement => typeof c !== "string")?.name;
}

/** Creates an instant room (§10.1.2): join, then submit an empty configuration form. */
export async function createInstantRoom(c: TestClient, roomJid: string, nick: string): Promise<void> {
  await join(c, `${roomJid}/${nick}`);
  await c.iq(xml("iq", { type: "set", to: roomJid }, xml("query", { xmlns: MUC_OWNER }, xml("x", { xmlns: XDATA, type: "submit" }))));
}

/** Submits configuration fields (§10.2). */
export async function configure(c: TestClient, roomJid: string, fields: Record<string, string>): Promise<void> {
  await c.iq(
    xml(
      "iq",
      { type: "set", to: roomJid },
      xml(
        "query",
        { xmlns: MUC_OWNER },
        xml(
          "x",
          { xmlns: XDATA, type: "submit" },
          xml("field", { var: "FORM_TYPE" }, xml("value", {}, "http://jabber.org/protocol/muc#roomconfig")),
          ...Object.entries(fields).map(([k, v]) => xml("field", { var: k }, xml("value", {}, v))),
        ),
      ),
    ),
  );
}
