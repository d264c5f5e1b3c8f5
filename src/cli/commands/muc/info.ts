// `chatctl muc info ROOM`: one room's configuration, affiliations and occupants (with their real
// JIDs: the administrator sees them whatever the room's anonymity), from the running server.
import { Command } from "commander";
import type { AdminChannel, CommandResult } from "../../../admin/client.js";
import { ExitCode } from "../../../errors.js";
import type { ActionRunner, CliContext } from "../../context.js";
import { withExamples } from "../../help.js";
import { connectAdmin, withConnectionOptions, type ConnectionOptions } from "../users/connection.js";
import { formatTable } from "../users/table.js";
import { cell, many, MUC_NODE, one, parseRoom, runMucCommand } from "./shared.js";

export interface InfoOptions extends ConnectionOptions {
  json?: boolean;
}

export interface OccupantRow {
  nick: string;
  role: string;
  affiliation: string;
  /** The occupant's real full JID (empty when the server does not say). */
  jid: string;
}

/** The `--json` shape (documented in chatctl-muc(1)). */
export interface RoomInfo {
  room: string;
  name: string;
  description: string;
  subject: string;
  /** The configuration (XEP-0045 §10.2), by the names below; the room password is never shown. */
  config: Record<string, string | boolean | number | string[]>;
  affiliations: { owner: string[]; admin: string[]; member: string[]; outcast: string[] };
  occupants: OccupantRow[];
}

/** muc#roomconfig fields by the names `--json` uses, and how their values read. */
const CONFIG_FIELDS: ReadonlyArray<[field: string, key: string, kind: "text" | "boolean" | "number"]> = [
  ["muc#roomconfig_roomname", "name", "text"],
  ["muc#roomconfig_roomdesc", "description", "text"],
  ["muc#roomconfig_persistentroom", "persistent", "boolean"],
  ["muc#roomconfig_publicroom", "public", "boolean"],
  ["muc#roomconfig_membersonly", "membersOnly", "boolean"],
  ["muc#roomconfig_moderatedroom", "moderated", "boolean"],
  ["muc#roomconfig_passwordprotectedroom", "passwordProtected", "boolean"],
  ["muc#roomconfig_maxusers", "maxOccupants", "number"],
  ["muc#roomconfig_whois", "whois", "text"],
  ["muc#roomconfig_changesubject", "changeSubject", "boolean"],
  ["muc#roomconfig_allowinvites", "allowInvites", "boolean"],
  ["muc#maxhistoryfetch", "historyLength", "number"],
  ["muc#roomconfig_enablearchiving", "archived", "boolean"],
];

export function infoCommand(runner: ActionRunner): Command {
  const cmd = withConnectionOptions(
    new Command("info")
      .description("show a room's configuration, affiliations and occupants")
      .argument("<room>", "the room: its name, or name@service", parseRoom)
      .option("--json", "print the room as JSON"),
  ).action((room: string, opts: InfoOptions, self: Command) => runner(self, (ctx) => run(room, opts, ctx)));
  return withExamples(cmd, [
    { title: "who is in the lobby, and how it is configured", command: "chatctl muc info lobby" },
    { title: "as JSON, for a script", command: "chatctl muc info lobby@conference.example.org --jid admin@example.org --json" },
  ]);
}

export async function run(room: string, opts: InfoOptions, ctx: CliContext): Promise<number> {
  const { client } = await connectAdmin(opts, ctx);
  try {
    const info = await collect(client, room);
    if (opts.json) ctx.out.json(info);
    else render(info, ctx);
    return ExitCode.OK;
  } finally {
    await client.close();
  }
}

export async function collect(client: AdminChannel, room: string): Promise<RoomInfo> {
  const result = await runMucCommand(client, MUC_NODE.INFO, { room });
  return {
    room: one(result, "room"),
    name: one(result, "name"),
    description: one(result, "description"),
    subject: one(result, "subject"),
    config: configOf(result),
    affiliations: { owner: many(result, "owners"), admin: many(result, "admins"), member: many(result, "members"), outcast: many(result, "outcasts") },
    occupants: result.items.map((row) => ({ nick: cell(row, "nick"), role: cell(row, "role"), affiliation: cell(row, "affiliation"), jid: cell(row, "jid") })),
  };
}

function configOf(result: CommandResult): RoomInfo["config"] {
  const config: RoomInfo["config"] = {};
  for (const [field, key, kind] of CONFIG_FIELDS) {
    const f = result.fields.get(field);
    if (!f) continue;
    const v = f.values[0] ?? "";
    config[key] = kind === "boolean" ? v === "1" || v === "true" : kind === "number" ? Number(v) : v;
  }
  // Options this version does not know by name keep their field name.
  const known = new Set(CONFIG_FIELDS.map(([f]) => f));
  for (const f of result.fields.values()) {
    if (f.var.startsWith("muc#") && !known.has(f.var)) config[f.var] = f.values.length === 1 ? f.values[0]! : f.values;
  }
  return config;
}

function render(info: RoomInfo, ctx: CliContext): void {
  ctx.out.line(`room:         ${info.room}`);
  if (info.name) ctx.out.line(`name:         ${info.name}`);
  if (info.description) ctx.out.line(`description:  ${info.description}`);
  if (info.subject) ctx.out.line(`subject:      ${info.subject}`);
  const on = Object.entries(info.config).filter(([, v]) => v === true).map(([k]) => k);
  ctx.out.line(`flags:        ${on.length > 0 ? on.join(", ") : "none"}`);
  for (const [k, v] of Object.entries(info.config)) {
    if (typeof v !== "boolean" && k !== "name" && k !== "description") ctx.out.line(`${`${k}:`.padEnd(14)}${Array.isArray(v) ? v.join(", ") : String(v)}`);
  }
  for (const aff of ["owner", "admin", "member", "outcast"] as const) {
    const list = info.affiliations[aff];
    if (list.length > 0) ctx.out.line(`${`${aff}s:`.padEnd(14)}${list.join(", ")}`);
  }
  ctx.out.line();
  const rows = info.occupants.map((o) => [o.nick, o.role, o.affiliation, o.jid]);
  ctx.out.list(rows.length > 0 ? formatTable(["NICK", "ROLE", "AFFILIATION", "JID"], rows) : [], `${rows.length} ${rows.length === 1 ? "occupant" : "occupants"}`);
}
