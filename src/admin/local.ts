// The admin channel over the local Unix socket (mode 0600 in the server's data directory): the
// same XEP-0050 commands as over XMPP, as JSON lines, with no password — whoever may open the
// socket file is an administrator (DESIGN.md "Admin plane").
import { connect, type Socket } from "node:net";
import { StringDecoder } from "node:string_decoder";
import { ChatctlError, ExitCode, UnreachableError } from "../errors.js";
import { commandError, submittedValues, type AdminChannel, type CommandField, type CommandResult, type FieldValues } from "./client.js";

interface Reply {
  id?: number;
  status?: string;
  sessionid?: string;
  notes?: Array<{ type: string; text: string }>;
  fields?: Record<string, { type?: string; values: string[] }>;
  items?: Array<Record<string, string[]>>;
  actions?: string[];
  error?: { condition: string; text?: string; app?: string };
}

export class LocalAdminClient implements AdminChannel {
  readonly jid = "local admin socket";
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();

  private constructor(
    private readonly socket: Socket,
    readonly domain: string,
    private readonly path: string,
  ) {
    const decoder = new StringDecoder("utf8");
    let buffer = "";
    socket.on("data", (chunk: Buffer) => {
      buffer += decoder.write(chunk);
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        let reply: Reply;
        try {
          reply = JSON.parse(line) as Reply;
        } catch {
          continue;
        }
        const w = reply.id === undefined ? undefined : this.waiting.get(reply.id);
        if (w && reply.id !== undefined) {
          this.waiting.delete(reply.id);
          w.resolve(reply);
        }
      }
    });
    socket.on("close", () => {
      for (const w of this.waiting.values()) w.reject(new UnreachableError(`the server closed the admin socket ${this.path}`));
      this.waiting.clear();
    });
  }

  static async connect(path: string, domain: string): Promise<LocalAdminClient> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect(path);
      s.once("connect", () => resolve(s));
      s.once("error", reject);
    }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === "EACCES" || err.code === "EPERM") {
        throw new ChatctlError("CHATCTL_E_ADMIN_FORBIDDEN", `no permission to open the admin socket ${path}`, ExitCode.FAILED, "run as the server's user (or root), or log in over XMPP with --jid");
      }
      throw new UnreachableError(`could not connect to the admin socket ${path} (${err.code ?? err.message})`, "is the server running? or log in over XMPP with --jid and --server");
    });
    socket.on("error", () => {});
    return new LocalAdminClient(socket, domain, path);
  }

  async run(node: string, values?: FieldValues): Promise<CommandResult> {
    const first = await this.request({ node, action: "execute" });
    if (first.status !== "executing") return first;
    if (values === undefined) {
      await this.request({ node, action: "cancel", sessionid: first.sessionid }).catch(() => undefined);
      throw new ChatctlError("CHATCTL_E_ADMIN_COMMAND_FAILED", `${node} asked for input chatctl did not expect`);
    }
    const action = first.actions.includes("complete") || first.actions.length === 0 ? "complete" : "next";
    return await this.request({ node, action, sessionid: first.sessionid, fields: Object.fromEntries(submittedValues(first, values)) });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.end(() => resolve()));
    this.socket.destroy();
  }

  private async request(req: { node: string; action: string; sessionid?: string; fields?: Record<string, string[]> }): Promise<CommandResult> {
    const id = this.nextId++;
    const reply = await new Promise<Reply>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.socket.write(JSON.stringify({ id, ...req }) + "\n");
    });
    if (reply.error) throw commandError({ condition: reply.error.condition, text: reply.error.text }, this.jid, this.domain, req.node);
    const fields = new Map<string, CommandField>(Object.entries(reply.fields ?? {}).map(([k, f]) => [k, { var: k, type: f.type, values: f.values }]));
    return { node: req.node, status: reply.status ?? "", sessionid: reply.sessionid, notes: reply.notes ?? [], fields, items: reply.items ?? [], actions: reply.actions ?? [] };
  }
}
