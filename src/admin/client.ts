// The admin *client*: logs in to a server with @xmpp/client and runs XEP-0050 commands on it
// (XEP-0133 nodes, or chatctl's own). Works against chatctl and against any server that implements
// XEP-0133 (Prosody's mod_admin_adhoc, ejabberd …). Errors are ChatctlErrors with the exit codes
// of DESIGN.md: unreachable 3, login refused or not an administrator 1.
import { client as xmppClient, xml, type Client } from "@xmpp/client";
import type { Element as XmppElement } from "@xmpp/xml";
import { ChatctlError, ExitCode, UnreachableError } from "../errors.js";
import { useTrustPolicy, type TrustPolicy } from "./tls.js";

export const COMMANDS_NS = "http://jabber.org/protocol/commands";
const DATA_NS = "jabber:x:data";
const DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
export const ADMIN_FORM_TYPE = "http://jabber.org/protocol/admin";

export const AdminErrorCode = {
  UNREACHABLE: "CHATCTL_E_UNREACHABLE",
  LOGIN_FAILED: "CHATCTL_E_ADMIN_LOGIN_FAILED",
  NOT_ADMIN: "CHATCTL_E_ADMIN_FORBIDDEN",
  UNSUPPORTED: "CHATCTL_E_ADMIN_UNSUPPORTED",
  COMMAND_FAILED: "CHATCTL_E_ADMIN_COMMAND_FAILED",
} as const;

export interface AdminConnectOptions {
  /** The administrator's bare JID. */
  jid: string;
  password: string;
  /** Where to connect; the JID's domain is what the stream is opened for. */
  host: string;
  port: number;
  /** Direct TLS (XEP-0368) instead of STARTTLS. */
  directTls?: boolean;
  trust: TrustPolicy;
  /** How long to wait for each reply. Default 20 s. */
  timeoutMs?: number;
}

export interface CommandField {
  var: string;
  type?: string;
  label?: string;
  values: string[];
}

export interface CommandResult {
  node: string;
  status: string;
  sessionid?: string;
  notes: Array<{ type: string; text: string }>;
  /** Top-level fields of the result/next form, by var. */
  fields: Map<string, CommandField>;
  /** Rows of a XEP-0004 §3.4 table, each field var → values. */
  items: Array<Record<string, string[]>>;
  /** The stage's offered actions, when executing. */
  actions: string[];
}

export type FieldValues = Record<string, string | string[] | boolean | number | undefined>;

/** What the admin commands need, whichever way they reach the server (XMPP or the local socket). */
export interface AdminChannel {
  /** The server's domain. */
  readonly domain: string;
  /** Who is acting: the administrator's JID, or "local socket". */
  readonly jid: string;
  run(node: string, values?: FieldValues): Promise<CommandResult>;
  close(): Promise<void>;
}

export class AdminClient implements AdminChannel {
  private constructor(
    private readonly xmpp: Client,
    readonly jid: string,
    readonly domain: string,
    private readonly timeoutMs: number,
  ) {}

  static async connect(opts: AdminConnectOptions): Promise<AdminClient> {
    const at = opts.jid.indexOf("@");
    const domain = at < 0 ? opts.jid : opts.jid.slice(at + 1).split("/")[0]!;
    const username = at < 0 ? "" : opts.jid.slice(0, at);
    const where = `${opts.host}:${opts.port}`;
    useTrustPolicy(opts.trust);
    const xmpp = xmppClient({
      service: `${opts.directTls ? "xmpps" : "xmpp"}://${opts.host.includes(":") ? `[${opts.host}]` : opts.host}:${opts.port}`,
      domain,
      resource: `chatctl-${process.pid}`,
      credentials: async (authenticate: (c: object, m: string) => Promise<void>, mechanisms: string[]) => {
        // PLAIN is offered only over TLS; it avoids @xmpp/client's synchronous SCRAM PBKDF2.
        const mech = mechanisms.includes("PLAIN") ? "PLAIN" : (mechanisms.find((m) => m === "SCRAM-SHA-1") ?? mechanisms[0]!);
        await authenticate({ username, password: opts.password }, mech);
      },
    } as never);
    xmpp.reconnect.stop();
    xmpp.on("error", () => {});
    // A refused or silent server must not leave the process waiting forever.
    const timeoutMs = opts.timeoutMs ?? 20_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        xmpp.start(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), { code: "ETIMEDOUT" })), timeoutMs);
        }),
      ]);
    } catch (err) {
      await xmpp.stop().catch(() => {});
      throw connectError(err, opts.jid, where, domain);
    } finally {
      clearTimeout(timer);
    }
    return new AdminClient(xmpp, opts.jid, domain, timeoutMs);
  }

  async close(): Promise<void> {
    await this.xmpp.stop().catch(() => {});
  }

  /** XEP-0050 §2.2: the commands this account may run on the server. */
  async listCommands(): Promise<Array<{ node: string; name: string }>> {
    const res = await this.request(xml("iq", { type: "get", to: this.domain }, xml("query", { xmlns: DISCO_ITEMS, node: COMMANDS_NS })));
    return (res.getChild("query", DISCO_ITEMS)?.getChildren("item") ?? []).map((i) => ({ node: i.attrs.node ?? "", name: i.attrs.name ?? "" }));
  }

  /**
   * Runs a command the XEP-0133 way: execute; if the server answers with a form, fill in `values`
   * (fields the form does not ask for are sent too: a server ignores what it does not know) and
   * complete. Returns the final reply.
   */
  async run(node: string, values?: FieldValues): Promise<CommandResult> {
    const first = await this.command({ node, action: "execute" });
    if (first.status !== "executing") return first;
    if (values === undefined) {
      await this.command({ node, sessionid: first.sessionid ?? "", action: "cancel" }).catch(() => undefined);
      throw new ChatctlError(AdminErrorCode.COMMAND_FAILED, `${node} asked for input chatctl did not expect`);
    }
    const action = first.actions.includes("complete") || first.actions.length === 0 ? "complete" : "next";
    return await this.command({ node, sessionid: first.sessionid ?? "", action }, submitForm(first, values));
  }

  private async command(attrs: Record<string, string>, form?: XmppElement): Promise<CommandResult> {
    const res = await this.request(xml("iq", { type: "set", to: this.domain }, xml("command", { xmlns: COMMANDS_NS, ...attrs }, ...(form ? [form] : []))), attrs.node);
    const cmd = res.getChild("command", COMMANDS_NS);
    if (!cmd) throw new ChatctlError(AdminErrorCode.COMMAND_FAILED, `the server's answer to ${attrs.node} has no <command/>`);
    return parseCommand(cmd);
  }

  private async request(iq: XmppElement, node?: string): Promise<XmppElement> {
    try {
      return await this.xmpp.iqCaller.request(iq, this.timeoutMs);
    } catch (err) {
      throw commandError(err, this.jid, this.domain, node);
    }
  }
}

function submitForm(shown: CommandResult, values: FieldValues): XmppElement {
  const out = submittedValues(shown, values);
  return xml("x", { xmlns: DATA_NS, type: "submit" }, ...[...out].map(([k, vs]) => xml("field", { var: k }, ...vs.map((v) => xml("value", {}, v)))));
}

/** The field values to submit for a shown form: its hidden fields, then the caller's values. */
export function submittedValues(shown: CommandResult, values: FieldValues): Map<string, string[]> {
  const out = new Map<string, string[]>();
  // Hidden fields (FORM_TYPE) go back as they came (XEP-0004 §3.3).
  for (const f of shown.fields.values()) if (f.type === "hidden") out.set(f.var, f.values);
  if (!out.has("FORM_TYPE")) out.set("FORM_TYPE", [ADMIN_FORM_TYPE]);
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) continue;
    out.set(k, Array.isArray(v) ? v : typeof v === "boolean" ? [v ? "1" : "0"] : [String(v)]);
  }
  return out;
}

function parseCommand(cmd: XmppElement): CommandResult {
  const form = cmd.getChild("x", DATA_NS);
  const fields = new Map<string, CommandField>();
  for (const f of form?.getChildren("field") ?? []) {
    if (f.attrs.var === undefined) continue;
    fields.set(f.attrs.var, { var: f.attrs.var, type: f.attrs.type, label: f.attrs.label, values: f.getChildren("value").map((v) => v.text()) });
  }
  const items = (form?.getChildren("item") ?? []).map((item) =>
    Object.fromEntries(item.getChildren("field").map((f) => [f.attrs.var ?? "", f.getChildren("value").map((v) => v.text())])),
  );
  const actionsEl = cmd.getChild("actions");
  return {
    node: cmd.attrs.node ?? "",
    status: cmd.attrs.status ?? "",
    sessionid: cmd.attrs.sessionid,
    notes: cmd.getChildren("note").map((n) => ({ type: n.attrs.type ?? "info", text: n.text() })),
    fields,
    items,
    actions: actionsEl ? actionsEl.getChildElements().map((a) => a.name) : [],
  };
}

/** Login-time failures → unreachable (3) or refused (1), saying where and what to do. */
export function connectError(err: unknown, jid: string, where: string, domain: string): ChatctlError {
  const e = err as { code?: string; condition?: string; message?: string; name?: string };
  const code = e.code ?? "";
  if (["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EPIPE"].includes(code)) {
    return new UnreachableError(`could not connect to the XMPP server at ${where} (${code})`, "is the server running? choose another address with --server HOST[:PORT]");
  }
  if (e.name === "SASLError" || e.condition === "not-authorized" || e.condition === "credentials-expired" || e.condition === "account-disabled") {
    return new ChatctlError(AdminErrorCode.LOGIN_FAILED, `login as ${jid} failed: wrong password or no such account`, ExitCode.FAILED, "check --jid and the password (CHATCTL_PASSWORD or --password-file)");
  }
  if (/certificate|self[- ]signed|unable to verify|altnames|DEPTH_ZERO|CERT_/i.test(`${code} ${e.message ?? ""}`)) {
    return new UnreachableError(
      `could not establish a trusted TLS connection to ${where}: ${e.message ?? code}`,
      `if the server uses a self-signed certificate, pass --insecure (or run chatctl with the server's --data-dir on the same host)`,
    );
  }
  if (e.condition === "host-unknown") {
    return new ChatctlError(AdminErrorCode.LOGIN_FAILED, `the server at ${where} does not serve ${domain}`, ExitCode.FAILED, "check the domain of --jid");
  }
  return new UnreachableError(`could not log in to ${where}: ${e.message ?? String(err)}`);
}

/** Command-time failures: forbidden → "not an administrator", unknown node → unsupported. */
export function commandError(err: unknown, jid: string, domain: string, node: string | undefined): ChatctlError {
  const e = err as { condition?: string; text?: string; message?: string; name?: string };
  if (e.condition === "forbidden" || e.condition === "not-authorized") {
    return new ChatctlError(AdminErrorCode.NOT_ADMIN, `${jid} is not an administrator of ${domain}`, ExitCode.FAILED, `add it with: chatctl admins add ${jid}`);
  }
  // Prosody 0.12 answers service-unavailable for a node it does not have; item-not-found is XEP-0050's.
  if ((e.condition === "item-not-found" || e.condition === "service-unavailable" || e.condition === "feature-not-implemented") && node !== undefined) {
    return new ChatctlError(AdminErrorCode.UNSUPPORTED, `${domain} does not offer the command ${node}`, ExitCode.FAILED, "the server may not implement it, or the module is not loaded");
  }
  if (e.condition === "service-unavailable" || e.condition === "feature-not-implemented") {
    return new ChatctlError(AdminErrorCode.UNSUPPORTED, `${domain} does not support ad-hoc commands (XEP-0050)`, ExitCode.FAILED);
  }
  if (e.name === "TimeoutError") return new UnreachableError(`${domain} did not answer in time`);
  if (e.condition) return new ChatctlError(AdminErrorCode.COMMAND_FAILED, `${node ?? "the request"} failed: ${e.condition}${e.text ? ` (${e.text})` : ""}`);
  return new UnreachableError(`lost the connection to ${domain}: ${e.message ?? String(err)}`);
}
