// What the upload service holds: files and bytes, per user, oldest and newest upload, open
// reservations, and records whose file is missing on disk. Read-only.
import { stat } from "node:fs/promises";
import { isFileId } from "./ids.js";
import type { UploadLayout } from "./layout.js";
import { isComplete, type UploadRecords } from "./records.js";

export interface UploadUserStats {
  user: string;
  files: number;
  bytes: number;
}

export interface UploadStats {
  files: number;
  bytes: number;
  users: number;
  /** ISO 8601 upload times; null when there are no files. */
  oldest: string | null;
  newest: string | null;
  /** Slots handed out whose upload has not completed (live or lapsed). */
  pendingSlots: number;
  /** Complete records whose file is not on disk (removed by hand?). */
  missingFiles: number;
  /** Largest first. */
  perUser: UploadUserStats[];
}

export async function uploadStats(records: UploadRecords, layout: UploadLayout): Promise<UploadStats> {
  const stats: UploadStats = { files: 0, bytes: 0, users: 0, oldest: null, newest: null, pendingSlots: 0, missingFiles: 0, perUser: [] };
  const perUser = new Map<string, UploadUserStats>();
  let oldest = Infinity;
  let newest = -Infinity;
  for (const record of records.all()) {
    if (!isComplete(record)) {
      stats.pendingSlots++;
      continue;
    }
    if (!isFileId(record.id) || !(await exists(layout.filePath(record.id)))) {
      stats.missingFiles++;
      continue;
    }
    stats.files++;
    stats.bytes += record.size;
    const mine = perUser.get(record.user) ?? { user: record.user, files: 0, bytes: 0 };
    mine.files++;
    mine.bytes += record.size;
    perUser.set(record.user, mine);
    const t = Date.parse(record.completedAt);
    if (t < oldest) oldest = t;
    if (t > newest) newest = t;
  }
  stats.users = perUser.size;
  if (stats.files > 0) {
    stats.oldest = new Date(oldest).toISOString();
    stats.newest = new Date(newest).toISOString();
  }
  stats.perUser = [...perUser.values()].sort((a, b) => b.bytes - a.bytes || b.files - a.files || a.user.localeCompare(b.user));
  return stats;
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
