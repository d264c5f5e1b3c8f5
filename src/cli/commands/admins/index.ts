// `chatctl admins add|del|list`: who may run the server's administration commands. Rights come
// from membership of the admin group (config admin.group, default "jabberadmins"), managed here
// on storage, plus the accounts listed in the config's admin.jids (shown, edited in the file).
import { Command } from "commander";
import { ChatctlError, ExitCode } from "../../../errors.js";
import { listAdmins, type AdminEntry } from "../../../services/admins.js";
import type { ActionRunner, CliContext } from "../../context.js";
import { withExamples } from "../../help.js";
import { assertExists, parseAccount } from "../user/accounts.js";
import { withGroups } from "./store.js";

export function adminsCommand(runner: ActionRunner): Command {
  const add = new Command("add")
    .description("make an account an administrator (adds it to the admin group)")
    .argument("<user>", "user name, or user@domain for the configured domain")
    .action((user: string, _opts: object, self: Command) => runner(self, (ctx) => runAdd(user, ctx)));
  const del = new Command("del")
    .description("take administrator rights away (removes the account from the admin group)")
    .argument("<user>", "user name, or user@domain for the configured domain")
    .action((user: string, _opts: object, self: Command) => runDel(user, self, runner));
  const list = new Command("list")
    .description("list the administrators: admin group members and the config's admin.jids")
    .option("--json", 'print {"domain", "group", "admins": [{"jid", "sources"}]} as JSON')
    .action((opts: { json?: boolean }, self: Command) => runner(self, (ctx) => runList(opts, ctx)));
  withExamples(add, [{ title: "make alice an administrator", command: "chatctl admins add alice" }]);
  withExamples(del, [{ title: "alice is no longer an administrator", command: "chatctl admins del alice@example.org" }]);
  withExamples(list, [{ title: "who are the administrators", command: "chatctl admins list" }]);
  const cmd = new Command("admins").description("grant and revoke administrator rights (works while the server runs)").addCommand(add).addCommand(del).addCommand(list);
  return withExamples(cmd, [
    { title: "make alice an administrator", command: "chatctl admins add alice" },
    { title: "list the administrators", command: "chatctl admins list --json" },
  ]);
}

export async function runAdd(userArg: string, ctx: CliContext): Promise<number> {
  const config = await ctx.loadConfig();
  const account = parseAccount(userArg, config);
  return await withGroups(config, (auth) => {
    assertExists(auth, account);
    const already = auth.groups(account.user).includes(config.admin.group);
    auth.addToGroup(account.user, config.admin.group);
    ctx.out.done(already ? `${account.jid} already is an administrator` : `${account.jid} is now an administrator (group ${config.admin.group})`);
    return ExitCode.OK;
  });
}

function runDel(userArg: string, self: Command, runner: ActionRunner): Promise<void> {
  return runner(self, async (ctx) => {
    const config = await ctx.loadConfig();
    const account = parseAccount(userArg, config);
    return await withGroups(config, (auth) => {
      const was = auth.removeFromGroup(account.user, config.admin.group);
      if (config.admin.jids.includes(account.jid)) {
        throw new ChatctlError(
          "CHATCTL_E_ADMIN_IN_CONFIG",
          `${account.jid} is listed in admin.jids of ${config.source ?? "the configuration"}${was ? " (removed from the group too)" : ""}`,
          ExitCode.FAILED,
          "remove it from admin.jids in the configuration file",
        );
      }
      if (!was) {
        throw new ChatctlError("CHATCTL_E_NOT_ADMIN", `${account.jid} is not an administrator`, ExitCode.FAILED, "list them with: chatctl admins list");
      }
      ctx.out.done(`${account.jid} is no longer an administrator`);
      return ExitCode.OK;
    });
  });
}

/** The --json shape of `admins list`. */
export interface AdminList {
  domain: string;
  group: string;
  admins: AdminEntry[];
}

export async function runList(opts: { json?: boolean }, ctx: CliContext): Promise<number> {
  const config = await ctx.loadConfig();
  const members = await withGroups(config, (auth) => auth.groupMembers(config.admin.group), { readonly: true });
  const result: AdminList = { domain: config.domain, group: config.admin.group, admins: listAdmins(config.domain, config, members) };
  if (opts.json) ctx.out.json(result);
  else {
    ctx.out.list(
      result.admins.map((a) => `${a.jid}${a.sources.includes("config") ? "  (admin.jids)" : ""}`),
      `${result.admins.length} ${result.admins.length === 1 ? "administrator" : "administrators"} on ${result.domain}`,
    );
  }
  return ExitCode.OK;
}
