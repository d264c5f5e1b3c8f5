// Removing what the upload service no longer needs, without XML or a module context: files whose
// upload is older than the expiry, reservations long past their deadline, and partial files an
// interrupted process left behind. The server's daily job (modules/upload) and
// `chatctl upload purge` call the same function, on the same records and directory.
import { readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { isFileId } from "./ids.js";
import type { UploadLayout } from "./layout.js";
import { isComplete, type UploadRecord, type UploadRecords } from "./records.js";

/**
 * How long after its deadline an unused reservation, or a partial file nobody writes to, is left
 * alone. Generous on purpose: a purge from another process cannot see the server's uploads in
 * progress, which may run for hours after their slot's deadline.
 */
export const STALE_AFTER_MS = 86_400_000;

export interface UploadPurgeOptions {
  /** Files uploaded strictly before this instant are removed; none when undefined (kept forever). */
  olderThan?: Date;
  /** Count, remove nothing. */
  dryRun?: boolean;
  now?: Date;
}

export interface UploadPurgeResult {
  /** Expired files removed (or that would be). */
  files: number;
  bytes: number;
  /** Unused reservations removed. */
  staleSlots: number;
  /** Leftover partial files removed. */
  partialFiles: number;
  partialBytes: number;
}

const YIELD_EVERY = 200;

export async function purgeUploads(records: UploadRecords, layout: UploadLayout, opts: UploadPurgeOptions = {}): Promise<UploadPurgeResult> {
  const now = (opts.now ?? new Date()).getTime();
  const cutoff = opts.olderThan?.getTime();
  const dryRun = opts.dryRun === true;
  const result: UploadPurgeResult = { files: 0, bytes: 0, staleSlots: 0, partialFiles: 0, partialBytes: 0 };
  // Collected first: removing while iterating a store's users is not something every backend allows.
  const expired: UploadRecord[] = [];
  const stale: UploadRecord[] = [];
  for (const record of records.all()) {
    if (!isFileId(record.id)) continue;
    if (isComplete(record)) {
      if (cutoff !== undefined && Date.parse(record.completedAt) < cutoff) expired.push(record);
    } else if (Date.parse(record.slotExpiresAt) + STALE_AFTER_MS < now) {
      stale.push(record);
    }
  }
  let done = 0;
  for (const record of expired) {
    result.files++;
    result.bytes += record.size;
    if (!dryRun) await removeRecordAndFile(records, layout, record);
    if (++done % YIELD_EVERY === 0) await nextTurn();
  }
  for (const record of stale) {
    result.staleSlots++;
    // A process that died between rename and marking the record complete leaves the file here.
    if (!dryRun) await removeRecordAndFile(records, layout, record);
    if (++done % YIELD_EVERY === 0) await nextTurn();
  }
  for (const leftover of await leftoverPartials(layout, now)) {
    result.partialFiles++;
    result.partialBytes += leftover.size;
    if (!dryRun) await rm(leftover.path, { force: true });
  }
  return result;
}

/** File first, then the record: a crash in between leaves a record whose GET is a 404, never a stray file. */
async function removeRecordAndFile(records: UploadRecords, layout: UploadLayout, record: UploadRecord): Promise<void> {
  await rm(layout.filePath(record.id), { force: true });
  records.remove(record);
}

async function leftoverPartials(layout: UploadLayout, now: number): Promise<Array<{ path: string; size: number }>> {
  let names: string[];
  try {
    names = await readdir(layout.partialDir);
  } catch {
    return [];
  }
  const out: Array<{ path: string; size: number }> = [];
  for (const name of names) {
    const path = join(layout.partialDir, name);
    try {
      const s = await stat(path);
      if (s.isFile() && s.mtimeMs + STALE_AFTER_MS < now) out.push({ path, size: s.size });
    } catch {
      // removed meanwhile
    }
  }
  return out;
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
