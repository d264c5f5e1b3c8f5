// `chatctl muc destroy ROOM`: destroys a room as the service administrator (XEP-0045 §10.9): its
// occupants are told why and where to go, and its configuration and archive are deleted. On a
// terminal it asks first; elsewhere --yes is required (nothing destructive happens by accident).
import { Command } from "commander";
import { ChatctlError, ExitCode, UsageError } from "../../../errors.js";
import type { ActionRunner, CliContext } from "../../context.js";
import { withExamples } from "../../help.js";
import { connectAdmin, withConnectionOptions, type ConnectionOptions } from "../users/connection.js";
import { MUC_NODE, one, parseRoom, parseRoomJid, runMucCommand } from "./shared.js";

export interface DestroyOptions extends ConnectionOptions {
  reason?: string;
  alternate?: string;
  yes?: boolean;
  json?: boolean;
}

/** The `--json` shape. */
export interface DestroyReport {
  room: string;
  destroyed: true;
  reason: string | null;
  alternate: string | null;
}

export function destroyCommand(runner: ActionRunner): Command {
  const cmd = withConnectionOptions(
    new Command("destroy")
      .description("destroy a room: its occupants are removed with a notice, its configuration and archive deleted")
      .argument("<room>", "the room: its name, or name@service", parseRoom)
      .option("--reason <text>", "why, told to the occupants")
      .option("--alternate <jid>", "a room the occupants may go to instead (room@service)", parseRoomJid)
      .option("-y, --yes", "do not ask for confirmation (required when not on a terminal)")
      .option("--json", "print the outcome as JSON"),
  ).action((room: string, opts: DestroyOptions, self: Command) => runner(self, (ctx) => run(room, opts, ctx)));
  return withExamples(cmd, [
    { title: "close a room, pointing its occupants elsewhere", command: 'chatctl muc destroy oldroom --reason "moved" --alternate lobby@conference.example.org' },
    { title: "from a script", command: "chatctl muc destroy spam@conference.example.org --jid admin@example.org --yes --json" },
  ]);
}

export async function run(room: string, opts: DestroyOptions, ctx: CliContext): Promise<number> {
  if (!opts.yes && !ctx.isTTY) throw new UsageError("refusing to destroy a room without --yes when not on a terminal", "add --yes");
  if (!opts.yes && !(await ctx.prompts.confirm(`Destroy ${room}, removing its occupants and deleting its archive?`, false))) {
    throw new ChatctlError("CHATCTL_E_ABORTED", "not confirmed; nothing was changed", ExitCode.FAILED);
  }
  const { client } = await connectAdmin(opts, ctx);
  try {
    const result = await runMucCommand(client, MUC_NODE.DESTROY, { room, reason: opts.reason, alternate: opts.alternate });
    const report: DestroyReport = { room: one(result, "room") || room, destroyed: true, reason: opts.reason ?? null, alternate: opts.alternate ?? null };
    if (opts.json) ctx.out.json(report);
    else ctx.out.done(`destroyed ${report.room}`);
    return ExitCode.OK;
  } finally {
    await client.close();
  }
}
