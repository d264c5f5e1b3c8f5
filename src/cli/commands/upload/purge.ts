// `chatctl upload purge`: removes uploaded files older than N days (default upload.expireDays),
// reservations long past their deadline and leftover partial files, directly on the data
// directory and the database, safely while the server runs and from cron: no prompt, one purge at
// a time (<dataDir>/upload-purge.lock), the same code as the server's daily job.
import { Command } from "commander";
import { ExitCode, UsageError } from "../../../errors.js";
import { purgeUploads, type UploadPurgeResult } from "../../../services/upload/expiry.js";
import type { ActionRunner, CliContext } from "../../context.js";
import { withExamples } from "../../help.js";
import { formatBytes } from "../mam/retention.js";
import { acquirePurgeLock, DAY_MS, dayParser, withStorage } from "../mam/shared.js";
import { requirePersistentUploads, UPLOAD_LOCK_FILE, uploadsOf } from "./shared.js";

export interface UploadPurgeOptions {
  olderThan?: number;
  dryRun?: boolean;
  json?: boolean;
}

/** The --json shape; scripts rely on it (documented in chatctl-upload(1)). */
export interface UploadPurgeReport extends UploadPurgeResult {
  domain: string;
  dryRun: boolean;
  olderThanDays: number;
  /** Files uploaded strictly before this instant were removed (ISO 8601). */
  olderThan: string;
  /** "option" (--older-than) or "config" (upload.expireDays). */
  daysFrom: "option" | "config";
}

export function purgeCommand(runner: ActionRunner): Command {
  const cmd = new Command("purge")
    .description("remove uploaded files older than the expiry, stale slots and leftovers (safe from cron while the server runs)")
    .option("--older-than <days>", "remove files uploaded more than this many days ago (default: upload.expireDays)", dayParser(1))
    .option("--dry-run", "count what would be removed; remove nothing")
    .option("--json", "print the result as JSON")
    .action((opts: UploadPurgeOptions, self: Command) => runner(self, (ctx) => run(opts, ctx)));
  return withExamples(cmd, [
    { title: "apply upload.expireDays now", command: "chatctl upload purge" },
    { title: "see what removing files older than 7 days would free", command: "chatctl upload purge --older-than 7 --dry-run" },
    { title: "nightly from cron, logging JSON", command: "chatctl upload purge --json >> /var/log/chatctl-upload-purge.log" },
  ]);
}

export async function run(opts: UploadPurgeOptions, ctx: CliContext, now: Date = new Date()): Promise<number> {
  const config = await ctx.loadConfig();
  requirePersistentUploads(config, "purge");
  let days: number;
  let daysFrom: UploadPurgeReport["daysFrom"];
  if (opts.olderThan !== undefined) {
    days = opts.olderThan;
    daysFrom = "option";
  } else if (config.upload.expireDays > 0) {
    days = config.upload.expireDays;
    daysFrom = "config";
  } else {
    throw new UsageError(
      "no --older-than given and upload.expireDays is 0 (files are kept forever)",
      "pass --older-than DAYS, or set upload.expireDays in the configuration",
    );
  }
  const olderThan = new Date(now.getTime() - days * DAY_MS);
  const dryRun = opts.dryRun === true;
  const lock = acquirePurgeLock(config, process.pid, UPLOAD_LOCK_FILE);
  try {
    const result = await withStorage(config, (storage) => {
      const { records, layout } = uploadsOf(storage, config);
      return purgeUploads(records, layout, { olderThan, dryRun, now });
    });
    const report: UploadPurgeReport = { domain: config.domain, dryRun, olderThanDays: days, olderThan: olderThan.toISOString(), daysFrom, ...result };
    if (opts.json) ctx.out.json(report);
    else render(report, ctx);
    return ExitCode.OK;
  } finally {
    lock.release();
  }
}

function render(r: UploadPurgeReport, ctx: CliContext): void {
  const verb = r.dryRun ? "would remove" : "removed";
  ctx.out.line(`${r.dryRun ? "dry run: " : ""}files uploaded more than ${r.olderThanDays} days ago (before ${r.olderThan}), ${r.domain}`);
  ctx.out.line(`files:       ${verb} ${r.files} (${formatBytes(r.bytes)})`);
  ctx.out.line(`stale slots: ${verb} ${r.staleSlots}`);
  ctx.out.line(`leftovers:   ${verb} ${r.partialFiles} partial files (${formatBytes(r.partialBytes)})`);
}
