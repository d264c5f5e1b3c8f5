// `chatctl users online`: who is connected right now, one row per resource, from the running
// server (chatctl's detailed command; other servers' XEP-0133 online list as a fallback).
import { Command, Option } from "commander";
import type { AdminChannel, CommandResult } from "../../../admin/client.js";
import { ChatctlError, ExitCode } from "../../../errors.js";
import type { ActionRunner, CliContext } from "../../context.js";
import { withExamples } from "../../help.js";
import { connectAdmin, withConnectionOptions, type ConnectionOptions } from "./connection.js";
import { formatTable } from "./table.js";

const DETAILED_NODE = "urn:chatctl:admin#online-users-detailed";
const LIST_NODE = "http://jabber.org/protocol/admin#get-online-users-list";

export interface OnlineOptions extends ConnectionOptions {
  json?: boolean;
  watch?: boolean;
  interval?: string;
}

/**
 * One connected resource. The --json output is `{"server", "count", "resources": [OnlineRow…]}`;
 * fields a server does not report are null (another server's list gives only `jid`/`resource`).
 */
export interface OnlineRow {
  jid: string;
  resource: string;
  ip: string | null;
  since: string | null;
  tls: string | null;
  client: string | null;
  clientVersion: string | null;
  show: string | null;
  status: string | null;
  idle: number | null;
}

export interface OnlineReport {
  server: string;
  count: number;
  resources: OnlineRow[];
}

export function onlineCommand(runner: ActionRunner): Command {
  const cmd = withConnectionOptions(
    new Command("online")
      .description("list the connected resources of a running server (JID, resource, IP, since, TLS, client, status)")
      .option("--json", 'print {"server", "count", "resources": […]} as JSON')
      .option("-w, --watch", "refresh until interrupted (Ctrl-C)")
      .addOption(new Option("--interval <seconds>", "refresh interval with --watch").default("5")),
  ).action((opts: OnlineOptions, self: Command) => runner(self, (ctx) => run(opts, ctx)));
  return withExamples(cmd, [
    { title: "who is online", command: "chatctl users online --jid admin@example.org" },
    { title: "the same as JSON, for a script", command: "chatctl users online --jid admin@example.org --password-file ~/.xmpp-admin --json" },
  ]);
}

export async function run(opts: OnlineOptions, ctx: CliContext): Promise<number> {
  const interval = Number(opts.interval ?? "5");
  if (!Number.isFinite(interval) || interval < 1) throw new ChatctlError("CHATCTL_E_USAGE", `--interval ${opts.interval}: expected a number of seconds ≥ 1`, ExitCode.USAGE);
  const { client } = await connectAdmin(opts, ctx);
  try {
    if (!opts.watch) {
      render(await collect(client), opts, ctx);
      return ExitCode.OK;
    }
    let stop = false;
    let wake: (() => void) | undefined;
    const off = ctx.onSignal("SIGINT", () => {
      stop = true;
      wake?.();
    });
    try {
      while (!stop) {
        const report = await collect(client);
        // Interrupted while collecting: stop now rather than render and sleep once more.
        if (stop) break;
        // On a terminal the table replaces the previous one; piped, each refresh is appended.
        if (ctx.isTTY && !opts.json) ctx.stdout.write("\x1b[2J\x1b[H");
        render(report, { ...opts, json: opts.json }, ctx);
        if (stop) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, interval * 1000).unref();
        });
      }
    } finally {
      off();
    }
    return ExitCode.OK;
  } finally {
    await client.close();
  }
}

export async function collect(client: AdminChannel): Promise<OnlineReport> {
  let result: CommandResult;
  try {
    result = await client.run(DETAILED_NODE);
  } catch (err) {
    // Not chatctl: XEP-0133's list gives the JIDs only.
    if (!(err instanceof ChatctlError) || err.code !== "CHATCTL_E_ADMIN_UNSUPPORTED") throw err;
    const list = await client.run(LIST_NODE, { max_items: "none" });
    const jids = list.fields.get("onlineuserjids")?.values ?? [];
    const resources = jids.map((jid): OnlineRow => ({ jid, resource: jid.includes("/") ? jid.slice(jid.indexOf("/") + 1) : "", ip: null, since: null, tls: null, client: null, clientVersion: null, show: null, status: null, idle: null }));
    return { server: client.domain, count: resources.length, resources };
  }
  const one = (row: Record<string, string[]>, key: string) => row[key]?.[0] ?? null;
  const resources = result.items.map((row): OnlineRow => {
    const idle = one(row, "idle");
    return {
      jid: one(row, "jid") ?? "",
      resource: one(row, "resource") ?? "",
      ip: one(row, "ip"),
      since: one(row, "since"),
      tls: one(row, "tls"),
      client: one(row, "client"),
      clientVersion: one(row, "clientVersion"),
      show: one(row, "show"),
      status: one(row, "status"),
      idle: idle === null ? null : Number(idle),
    };
  });
  return { server: client.domain, count: resources.length, resources };
}

function render(report: OnlineReport, opts: OnlineOptions, ctx: CliContext): void {
  if (opts.json) {
    ctx.out.json(report);
    return;
  }
  const rows = report.resources.map((r) => [
    r.jid.split("/")[0] ?? r.jid,
    r.resource,
    r.ip ?? "",
    r.since ? r.since.replace("T", " ").replace(/\.\d+Z$/, "Z") : "",
    r.tls ?? "",
    [r.client, r.clientVersion].filter(Boolean).join(" "),
    [r.show, r.status].filter(Boolean).join(": "),
  ]);
  const table = formatTable(["JID", "RESOURCE", "IP", "SINCE", "TLS", "CLIENT", "STATUS"], rows);
  ctx.out.list(table, `${report.count} connected ${report.count === 1 ? "resource" : "resources"} on ${report.server}`);
}
