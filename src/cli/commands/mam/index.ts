// `chatctl mam …`: the message archive's retention policy, purge and statistics, working directly
// on storage (safe while the server runs).
import { Command } from "commander";
import type { ActionRunner } from "../../context.js";
import { withExamples } from "../../help.js";
import { purgeCommand } from "./purge.js";
import { retentionCommand } from "./retention.js";
import { statsCommand } from "./stats.js";

export function mamCommand(runner: ActionRunner): Command {
  const cmd = new Command("mam")
    .description("message archive: retention policy, purge and statistics (works while the server runs)")
    .addCommand(retentionCommand(runner))
    .addCommand(purgeCommand(runner))
    .addCommand(statsCommand(runner));
  return withExamples(cmd, [
    { title: "keep messages 90 days", command: "chatctl mam retention --days 90" },
    { title: "purge now what the policy says is too old", command: "chatctl mam purge" },
    { title: "how full is the archive", command: "chatctl mam stats" },
  ]);
}
