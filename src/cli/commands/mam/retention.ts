// `chatctl mam retention [--days N | --reset]`: shows the archive retention policy in effect, or
// changes it by storing an override in the database, which the running server reads at each daily
// maintenance run (no restart needed).
import { Command } from "commander";
import { ExitCode, UsageError } from "../../../errors.js";
import {
  effectiveRetention,
  writeRetentionOverride,
  type RetentionOverride,
  type RetentionSource,
} from "../../../services/retention-policy.js";
import type { ActionRunner, CliContext } from "../../context.js";
import { withExamples } from "../../help.js";
import { databasePath, dayParser, fileExists, requirePersistentStorage, withStorage } from "./shared.js";

export interface RetentionOptions {
  days?: number;
  reset?: boolean;
  json?: boolean;
}

/** The --json shape; scripts rely on it (documented in chatctl-mam(1)). */
export interface RetentionReport {
  domain: string;
  /** Days archived and offline messages are kept; 0 = forever. */
  retentionDays: number;
  /** "database" when set with `chatctl mam retention --days`, else "config" (mam.retentionDays). */
  source: RetentionSource;
  configRetentionDays: number;
  override: RetentionOverride | null;
  /** mam.maxStorageBytes (0 = no cap); always from the configuration. */
  maxStorageBytes: number;
  /** This run changed the stored policy. */
  changed: boolean;
}

export function retentionCommand(runner: ActionRunner): Command {
  const cmd = new Command("retention")
    .description("show the archive retention policy, or change it for the running server")
    .option("--days <n>", "keep archived and offline messages this many days (0 = forever); stored in the database", dayParser(0))
    .option("--reset", "forget the stored policy: mam.retentionDays from the configuration applies again")
    .option("--json", "print the policy as JSON")
    .action((opts: RetentionOptions, self: Command) => runner(self, (ctx) => run(opts, ctx)));
  return withExamples(cmd, [
    { title: "show the policy in effect and where it comes from", command: "chatctl mam retention" },
    { title: "keep messages 90 days from now on, without restarting the server", command: "chatctl mam retention --days 90" },
  ]);
}

export async function run(opts: RetentionOptions, ctx: CliContext): Promise<number> {
  if (opts.days !== undefined && opts.reset) throw new UsageError("--days and --reset contradict each other", "pass one of them");
  const config = await ctx.loadConfig();
  requirePersistentStorage(config, "retention");
  const changing = opts.days !== undefined || opts.reset === true;
  const path = await databasePath(config);
  let report: RetentionReport;
  if (!changing && path !== undefined && !fileExists(path)) {
    // No database yet: nothing can be stored in it, so the configuration is the policy.
    report = toReport(config.domain, { retentionDays: config.mam.retentionDays, source: "config", configRetentionDays: config.mam.retentionDays }, config.mam.maxStorageBytes, false);
  } else {
    report = await withStorage(
      config,
      (storage) => {
        if (changing) writeRetentionOverride(storage, config.domain, opts.reset ? undefined : opts.days);
        return toReport(config.domain, effectiveRetention(storage, config.domain, config), config.mam.maxStorageBytes, changing);
      },
      { readonly: !changing },
    );
  }
  if (opts.json) ctx.out.json(report);
  else render(report, ctx);
  return ExitCode.OK;
}

function toReport(domain: string, eff: ReturnType<typeof effectiveRetention>, maxStorageBytes: number, changed: boolean): RetentionReport {
  return {
    domain,
    retentionDays: eff.retentionDays,
    source: eff.source,
    configRetentionDays: eff.configRetentionDays,
    override: eff.override ?? null,
    maxStorageBytes,
    changed,
  };
}

function render(r: RetentionReport, ctx: CliContext): void {
  if (r.changed) {
    ctx.out.done(
      r.source === "database"
        ? `retention for ${r.domain} set to ${days(r.retentionDays)}; the running server applies it at its next daily run`
        : `stored retention for ${r.domain} removed; the configuration applies again`,
    );
  }
  const from =
    r.source === "database"
      ? `set with chatctl mam retention${r.override?.setAt ? ` on ${r.override.setAt}` : ""}; the configuration says ${days(r.configRetentionDays)}`
      : "mam.retentionDays in the configuration";
  ctx.out.line(`retention: ${days(r.retentionDays)} (${from})`);
  ctx.out.line(`size cap:  ${r.maxStorageBytes === 0 ? "none" : formatBytes(r.maxStorageBytes)} (mam.maxStorageBytes in the configuration)`);
}

export function days(n: number): string {
  if (n === 0) return "forever";
  return n === 1 ? "1 day" : `${n} days`;
}

export function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = n;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} B` : `${value.toFixed(value < 10 ? 2 : 1).replace(/\.?0+$/, "")} ${units[unit]}`;
}
