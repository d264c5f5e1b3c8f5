// `chatctl muc list`: every room of the server's group chat service, hidden and locked ones too,
// with its occupant count and main flags, asked of the running server as an administrator.
import { Command } from "commander";
import type { AdminChannel } from "../../../admin/client.js";
import { ExitCode } from "../../../errors.js";
import type { ActionRunner, CliContext } from "../../context.js";
import { withExamples } from "../../help.js";
import { connectAdmin, withConnectionOptions, type ConnectionOptions } from "../users/connection.js";
import { formatTable } from "../users/table.js";
import { cell, MUC_NODE, one, runMucCommand, yesNo } from "./shared.js";

export interface ListOptions extends ConnectionOptions {
  json?: boolean;
}

/** One room in `--json` (documented in chatctl-muc(1)). */
export interface RoomRow {
  jid: string;
  name: string;
  occupants: number;
  persistent: boolean;
  public: boolean;
  membersOnly: boolean;
  passwordProtected: boolean;
  moderated: boolean;
  nonAnonymous: boolean;
  archived: boolean;
}

export interface RoomList {
  service: string;
  count: number;
  rooms: RoomRow[];
}

export function listCommand(runner: ActionRunner): Command {
  const cmd = withConnectionOptions(
    new Command("list").description("list the rooms of the group chat service with their occupants and flags").option("--json", 'print {"service", "count", "rooms": […]} as JSON'),
  ).action((opts: ListOptions, self: Command) => runner(self, (ctx) => run(opts, ctx)));
  return withExamples(cmd, [
    { title: "the rooms, on the server's host (local admin socket)", command: "chatctl muc list" },
    { title: "from elsewhere, as JSON", command: "chatctl muc list --jid admin@example.org --server xmpp.example.org --json" },
  ]);
}

export async function run(opts: ListOptions, ctx: CliContext): Promise<number> {
  const { client } = await connectAdmin(opts, ctx);
  try {
    const list = await collect(client);
    if (opts.json) ctx.out.json(list);
    else render(list, ctx);
    return ExitCode.OK;
  } finally {
    await client.close();
  }
}

export async function collect(client: AdminChannel): Promise<RoomList> {
  const result = await runMucCommand(client, MUC_NODE.LIST);
  const flag = (row: Record<string, string[]>, name: string) => cell(row, name) === "1";
  const rooms = result.items.map(
    (row): RoomRow => ({
      jid: cell(row, "jid"),
      name: cell(row, "name"),
      occupants: Number(cell(row, "occupants") || "0"),
      persistent: flag(row, "persistent"),
      public: flag(row, "public"),
      membersOnly: flag(row, "membersonly"),
      passwordProtected: flag(row, "passwordprotected"),
      moderated: flag(row, "moderated"),
      nonAnonymous: flag(row, "nonanonymous"),
      archived: flag(row, "archived"),
    }),
  );
  return { service: one(result, "service"), count: rooms.length, rooms };
}

function render(list: RoomList, ctx: CliContext): void {
  const rows = list.rooms.map((r) => [r.jid, r.name, String(r.occupants), yesNo(r.persistent), yesNo(r.public), yesNo(r.membersOnly), yesNo(r.archived)]);
  const table = rows.length > 0 ? formatTable(["ROOM", "NAME", "OCCUPANTS", "PERSISTENT", "PUBLIC", "MEMBERS-ONLY", "ARCHIVED"], rows) : [];
  ctx.out.list(table, `${list.count} ${list.count === 1 ? "room" : "rooms"} on ${list.service}`);
}
