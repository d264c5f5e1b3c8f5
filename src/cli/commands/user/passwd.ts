// `chatctl user passwd USER`: set a new password. Sessions already logged in stay logged in.
import { Command } from "commander";
import { ExitCode } from "../../../errors.js";
import type { CliContext, ActionRunner } from "../../context.js";
import { withExamples } from "../../help.js";
import { assertExists, newPassword, parseAccount, withAccounts } from "./accounts.js";

export interface PasswdOptions {
  passwordStdin?: boolean;
}

export function passwdCommand(runner: ActionRunner): Command {
  const cmd = new Command("passwd")
    .description("set an account's password")
    .argument("<user>", "user name, or user@domain for the configured domain")
    .option("--password-stdin", "read the password from the first line of stdin (else prompt on a terminal)")
    .action((user: string, opts: PasswdOptions, self: Command) => runner(self, (ctx) => run(user, opts, ctx)));
  return withExamples(cmd, [
    { title: "change alice's password, typing it twice", command: "chatctl user passwd alice" },
    { title: "change alice's password from a script", command: `printf '%s\\n' "$PASSWORD" | chatctl user passwd alice --password-stdin` },
  ]);
}

export async function run(userArg: string, opts: PasswdOptions, ctx: CliContext): Promise<number> {
  const config = await ctx.loadConfig();
  const account = parseAccount(userArg, config);
  return await withAccounts(config, async ({ auth }) => {
    assertExists(auth, account);
    const password = await newPassword(ctx, account, { fromStdin: opts.passwordStdin, verb: "passwd" });
    auth.setPassword(account.user, password);
    ctx.out.done(`password changed for ${account.jid}`);
    return ExitCode.OK;
  });
}
