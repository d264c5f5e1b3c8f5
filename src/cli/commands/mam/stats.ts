// `chatctl mam stats`: what the archive holds (messages, bytes, oldest and newest), its size on
// disk against mam.maxStorageBytes, and the users whose archives are largest. Read-only; on
// SQLite an index-only aggregate (ArchiveStore.summary), not a read of every stanza.
import { Command } from "commander";
import { ExitCode } from "../../../errors.js";
import { storageSize } from "../../../services/archive-retention.js";
import { effectiveRetention } from "../../../services/retention-policy.js";
import type { ArchiveStore } from "../../../storage/types.js";
import type { ActionRunner, CliContext } from "../../context.js";
import { withExamples } from "../../help.js";
import { days, formatBytes } from "./retention.js";
import { diskBytes, parseCount, requirePersistentStorage, withStorage } from "./shared.js";

export interface StatsOptions {
  top?: number;
  json?: boolean;
}

export interface StoreStats {
  messages: number;
  /** UTF-8 bytes of the stored stanzas. */
  bytes: number;
  /** Users with at least one message. */
  users: number;
  /** ISO 8601, null when empty. */
  oldest: string | null;
  newest: string | null;
}

/** The --json shape; scripts rely on it (documented in chatctl-mam(1)). */
export interface StatsReport {
  domain: string;
  archive: StoreStats;
  offline: StoreStats;
  storage: {
    /** Bytes the data occupies (database size minus free pages): what the cap is measured on. */
    usedBytes: number | null;
    /** The database file and its WAL on disk. */
    fileBytes: number | null;
    /** mam.maxStorageBytes; 0 = no cap. */
    maxStorageBytes: number;
    /** usedBytes as a percentage of the cap (one decimal); null without a cap or a size. */
    percentOfCap: number | null;
  };
  retentionDays: number;
  /** Largest archives first. */
  topUsers: { user: string; messages: number; bytes: number }[];
}

const PAGE = 1000;

export function statsCommand(runner: ActionRunner): Command {
  const cmd = new Command("stats")
    .description("show how many messages the archive holds, its size against the cap, and the largest archives")
    .option("--top <n>", "how many of the largest archives to list", parseCount, 10)
    .option("--json", "print the statistics as JSON")
    .action((opts: StatsOptions, self: Command) => runner(self, (ctx) => run(opts, ctx)));
  return withExamples(cmd, [
    { title: "how full is the archive", command: "chatctl mam stats" },
    { title: "percentage of the cap, in a script", command: "chatctl mam stats --json | jq .storage.percentOfCap" },
  ]);
}

export async function run(opts: StatsOptions, ctx: CliContext): Promise<number> {
  const config = await ctx.loadConfig();
  requirePersistentStorage(config, "stats");
  const host = config.domain;
  const report = await withStorage(
    config,
    async (storage): Promise<StatsReport> => {
      const perUser = new Map<string, { messages: number; bytes: number }>();
      const archive = await storeStats(storage.archive(host, "archive"), perUser);
      const offline = await storeStats(storage.archive(host, "offline"));
      const used = storageSize(storage) ?? null;
      const cap = config.mam.maxStorageBytes;
      const topUsers = [...perUser.entries()]
        .map(([user, t]) => ({ user: `${user}@${host}`, ...t }))
        .sort((a, b) => b.bytes - a.bytes || b.messages - a.messages || a.user.localeCompare(b.user))
        .slice(0, opts.top ?? 10);
      return {
        domain: host,
        archive,
        offline,
        storage: {
          usedBytes: used,
          fileBytes: storage.kind === "sqlite" ? diskBytes(storage.path) : null,
          maxStorageBytes: cap,
          percentOfCap: used !== null && cap > 0 ? Math.round((1000 * used) / cap) / 10 : null,
        },
        retentionDays: effectiveRetention(storage, host, config).retentionDays,
        topUsers,
      };
    },
    { readonly: true },
  );
  if (opts.json) ctx.out.json(report);
  else render(report, ctx);
  return ExitCode.OK;
}

/**
 * Totals of one store; fills `perUser` when given. The backend's summary() when it has one (the
 * SQLite backend answers from an index, without reading a stanza), else one pass over every
 * user's items, in pages.
 */
async function storeStats(store: ArchiveStore, perUser?: Map<string, { messages: number; bytes: number }>): Promise<StoreStats> {
  const stats: StoreStats = { messages: 0, bytes: 0, users: 0, oldest: null, newest: null };
  let oldest = Infinity;
  let newest = -Infinity;
  if (store.summary !== undefined) {
    for (const u of store.summary()) {
      stats.users++;
      stats.messages += u.messages;
      stats.bytes += u.bytes;
      oldest = Math.min(oldest, u.oldest.getTime());
      newest = Math.max(newest, u.newest.getTime());
      perUser?.set(u.user, { messages: u.messages, bytes: u.bytes });
    }
    return withRange(stats, oldest, newest);
  }
  for (const user of store.users()) {
    stats.users++;
    const mine = { messages: 0, bytes: 0 };
    let after: string | undefined;
    for (;;) {
      const page = store.find(user, { after, limit: PAGE });
      if (page.length === 0) break;
      for (const item of page) {
        mine.messages++;
        mine.bytes += Buffer.byteLength(item.value, "utf8");
        const t = item.when.getTime();
        if (t < oldest) oldest = t;
        if (t > newest) newest = t;
      }
      after = page[page.length - 1]!.key;
      await new Promise((resolve) => setImmediate(resolve));
    }
    stats.messages += mine.messages;
    stats.bytes += mine.bytes;
    perUser?.set(user, mine);
  }
  return withRange(stats, oldest, newest);
}

function withRange(stats: StoreStats, oldest: number, newest: number): StoreStats {
  if (stats.messages > 0) {
    stats.oldest = new Date(oldest).toISOString();
    stats.newest = new Date(newest).toISOString();
  }
  return stats;
}

function render(r: StatsReport, ctx: CliContext): void {
  const range = (s: StoreStats) => (s.oldest ? `, ${s.oldest.slice(0, 10)} … ${s.newest!.slice(0, 10)}` : "");
  ctx.out.line(`archive:   ${r.archive.messages} messages of ${r.archive.users} users (${formatBytes(r.archive.bytes)})${range(r.archive)}`);
  ctx.out.line(`offline:   ${r.offline.messages} messages for ${r.offline.users} users (${formatBytes(r.offline.bytes)})${range(r.offline)}`);
  const s = r.storage;
  const size = s.usedBytes === null ? "unknown" : formatBytes(s.usedBytes);
  const cap = s.maxStorageBytes === 0 ? "no cap" : `of ${formatBytes(s.maxStorageBytes)} cap${s.percentOfCap !== null ? ` (${s.percentOfCap} %)` : ""}`;
  ctx.out.line(`storage:   ${size} ${cap}${s.fileBytes !== null ? `; ${formatBytes(s.fileBytes)} on disk` : ""}`);
  ctx.out.line(`retention: ${days(r.retentionDays)}`);
  if (r.topUsers.length > 0) {
    ctx.out.line("largest archives:");
    const width = Math.max(...r.topUsers.map((u) => u.user.length));
    for (const u of r.topUsers) ctx.out.line(`  ${u.user.padEnd(width)}  ${String(u.messages).padStart(8)} messages  ${formatBytes(u.bytes)}`);
  }
}
