// `chatctl upload stats`: what the upload service stores (files, bytes, oldest and newest upload,
// open slots, records whose file is missing) against the limits, and the accounts using most.
// Read-only.
import { Command } from "commander";
import { ExitCode } from "../../../errors.js";
import { uploadStats, type UploadStats } from "../../../services/upload/stats.js";
import type { ActionRunner, CliContext } from "../../context.js";
import { withExamples } from "../../help.js";
import { days, formatBytes } from "../mam/retention.js";
import { parseCount, withStorage } from "../mam/shared.js";
import { requirePersistentUploads, uploadsOf } from "./shared.js";

export interface UploadStatsOptions {
  top?: number;
  json?: boolean;
}

/** The --json shape; scripts rely on it (documented in chatctl-upload(1)). */
export interface UploadStatsReport extends Omit<UploadStats, "perUser"> {
  domain: string;
  /** Where the files are. */
  directory: string;
  expireDays: number;
  maxFileBytes: number;
  /** 0 = no quota. */
  quotaBytes: number;
  /** Largest first: user@domain, files, bytes, and the share of the quota (one decimal; null without a quota). */
  topUsers: Array<{ user: string; files: number; bytes: number; percentOfQuota: number | null }>;
}

export function statsCommand(runner: ActionRunner): Command {
  const cmd = new Command("stats")
    .description("show how many uploaded files are stored, their size and age, and who uses most")
    .option("--top <n>", "how many of the largest users to list", parseCount, 10)
    .option("--json", "print the statistics as JSON")
    .action((opts: UploadStatsOptions, self: Command) => runner(self, (ctx) => run(opts, ctx)));
  return withExamples(cmd, [
    { title: "how much do uploads take", command: "chatctl upload stats" },
    { title: "bytes stored, in a script", command: "chatctl upload stats --json | jq .bytes" },
  ]);
}

export async function run(opts: UploadStatsOptions, ctx: CliContext): Promise<number> {
  const config = await ctx.loadConfig();
  requirePersistentUploads(config, "stats");
  const stats = await withStorage(
    config,
    (storage) => {
      const { records, layout } = uploadsOf(storage, config);
      return uploadStats(records, layout).then((s) => ({ s, directory: layout.root }));
    },
    { readonly: true },
  );
  const { perUser, ...totals } = stats.s;
  const quota = config.upload.quotaBytes;
  const report: UploadStatsReport = {
    domain: config.domain,
    directory: stats.directory,
    ...totals,
    expireDays: config.upload.expireDays,
    maxFileBytes: config.upload.maxFileBytes,
    quotaBytes: quota,
    topUsers: perUser.slice(0, opts.top ?? 10).map((u) => ({
      user: `${u.user}@${config.domain}`,
      files: u.files,
      bytes: u.bytes,
      percentOfQuota: quota > 0 ? Math.round((1000 * u.bytes) / quota) / 10 : null,
    })),
  };
  if (opts.json) ctx.out.json(report);
  else render(report, ctx);
  return ExitCode.OK;
}

function render(r: UploadStatsReport, ctx: CliContext): void {
  const range = r.oldest ? `, ${r.oldest.slice(0, 10)} … ${r.newest!.slice(0, 10)}` : "";
  ctx.out.line(`files:   ${r.files} of ${r.users} users (${formatBytes(r.bytes)})${range} in ${r.directory}`);
  ctx.out.line(`slots:   ${r.pendingSlots} handed out and not (yet) used`);
  if (r.missingFiles > 0) ctx.out.notice(`${r.missingFiles} uploaded files are recorded but missing on disk; they answer 404`);
  ctx.out.line(`limits:  ${formatBytes(r.maxFileBytes)} per file, ${r.quotaBytes === 0 ? "no quota" : `${formatBytes(r.quotaBytes)} per user`}, kept ${days(r.expireDays)}`);
  if (r.topUsers.length > 0) {
    ctx.out.line("largest users:");
    const width = Math.max(...r.topUsers.map((u) => u.user.length));
    for (const u of r.topUsers) {
      const share = u.percentOfQuota !== null ? `  ${u.percentOfQuota} % of quota` : "";
      ctx.out.line(`  ${u.user.padEnd(width)}  ${String(u.files).padStart(6)} files  ${formatBytes(u.bytes)}${share}`);
    }
  }
}
