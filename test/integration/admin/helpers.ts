// A real server (test/integration/helpers/server.ts) with the full module list, the admin-adhoc
// module's client-version wait shortened for tests, and a small XEP-0050 driver over @xmpp/client.
import type { InternalAuthProvider } from "../../../src/auth/internal.js";
import { createAdminAdhocModule } from "../../../src/modules/admin-adhoc/index.js";
import type { RunningServer } from "../../../src/server/index.js";
import { coreModules } from "../../../src/server/modules.js";
import { type TestClient, type XmppElement, connect, xml } from "../helpers/client.js";
import { startTestServer } from "../helpers/server.js";

export const COMMANDS = "http://jabber.org/protocol/commands";
export const ADMIN = "http://jabber.org/protocol/admin";
const DATA = "jabber:x:data";

export interface AdminServer {
  server: RunningServer;
  port: number;
  dataDir: string;
  domain: string;
  auth: InternalAuthProvider;
  addUser(name: string, password?: string): void;
  addAdmin(name: string, password?: string): void;
  login(name: string, opts?: { resource?: string; presence?: boolean; password?: string }): Promise<TestClient>;
  stop(): Promise<void>;
}

/** The server's module list, with a short XEP-0092 wait in the detailed online-users command. */
export const adminModules = coreModules.map((m) => (m.name === "admin-adhoc" ? createAdminAdhocModule({ versionTimeoutMs: 1500 }) : m));

export async function startAdminServer(flags: Record<string, unknown> = {}): Promise<AdminServer> {
  const t = await startTestServer(flags, { modules: adminModules });
  const auth = t.server.host.auth as InternalAuthProvider;
  const clients: TestClient[] = [];
  const s: AdminServer = {
    server: t.server,
    port: t.port,
    dataDir: t.dataDir,
    domain: t.domain,
    auth,
    addUser: (name, password = "secret") => auth.createUser(name, password),
    addAdmin(name, password = "secret") {
      auth.createUser(name, password);
      auth.addToGroup(name, t.config.admin.group);
    },
    async login(name, opts = {}) {
      const c = await connect({ port: s.port, username: name, password: opts.password ?? "secret", domain: t.domain, resource: opts.resource, presence: opts.presence });
      clients.push(c);
      return c;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.stop()));
      await t.stop();
    },
  };
  return s;
}

/** A submitted data form (XEP-0004 §3.1 type="submit"); arrays become several <value/>s. */
export function submitForm(fields: Record<string, string | string[]>, formType = ADMIN): XmppElement {
  const all: Record<string, string | string[]> = { FORM_TYPE: formType, ...fields };
  return xml(
    "x",
    { xmlns: DATA, type: "submit" },
    ...Object.entries(all).map(([k, v]) => xml("field", { var: k }, ...(Array.isArray(v) ? v : [v]).map((one) => xml("value", {}, one)))),
  );
}

/** Sends one <command/> request to the server and returns the <command/> reply. */
export async function command(c: TestClient, domain: string, attrs: Record<string, string>, form?: XmppElement): Promise<XmppElement> {
  const res = await c.iq(xml("iq", { type: "set", to: domain }, xml("command", { xmlns: COMMANDS, ...attrs }, ...(form ? [form] : []))));
  return res.getChild("command", COMMANDS)!;
}

/** XEP-0133 §3 flow: execute, then complete with the filled form; returns the final <command/>. */
export async function runAdmin(c: TestClient, domain: string, node: string, fields?: Record<string, string | string[]>): Promise<XmppElement> {
  const first = await command(c, domain, { node, action: "execute" });
  if (first.attrs.status === "completed" || fields === undefined) return first;
  return await command(c, domain, { node, sessionid: first.attrs.sessionid!, action: "complete" }, submitForm(fields));
}

/** The values of a result form's field. */
export function resultValues(cmd: XmppElement, name: string): string[] {
  const form = cmd.getChild("x", DATA);
  const field = form?.getChildren("field").find((f) => f.attrs.var === name);
  return field ? field.getChildren("value").map((v) => v.text()) : [];
}

/** The stanza error condition of a rejected IQ (what iqCaller rejects with). */
export async function errorCondition(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { condition?: string }).condition ?? String(err);
  }
  throw new Error("the request unexpectedly succeeded");
}

export function bodyOf(el: XmppElement): string | null {
  return el.getChildText("body");
}
