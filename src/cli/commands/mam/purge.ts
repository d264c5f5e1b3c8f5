// `chatctl mam purge`: removes archived and offline messages older than N days, directly in the
// database, safely while the server runs and from cron: no prompt, bounded batches (one
// transaction each, services/archive-retention.ts — the server's daily job runs the same code),
// one purge at a time (a lock file in the data directory), then the freed pages are given back
// to the file system (SQLite: incremental vacuum + WAL checkpoint).
import { Command } from "commander";
import type { Config } from "../../../config/types.js";
import { ExitCode, UsageError } from "../../../errors.js";
import { purgeArchive, type StoreTotals } from "../../../services/archive-retention.js";
import { effectiveRetention, type RetentionSource } from "../../../services/retention-policy.js";
import type { OpenedStorage } from "../../../storage/open.js";
import type { ActionRunner, CliContext } from "../../context.js";
import { withExamples } from "../../help.js";
import { parseAccount } from "../user/accounts.js";
import { formatBytes } from "./retention.js";
import { DAY_MS, acquirePurgeLock, dayParser, diskBytes, requirePersistentStorage, withStorage } from "./shared.js";

export interface PurgeOptions {
  olderThan?: number;
  user?: string;
  dryRun?: boolean;
  json?: boolean;
}

/** The --json shape; scripts rely on it (documented in chatctl-mam(1)). */
export interface PurgeReport {
  domain: string;
  dryRun: boolean;
  olderThanDays: number;
  /** Messages stored strictly before this instant were removed (ISO 8601). */
  olderThan: string;
  /** "option" (--older-than), "database" (chatctl mam retention --days) or "config" (mam.retentionDays). */
  daysFrom: "option" | RetentionSource;
  /** user@domain with --user, else null (every user). */
  user: string | null;
  /** Removed (or, with dryRun, that would be removed): messages and stanza bytes. */
  archive: StoreTotals;
  offline: StoreTotals;
  /** Group chat rooms' archives (conference.<domain>), purged with the accounts' archives; zero with --user. */
  rooms: StoreTotals;
  /** The database file and its WAL on disk; null in a dry run. */
  disk: { beforeBytes: number; afterBytes: number; freedBytes: number; checkpointBusy: boolean } | null;
}

/** Pages returned to the file system per step, so the write lock is held briefly each time. */
const VACUUM_PAGES_PER_STEP = 4096;

export function purgeCommand(runner: ActionRunner): Command {
  const cmd = new Command("purge")
    .description("remove archived, offline and group chat room messages older than the retention period (safe from cron while the server runs)")
    .option("--older-than <days>", "remove messages older than this many days (default: the retention policy, see mam retention)", dayParser(1))
    .option("--user <jid>", "only this account's messages (user or user@domain)")
    .option("--dry-run", "count what would be removed; remove nothing")
    .option("--json", "print the result as JSON")
    .action((opts: PurgeOptions, self: Command) => runner(self, (ctx) => run(opts, ctx)));
  return withExamples(cmd, [
    { title: "apply the retention policy now", command: "chatctl mam purge" },
    { title: "see what removing messages older than 30 days would free", command: "chatctl mam purge --older-than 30 --dry-run" },
    { title: "nightly from cron, logging JSON", command: "chatctl mam purge --json >> /var/log/chatctl-purge.log" },
  ]);
}

export async function run(opts: PurgeOptions, ctx: CliContext, now: Date = new Date()): Promise<number> {
  const config = await ctx.loadConfig();
  requirePersistentStorage(config, "purge");
  const account = opts.user !== undefined ? parseAccount(opts.user, config) : undefined;
  const lock = acquirePurgeLock(config);
  try {
    const report = await withStorage(config, (storage) => purge(storage, config, opts, account, ctx, now));
    if (opts.json) ctx.out.json(report);
    else render(report, ctx);
    return ExitCode.OK;
  } finally {
    lock.release();
  }
}

async function purge(
  storage: OpenedStorage,
  config: Config,
  opts: PurgeOptions,
  account: { user: string; jid: string } | undefined,
  ctx: CliContext,
  now: Date,
): Promise<PurgeReport> {
  const host = config.domain;
  let days: number;
  let daysFrom: PurgeReport["daysFrom"];
  if (opts.olderThan !== undefined) {
    days = opts.olderThan;
    daysFrom = "option";
  } else {
    const policy = effectiveRetention(storage, host, config);
    if (policy.retentionDays === 0) {
      throw new UsageError(
        "no --older-than given and no retention policy is set (messages are kept forever)",
        "pass --older-than DAYS, or set a policy with: chatctl mam retention --days N (or mam.retentionDays in the configuration)",
      );
    }
    days = policy.retentionDays;
    daysFrom = policy.source;
  }
  const olderThan = new Date(now.getTime() - days * DAY_MS);
  const dryRun = opts.dryRun === true;
  const path = storage.kind === "sqlite" ? storage.path : undefined;
  const before = path !== undefined ? diskBytes(path) : 0;

  const progress = ctx.isTTY && !opts.json;
  let seen = 0;
  const result = await purgeArchive(storage, host, {
    olderThan,
    ...(account ? { user: account.user } : {}),
    dryRun,
    onBatch: (n) => {
      seen += n;
      if (progress) ctx.stderr.write(`\r${dryRun ? "counted" : "removed"} ${seen} messages…`);
    },
  });
  if (progress && seen > 0) ctx.stderr.write("\n");

  let disk: PurgeReport["disk"] = null;
  if (!dryRun && storage.kind === "sqlite" && path !== undefined) {
    const checkpointBusy = await reclaim(storage);
    const after = diskBytes(path);
    disk = { beforeBytes: before, afterBytes: after, freedBytes: Math.max(0, before - after), checkpointBusy };
  }
  return {
    domain: host,
    dryRun,
    olderThanDays: days,
    olderThan: olderThan.toISOString(),
    daysFrom,
    user: account?.jid ?? null,
    archive: result.archive,
    offline: result.offline,
    rooms: result.rooms,
    disk,
  };
}

/**
 * Gives free pages back to the file system in bounded steps, then checkpoints the WAL into the
 * database file (which truncates it). Returns true when a reader (the running server) kept the
 * checkpoint from completing: the space is then reclaimed at a later checkpoint.
 */
async function reclaim(storage: Extract<OpenedStorage, { kind: "sqlite" }>): Promise<boolean> {
  storage.checkpoint("PASSIVE");
  while (storage.incrementalVacuum(VACUUM_PAGES_PER_STEP) > 0) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  return storage.checkpoint("TRUNCATE").busy;
}

function render(r: PurgeReport, ctx: CliContext): void {
  const verb = r.dryRun ? "would remove" : "removed";
  const who = r.user ?? `every user of ${r.domain}`;
  ctx.out.line(`${r.dryRun ? "dry run: " : ""}messages older than ${r.olderThanDays} days (before ${r.olderThan}), ${who}`);
  ctx.out.line(`archive: ${verb} ${r.archive.messages} messages (${formatBytes(r.archive.bytes)})`);
  ctx.out.line(`offline: ${verb} ${r.offline.messages} messages (${formatBytes(r.offline.bytes)})`);
  if (r.user === null) ctx.out.line(`rooms:   ${verb} ${r.rooms.messages} messages (${formatBytes(r.rooms.bytes)})`);
  if (r.disk) {
    ctx.out.line(`disk:    ${formatBytes(r.disk.beforeBytes)} → ${formatBytes(r.disk.afterBytes)} (freed ${formatBytes(r.disk.freedBytes)})`);
    if (r.disk.checkpointBusy) ctx.out.notice("the server was reading the database; the rest of the space is reclaimed at its next checkpoint");
  }
}
