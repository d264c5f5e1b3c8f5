// `chatctl broadcast [MESSAGE]`: an announcement from the server to its users, or the message of
// the day, sent through a running server's XEP-0133 commands as an administrator. Irreversible, so
// on a terminal it previews the recipient count and asks; elsewhere --yes is required
// (STYLE-ANCHORS §4.4 rule 9).
import { Command } from "commander";
import type { AdminChannel, CommandResult } from "../../../admin/client.js";
import { ChatctlError, ExitCode, UsageError } from "../../../errors.js";
import type { ActionRunner, CliContext } from "../../context.js";
import { withExamples } from "../../help.js";
import { readLine } from "../user/accounts.js";
import { connectAdmin, withConnectionOptions, type ConnectionOptions } from "../users/connection.js";
import { onlineUserCount, registeredUserCount } from "../users/count.js";

const ADMIN = "http://jabber.org/protocol/admin";
const CHATCTL = "urn:chatctl:admin";

export interface BroadcastOptions extends ConnectionOptions {
  subject?: string;
  online?: boolean;
  all?: boolean;
  group?: string;
  motd?: boolean;
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
}

export type Audience = { kind: "online" } | { kind: "all" } | { kind: "group"; group: string } | { kind: "motd" };

/** The --json shape. `recipients` is null when the server does not say. */
export interface BroadcastOutcome {
  server: string;
  audience: Audience["kind"];
  group?: string;
  dryRun: boolean;
  recipients: number | null;
  online: number | null;
  offline: number | null;
}

export function broadcastCommand(runner: ActionRunner): Command {
  const cmd = withConnectionOptions(
    new Command("broadcast")
      .description("send an announcement to the users of a running server, or set the message of the day")
      .argument("[message]", 'the text; "-" reads it from stdin; on a terminal, asked for when missing')
      .option("--subject <text>", "a subject line")
      .option("--online", "to every connected user (the default)")
      .option("--all", "to every registered user: online ones now, the others at their next login")
      .option("--group <name>", "to the members of a group")
      .option("--motd", "set the message of the day (sent to each user at login) instead")
      .option("--dry-run", "only count the recipients")
      .option("-y, --yes", "do not ask for confirmation (required when not on a terminal)")
      .option("--json", "print the outcome as JSON"),
  ).action((message: string | undefined, opts: BroadcastOptions, self: Command) => runner(self, (ctx) => run(message, opts, ctx)));
  return withExamples(cmd, [
    { title: "tell everyone online, after a preview and confirmation", command: "chatctl broadcast --jid admin@example.org" },
    { title: "from a script (password in CHATCTL_PASSWORD), to all users", command: `chatctl broadcast "Maintenance at 22:00" --subject Maintenance --all --jid admin@example.org --yes` },
    { title: "set the message of the day", command: `chatctl broadcast --motd "Welcome to example.org" --jid admin@example.org --yes` },
  ]);
}

export function audienceOf(opts: BroadcastOptions): Audience {
  const chosen = [opts.online && "--online", opts.all && "--all", opts.group !== undefined && "--group", opts.motd && "--motd"].filter(Boolean);
  if (chosen.length > 1) throw new UsageError(`${chosen.join(" and ")} cannot be combined: choose one audience`);
  if (opts.group !== undefined && opts.group.trim() === "") throw new UsageError("--group needs a group name");
  if (opts.motd) return { kind: "motd" };
  if (opts.all) return { kind: "all" };
  if (opts.group !== undefined) return { kind: "group", group: opts.group.trim() };
  return { kind: "online" };
}

export async function run(messageArg: string | undefined, opts: BroadcastOptions, ctx: CliContext): Promise<number> {
  const audience = audienceOf(opts);
  if (!opts.yes && !opts.dryRun && !ctx.isTTY) {
    throw new UsageError("refusing to broadcast without --yes when not on a terminal", "add --yes, or --dry-run to count the recipients only");
  }
  let message = messageArg === "-" ? await readLine(ctx.stdin) : messageArg;
  if ((message === undefined || message === "") && !ctx.isTTY) throw new UsageError("no message: give it as an argument, or - to read it from stdin");

  const { client } = await connectAdmin(opts, ctx);
  try {
    if (message === undefined || message === "") message = await ctx.prompts.text("Message:");
    if (message.trim() === "") throw new UsageError("the message is empty; nothing was sent");

    if (opts.dryRun || !opts.yes) {
      const count = await countRecipients(client, audience);
      if (opts.dryRun) {
        const outcome: BroadcastOutcome = { server: client.domain, audience: audience.kind, ...(audience.kind === "group" ? { group: audience.group } : {}), dryRun: true, ...count };
        report(outcome, opts, ctx);
        return ExitCode.OK;
      }
      ctx.out.notice(`${describe(audience)} on ${client.domain}${count.recipients === null ? "" : `: ${count.recipients} ${plural(count.recipients)}`}`);
      ctx.out.detail((opts.subject ? `Subject: ${opts.subject}\n` : "") + message);
      if (!(await ctx.prompts.confirm(audience.kind === "motd" ? "Set this message of the day?" : "Send it?", false))) {
        ctx.out.notice("nothing was sent");
        return ExitCode.FAILED;
      }
    }

    const outcome = await send(client, audience, message, opts.subject);
    report(outcome, opts, ctx);
    return ExitCode.OK;
  } finally {
    await client.close();
  }
}

/** The count without sending: XEP-0133 counters for online/all (any server), chatctl's dry run for a group. */
async function countRecipients(client: AdminChannel, audience: Audience): Promise<Pick<BroadcastOutcome, "recipients" | "online" | "offline">> {
  switch (audience.kind) {
    case "online": {
      const n = await onlineUserCount(client);
      return { recipients: n, online: n, offline: 0 };
    }
    case "all":
    case "motd": {
      const total = await registeredUserCount(client);
      const online = await onlineUserCount(client);
      return { recipients: total, online, offline: total === null ? null : total - online };
    }
    case "group": {
      const r = await client.run(`${CHATCTL}#announce-group`, { group: audience.group, announcement: "(dry run)", "dry-run": true });
      return counts(r);
    }
  }
}

async function send(client: AdminChannel, audience: Audience, message: string, subject: string | undefined): Promise<BroadcastOutcome> {
  const base = { server: client.domain, audience: audience.kind, dryRun: false } as const;
  switch (audience.kind) {
    case "motd": {
      await client.run(`${ADMIN}#set-motd`, { subject, motd: message.split(/\r?\n/) });
      return { ...base, recipients: null, online: null, offline: null };
    }
    case "online":
      return { ...base, ...counts(await client.run(`${ADMIN}#announce`, { subject, announcement: message.split(/\r?\n/) })) };
    case "all":
      return { ...base, ...counts(await client.run(`${CHATCTL}#announce-all`, { subject, announcement: message.split(/\r?\n/) })) };
    case "group":
      return { ...base, group: audience.group, ...counts(await client.run(`${CHATCTL}#announce-group`, { group: audience.group, subject, announcement: message.split(/\r?\n/) })) };
  }
}

/** chatctl reports the counts as fields; other servers at most in a note. */
function counts(r: CommandResult): Pick<BroadcastOutcome, "recipients" | "online" | "offline"> {
  const recipients = numberField(r, "recipients") ?? noteNumber(r);
  return { recipients, online: numberField(r, "online"), offline: numberField(r, "offline") };
}

function numberField(r: CommandResult, name: string): number | null {
  const v = r.fields.get(name)?.values[0];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : null;
}

function noteNumber(r: CommandResult): number | null {
  const m = /(\d+)/.exec(r.notes.map((n) => n.text).join(" "));
  return m ? Number(m[1]) : null;
}

function plural(n: number): string {
  return n === 1 ? "user" : "users";
}

function describe(a: Audience): string {
  switch (a.kind) {
    case "online":
      return "announcement to every online user";
    case "all":
      return "announcement to every registered user";
    case "group":
      return `announcement to the members of ${a.group}`;
    case "motd":
      return "new message of the day for every user at login";
  }
}

function report(o: BroadcastOutcome, opts: BroadcastOptions, ctx: CliContext): void {
  if (opts.json) {
    ctx.out.json(o);
    return;
  }
  if (o.audience === "motd" && !o.dryRun) {
    ctx.out.done(`message of the day set on ${o.server}`);
    return;
  }
  const n = o.recipients === null ? "an unknown number of" : String(o.recipients);
  const later = o.offline ? ` (${o.offline} offline, at their next login)` : "";
  if (o.dryRun) ctx.out.line(`would reach ${n} ${plural(o.recipients ?? 2)}${later} on ${o.server}; nothing was sent`);
  else ctx.out.done(`announcement sent to ${n} ${plural(o.recipients ?? 2)}${later} on ${o.server}`);
}
