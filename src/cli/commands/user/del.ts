// `chatctl user del USER`: delete an account and everything stored for it (roster, vCard,
// offline messages, archive …). Irreversible, so it asks first on a terminal and demands --yes
// elsewhere (STYLE-ANCHORS §4.4 rule 9).
import { Command } from "commander";
import { ExitCode, UsageError } from "../../../errors.js";
import type { CliContext, ActionRunner } from "../../context.js";
import { withExamples } from "../../help.js";
import { assertExists, parseAccount, withAccounts } from "./accounts.js";

export interface DelOptions {
  yes?: boolean;
}

export function delCommand(runner: ActionRunner): Command {
  const cmd = new Command("del")
    .description("delete an account and all data stored for it")
    .argument("<user>", "user name, or user@domain for the configured domain")
    .option("-y, --yes", "do not ask for confirmation (required when not on a terminal)")
    .action((user: string, opts: DelOptions, self: Command) => runner(self, (ctx) => run(user, opts, ctx)));
  return withExamples(cmd, [
    { title: "delete bob, after confirming", command: "chatctl user del bob" },
    { title: "delete bob from a script, without a prompt", command: "chatctl user del bob@example.org --yes" },
  ]);
}

export async function run(userArg: string, opts: DelOptions, ctx: CliContext): Promise<number> {
  if (!opts.yes && !ctx.isTTY) {
    throw new UsageError("refusing to delete an account without --yes when not on a terminal", `run: chatctl user del ${userArg} --yes`);
  }
  const config = await ctx.loadConfig();
  const account = parseAccount(userArg, config);
  return await withAccounts(config, async ({ auth, backend }) => {
    assertExists(auth, account);
    if (!opts.yes) {
      const sure = await ctx.prompts.confirm(`Delete ${account.jid} and everything stored for it? This cannot be undone.`, false);
      if (!sure) {
        ctx.out.notice(`nothing deleted; ${account.jid} is unchanged`);
        return ExitCode.FAILED;
      }
    }
    auth.deleteUser(account.user);
    backend.deleteUser(config.domain, account.user);
    ctx.out.done(`deleted ${account.jid} and its stored data`);
    return ExitCode.OK;
  });
}
