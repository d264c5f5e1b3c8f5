// The archive's periodic upkeep: purge what is older than the retention period and watch the
// storage size against the cap, through services/archive-retention.ts (the code `chatctl mam
// purge` runs too). Both cover the group chat rooms' archives (conference.<domain>) as well as the
// accounts'. The module schedules it; this file decides what one run does.
import type { Logger } from "../../log/logger.js";
import type { ModuleContext } from "../../server/module-api.js";
import {
  enforceSizeCap,
  purgeArchive,
  ROOM_ARCHIVE_STORE,
  storageSize,
  type PurgeResult,
  type RetentionStorage,
  type SizeCapResult,
} from "../../services/archive-retention.js";
import { openStorage } from "../../storage/open.js";
import type { StorageBackend } from "../../storage/types.js";
import type { MamOptions } from "./options.js";
import { effectiveRetentionDays } from "../../services/retention-policy.js";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Share of the cap at which the size is worth a warning. */
export const SIZE_WARNING_RATIO = 0.8;

export interface MaintenanceReport {
  purged?: PurgeResult;
  /** Storage size measured after the purge (undefined when the backend cannot tell). */
  sizeBytes?: number;
  /**
   * The cap was exceeded and the oldest archived messages were removed, from the accounts'
   * archives (`archived`) and the group chat rooms' archives (`rooms`) taken as one timeline.
   */
  trimmed?: SizeCapResult & { archived: number; rooms: number };
}

export async function runArchiveMaintenance(
  storage: RetentionStorage,
  host: string,
  options: Pick<MamOptions, "retentionDays" | "maxStorageBytes">,
  log: Logger,
  now: Date = new Date(),
): Promise<MaintenanceReport> {
  // `chatctl mam retention --days N` stores an override the running server follows without a restart.
  options = { ...options, retentionDays: effectiveRetentionDays(storage, host, options) };
  const report: MaintenanceReport = {};
  if (options.retentionDays > 0) {
    const olderThan = new Date(now.getTime() - options.retentionDays * DAY_MS);
    const purged = await purgeArchive(storage, host, { olderThan });
    report.purged = purged;
    const removed = {
      archived: purged.archive.messages,
      offline: purged.offline.messages,
      rooms: purged.rooms.messages,
      bytes: purged.archive.bytes + purged.offline.bytes + purged.rooms.bytes,
    };
    if (removed.archived + removed.offline + removed.rooms > 0) {
      log.info({ ...removed, olderThan: olderThan.toISOString(), retentionDays: options.retentionDays }, "archive retention removed old messages");
    } else {
      log.debug({ olderThan: olderThan.toISOString() }, "archive retention found nothing to remove");
    }
  }
  if (options.maxStorageBytes > 0) {
    const size = storageSize(storage);
    report.sizeBytes = size;
    if (size === undefined) {
      log.debug("the storage backend cannot report its size; mam.maxStorageBytes is not enforced");
    } else if (size > options.maxStorageBytes) {
      const byStore = { archived: 0, rooms: 0 };
      const trimmed = await enforceSizeCap(storage, host, {
        maxBytes: options.maxStorageBytes,
        onBatch: (messages, store) => (byStore[store === ROOM_ARCHIVE_STORE ? "rooms" : "archived"] += messages),
      });
      report.trimmed = { ...trimmed, ...byStore };
      report.sizeBytes = trimmed.after;
      log.warn(
        { sizeBytes: trimmed.before, afterBytes: trimmed.after, maxStorageBytes: options.maxStorageBytes, removed: trimmed.messages, ...byStore },
        "storage exceeded mam.maxStorageBytes: the oldest archived messages (accounts' and rooms') were removed",
      );
    } else if (size >= SIZE_WARNING_RATIO * options.maxStorageBytes) {
      log.warn(
        { sizeBytes: size, maxStorageBytes: options.maxStorageBytes, percent: Math.round((100 * size) / options.maxStorageBytes) },
        "storage is above 80 % of mam.maxStorageBytes; the oldest archived messages will be removed when it is full",
      );
    }
  }
  return report;
}

/** The backend when the host exposes it on the context (feature-detected: not every host does). */
export function exposedStorage(ctx: ModuleContext): StorageBackend | undefined {
  return (ctx as ModuleContext & { storage?: StorageBackend }).storage;
}

/**
 * The storage a maintenance run works on: the host's backend when the context exposes it; else,
 * for SQLite, a connection of its own to the same file (as `chatctl mam purge` would open, safe
 * beside the server's under WAL), closed after the run; else the context's stores, without size.
 */
export function maintenanceStorage(ctx: ModuleContext): { storage: RetentionStorage; release(): void } {
  const exposed = exposedStorage(ctx);
  if (exposed) return { storage: exposed, release: () => {} };
  if (ctx.config.storage?.backend === "sqlite") {
    const opened = openStorage(ctx.config);
    return { storage: opened, release: () => opened.close() };
  }
  const viaContext: RetentionStorage = {
    archive: (host, store) => {
      if (host !== ctx.host) throw new Error(`maintenance of ${ctx.host} asked for ${host}`);
      return ctx.archive(store);
    },
    // One process, synchronous stores: a batch cannot interleave with the server's own writes.
    transaction: (fn) => fn(),
  };
  return { storage: viaContext, release: () => {} };
}

export const MAINTENANCE_TICK_MS = 60 * 60 * 1000;
export const MAINTENANCE_EVERY_MS = DAY_MS;
