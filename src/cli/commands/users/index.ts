// `chatctl users …`: what is happening on a running server, asked over XMPP as an administrator
// (XEP-0133), so it works remotely and against other servers too. Accounts themselves are
// `chatctl user …` (storage).
import { Command } from "commander";
import type { ActionRunner } from "../../context.js";
import { withExamples } from "../../help.js";
import { countCommand } from "./count.js";
import { onlineCommand } from "./online.js";

export function usersCommand(runner: ActionRunner): Command {
  const cmd = new Command("users")
    .description("see who is connected to a running server (XEP-0133, as an administrator)")
    .addCommand(onlineCommand(runner))
    .addCommand(countCommand(runner));
  return withExamples(cmd, [
    { title: "who is online", command: "chatctl users online --jid admin@example.org" },
    { title: "how many", command: "chatctl users count --jid admin@example.org --json" },
  ]);
}
