// `chatctl user …`: account administration, working directly on storage.
import { Command } from "commander";
import type { ActionRunner } from "../../context.js";
import { withExamples } from "../../help.js";
import { addCommand } from "./add.js";
import { delCommand } from "./del.js";
import { listCommand } from "./list.js";
import { passwdCommand } from "./passwd.js";

export function userCommand(runner: ActionRunner): Command {
  const cmd = new Command("user")
    .description("create, delete, list accounts and set passwords (works while the server runs)")
    .addCommand(addCommand(runner))
    .addCommand(delCommand(runner))
    .addCommand(passwdCommand(runner))
    .addCommand(listCommand(runner));
  return withExamples(cmd, [
    { title: "create an account", command: "chatctl user add alice" },
    { title: "list accounts", command: "chatctl user list" },
  ]);
}
