// `chatctl users count`: online and registered users of a running server (XEP-0133 §4.13, §4.14).
import { Command } from "commander";
import type { AdminChannel } from "../../../admin/client.js";
import { ChatctlError, ExitCode } from "../../../errors.js";
import type { ActionRunner, CliContext } from "../../context.js";
import { withExamples } from "../../help.js";
import { connectAdmin, withConnectionOptions, type ConnectionOptions } from "./connection.js";

export interface CountOptions extends ConnectionOptions {
  json?: boolean;
}

/** The --json shape. */
export interface UserCounts {
  server: string;
  online: number;
  registered: number | null;
}

export function countCommand(runner: ActionRunner): Command {
  const cmd = withConnectionOptions(
    new Command("count").description("count online and registered users of a running server").option("--json", 'print {"server", "online", "registered"} as JSON'),
  ).action((opts: CountOptions, self: Command) => runner(self, (ctx) => run(opts, ctx)));
  return withExamples(cmd, [{ title: "how many users are online", command: "chatctl users count --jid admin@example.org" }]);
}

export async function run(opts: CountOptions, ctx: CliContext): Promise<number> {
  const { client } = await connectAdmin(opts, ctx);
  try {
    const counts: UserCounts = { server: client.domain, online: await onlineUserCount(client), registered: await registeredUserCount(client) };
    if (opts.json) ctx.out.json(counts);
    else ctx.out.line(`${counts.online} online` + (counts.registered === null ? "" : ` of ${counts.registered} registered`) + ` on ${counts.server}`);
    return ExitCode.OK;
  } finally {
    await client.close();
  }
}

const ADMIN = "http://jabber.org/protocol/admin";

function unsupported(err: unknown): boolean {
  return err instanceof ChatctlError && err.code === "CHATCTL_E_ADMIN_UNSUPPORTED";
}

/**
 * XEP-0133 §4.14, or (servers without it, such as Prosody 0.12) the distinct accounts of the
 * §4.15 online list.
 */
export async function onlineUserCount(client: AdminChannel): Promise<number> {
  try {
    const r = await client.run(`${ADMIN}#get-online-users-num`);
    return Number(r.fields.get("onlineusersnum")?.values[0] ?? 0);
  } catch (err) {
    if (!unsupported(err)) throw err;
    const list = await client.run(`${ADMIN}#get-online-users-list`, { max_items: "none" });
    return new Set((list.fields.get("onlineuserjids")?.values ?? []).map((j) => j.split("/")[0])).size;
  }
}

/** XEP-0133 §4.13, or null when the server does not offer it. */
export async function registeredUserCount(client: AdminChannel): Promise<number | null> {
  try {
    const r = await client.run(`${ADMIN}#get-registered-users-num`);
    return Number(r.fields.get("registeredusersnum")?.values[0] ?? 0);
  } catch (err) {
    if (unsupported(err)) return null;
    throw err;
  }
}
