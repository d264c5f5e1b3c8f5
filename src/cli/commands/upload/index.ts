// `chatctl upload …`: the HTTP upload service's stored files: cron-safe purge and statistics,
// working directly on the data directory and the database (safe while the server runs).
import { Command } from "commander";
import type { ActionRunner } from "../../context.js";
import { withExamples } from "../../help.js";
import { purgeCommand } from "./purge.js";
import { statsCommand } from "./stats.js";

export function uploadCommand(runner: ActionRunner): Command {
  const cmd = new Command("upload")
    .description("uploaded files (XEP-0363): purge expired ones and show statistics (works while the server runs)")
    .addCommand(purgeCommand(runner))
    .addCommand(statsCommand(runner));
  return withExamples(cmd, [
    { title: "remove files older than upload.expireDays now", command: "chatctl upload purge" },
    { title: "how much do uploads take", command: "chatctl upload stats" },
  ]);
}
