// `chatctl muc …`: the rooms of a running server's group chat service, as an administrator (over
// XMPP with --jid, or the local admin socket on the server's host), like `chatctl users`.
import { Command } from "commander";
import type { ActionRunner } from "../../context.js";
import { withExamples } from "../../help.js";
import { destroyCommand } from "./destroy.js";
import { infoCommand } from "./info.js";
import { listCommand } from "./list.js";

export function mucCommand(runner: ActionRunner): Command {
  const cmd = new Command("muc")
    .description("group chat rooms of a running server: list, inspect, destroy (as an administrator)")
    .addCommand(listCommand(runner))
    .addCommand(infoCommand(runner))
    .addCommand(destroyCommand(runner));
  return withExamples(cmd, [
    { title: "every room with its occupants", command: "chatctl muc list" },
    { title: "one room in detail", command: "chatctl muc info lobby --json" },
    { title: "destroy a room", command: 'chatctl muc destroy oldroom --reason "closed" --yes' },
  ]);
}
