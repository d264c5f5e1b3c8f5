// `chatctl user list`: the accounts of the configured domain, sorted.
import { Command } from "commander";
import { ExitCode } from "../../../errors.js";
import type { CliContext, ActionRunner } from "../../context.js";
import { withExamples } from "../../help.js";
import { withAccounts } from "./accounts.js";

export interface ListOptions {
  json?: boolean;
}

/** The --json shape; scripts rely on it. */
export interface UserList {
  domain: string;
  users: string[];
}

export function listCommand(runner: ActionRunner): Command {
  const cmd = new Command("list")
    .description("list the accounts of the configured domain")
    .option("--json", 'print {"domain": …, "users": […]} as JSON')
    .action((opts: ListOptions, self: Command) => runner(self, (ctx) => run(opts, ctx)));
  return withExamples(cmd, [
    { title: "who has an account", command: "chatctl user list" },
    { title: "count the accounts in a script", command: "chatctl user list --json | jq '.users | length'" },
  ]);
}

export async function run(opts: ListOptions, ctx: CliContext): Promise<number> {
  const config = await ctx.loadConfig();
  const result: UserList = await withAccounts(
    config,
    ({ auth }) => ({ domain: config.domain, users: [...auth.listUsers()].sort() }),
    { readonly: true },
  );
  if (opts.json) ctx.out.json(result);
  else ctx.out.list(result.users, `${result.users.length} ${result.users.length === 1 ? "user" : "users"} on ${result.domain}`);
  return ExitCode.OK;
}
