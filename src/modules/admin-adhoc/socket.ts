// The local admin channel (DESIGN.md "Admin plane"): a Unix socket in the data directory, mode
// 0600, so that root or the service user on this host can run the ad-hoc commands without a
// password; the file permissions are the credential. It carries the same XEP-0050 commands as
// XMPP, as JSON lines, and the adhoc module runs them with admin rights.
//
//   request:  {"id": 1, "node": "…", "action"?: "execute"|"complete"|…, "sessionid"?: "…",
//              "fields"?: {"var": ["value", …]}}
//   reply:    {"id": 1, "status": "completed", "sessionid": "…", "notes": [{"type", "text"}],
//              "fields": {"var": {"type"?, "values": […]}}, "items": [{"var": […]}], "actions": […]}
//          or {"id": 1, "error": {"condition": "…", "text"?: "…", "app"?: "…"}}
import { chmodSync, existsSync, unlinkSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { StringDecoder } from "node:string_decoder";
import { Jid } from "../../jid/jid.js";
import type { ServerModule } from "../../server/module-api.js";
import { adminSocketPath } from "../../services/admins.js";
import { isStanzaError, type StanzaError } from "../../stanza/errors.js";
import { type Element, x } from "../../xml/element.js";
import { ADHOC_EXECUTE_LOCAL_EVENT, ADHOC_NS, type LocalExecuteRequest, buildForm, parseForm } from "../adhoc/index.js";

/** A request line longer than this closes the connection. */
const MAX_LINE = 256 * 1024;

/** Fired when a local connection ends, so the adhoc module drops its open sessions. */
export const LOCAL_CLOSED_EVENT = "adhoc/local-closed";

export interface LocalRequest {
  id?: number | string;
  node: string;
  action?: string;
  sessionid?: string;
  fields?: Record<string, string[]>;
}

export function createAdminSocketModule(options: { path?: string } = {}): ServerModule {
  return {
    name: "admin-socket",
    async setup(ctx) {
      const path = options.path ?? adminSocketPath(ctx.config.dataDir);
      // A socket file left by a server that did not shut down cleanly.
      if (existsSync(path)) unlinkSync(path);
      let connections = 0;
      const sockets = new Set<Socket>();
      const server = createServer((socket) => {
        const requester = Jid.of("", ctx.host, `admin-socket-${++connections}`);
        sockets.add(socket);
        serve(socket, (req) => execute(req, requester));
        socket.on("close", () => {
          sockets.delete(socket);
          ctx.fire(LOCAL_CLOSED_EVENT, { requester });
        });
      });
      const execute = async (req: LocalRequest, requester: Jid): Promise<object> => {
        const payload = x(
          "command",
          { xmlns: ADHOC_NS.COMMANDS, node: req.node, action: req.action ?? "execute", sessionid: req.sessionid },
          req.fields && buildForm({ type: "submit", fields: Object.entries(req.fields).map(([v, values]) => ({ var: v, values })) }),
        );
        const result = (await ctx.fire<LocalExecuteRequest>(ADHOC_EXECUTE_LOCAL_EVENT, { requester, payload })) as Element | StanzaError | undefined;
        if (result === undefined) return { id: req.id, error: { condition: "service-unavailable", text: "the adhoc module is not loaded" } };
        if (isStanzaError(result)) return { id: req.id, error: { condition: result.condition, text: result.text, app: result.appCondition?.name } };
        return { id: req.id, ...commandToJson(result) };
      };
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        // Created with no access for others from the first instant, then made exact.
        const mask = process.umask(0o177);
        server.listen(path, () => {
          process.umask(mask);
          server.off("error", reject);
          resolve();
        });
      });
      chmodSync(path, 0o600);
      ctx.log.info({ path }, "local admin socket listening");
      ctx.onClose(
        () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            for (const s of sockets) s.destroy();
          }),
      );
    },
  };
}

/** Reads JSON lines, answers each with one JSON line, in order. */
function serve(socket: Socket, handle: (req: LocalRequest) => Promise<object>): void {
  const decoder = new StringDecoder("utf8");
  let buffer = "";
  let chain = Promise.resolve();
  socket.on("data", (chunk: Buffer) => {
    buffer += decoder.write(chunk);
    if (buffer.length > MAX_LINE && !buffer.includes("\n")) {
      socket.end(JSON.stringify({ error: { condition: "policy-violation", text: "request too long" } }) + "\n");
      return;
    }
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (line === "") continue;
      chain = chain.then(async () => {
        let reply: object;
        try {
          const req = JSON.parse(line) as LocalRequest;
          reply = typeof req?.node === "string" ? await handle(req) : { id: req?.id, error: { condition: "bad-request", text: "a request needs a node" } };
        } catch (err) {
          reply = { error: { condition: "bad-request", text: err instanceof SyntaxError ? "not JSON" : String(err) } };
        }
        if (!socket.destroyed) socket.write(JSON.stringify(reply) + "\n");
      });
    }
  });
  socket.on("error", () => socket.destroy());
}

function commandToJson(cmd: Element): object {
  const formEl = cmd.getChild("x", "jabber:x:data");
  const form = formEl ? parseForm(formEl) : undefined;
  return {
    status: cmd.attrs.status,
    sessionid: cmd.attrs.sessionid,
    notes: cmd.getChildren("note").map((n) => ({ type: n.attrs.type ?? "info", text: n.getText() })),
    fields: Object.fromEntries((form?.fields ?? []).filter((f) => f.var !== undefined).map((f) => [f.var, { type: f.type, values: f.values }])),
    items: (form?.items ?? []).map((row) => Object.fromEntries(row.map((f) => [f.var ?? "", f.values]))),
    actions: cmd.getChild("actions")?.elements.map((a) => a.name) ?? [],
  };
}
