// `chatctl user add USER`: create an account with a password (SCRAM keys only are stored).
import { Command } from "commander";
import { ExitCode } from "../../../errors.js";
import type { CliContext, ActionRunner } from "../../context.js";
import { withExamples } from "../../help.js";
import { assertAbsent, newPassword, parseAccount, withAccounts } from "./accounts.js";

export interface AddOptions {
  passwordStdin?: boolean;
}

export function addCommand(runner: ActionRunner): Command {
  const cmd = new Command("add")
    .description("create an account")
    .argument("<user>", "user name, or user@domain for the configured domain")
    .option("--password-stdin", "read the password from the first line of stdin (else prompt on a terminal)")
    .action((user: string, opts: AddOptions, self: Command) => runner(self, (ctx) => run(user, opts, ctx)));
  return withExamples(cmd, [
    { title: "create alice, typing the password twice", command: "chatctl user add alice" },
    { title: "create alice from a script", command: `printf '%s\\n' "$PASSWORD" | chatctl user add alice@example.org --password-stdin` },
  ]);
}

export async function run(userArg: string, opts: AddOptions, ctx: CliContext): Promise<number> {
  const config = await ctx.loadConfig();
  const account = parseAccount(userArg, config);
  return await withAccounts(config, async ({ auth }) => {
    // Fail before asking for a password that could not be used.
    assertAbsent(auth, account);
    const password = await newPassword(ctx, account, { fromStdin: opts.passwordStdin, verb: "add" });
    auth.createUser(account.user, password);
    ctx.out.done(`created ${account.jid}`);
    return ExitCode.OK;
  });
}
