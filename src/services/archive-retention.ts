// Archive retention without XML or a module context: purge by age and trim to a size cap, over a
// storage backend. The server's daily job (modules/mam) and `chatctl mam purge|retention` (run
// against the SQLite file while the server may be running) call the same functions.
//
// Work is done in bounded batches, one storage transaction each, with a turn of the event loop
// between batches (setImmediate), so a running server keeps serving while a large purge runs and
// a concurrent writer (SQLite WAL + busy_timeout) only ever waits for one batch. XEP-0313 §3.2
// ("Message retention and deletion"): removed messages are always the oldest of an archive.
import type { ArchiveItem, ArchiveStore } from "../storage/types.js";
import { ALL_USERS } from "../storage/types.js";

/** What retention needs of a backend: any StorageBackend fits; size calls are feature-detected. */
export interface RetentionStorage {
  archive(host: string, store: string): ArchiveStore;
  transaction<T>(fn: () => T): T;
  /** The database size in bytes, free pages included (the SQLite backend has it). */
  sizeBytes?(): number;
  /** Bytes in free pages, reused before the file grows (the SQLite backend has it). */
  freeBytes?(): number;
}

export interface StoreTotals {
  messages: number;
  /** UTF-8 bytes of the stored stanzas. */
  bytes: number;
}

/** Totals per store; `archive` and `offline` are always present (zero when not purged). */
export type PurgeResult = { archive: StoreTotals; offline: StoreTotals } & Record<string, StoreTotals>;

export const DEFAULT_PURGE_STORES: readonly string[] = ["archive", "offline"];
export const DEFAULT_BATCH_SIZE = 1000;

export interface PurgeOptions {
  /** Items stored strictly before this instant are removed. */
  olderThan: Date;
  /** Only this user's items (a prepared localpart); every user of the host when absent. */
  user?: string;
  /** Count what would be removed, remove nothing. */
  dryRun?: boolean;
  /** Items per batch (one transaction each); default 1000. */
  batchSize?: number;
  /** Archive store names; default ["archive", "offline"]. */
  stores?: readonly string[];
  /** Called after each batch with the number of items it removed (or counted, in a dry run). */
  onBatch?: (messages: number, store: string) => void;
}

/** Removes (or with dryRun counts) every item older than `olderThan`, oldest first, in batches. */
export async function purgeArchive(storage: RetentionStorage, host: string, opts: PurgeOptions): Promise<PurgeResult> {
  const olderThan = opts.olderThan.getTime();
  if (Number.isNaN(olderThan)) throw new RangeError("purgeArchive: olderThan is not a valid date");
  const batch = batchSizeOf(opts.batchSize);
  // The store's `end` is inclusive; "older than" is not.
  const cutoff = new Date(olderThan - 1);
  const result: PurgeResult = { archive: zero(), offline: zero() };
  for (const store of opts.stores ?? DEFAULT_PURGE_STORES) {
    const totals = (result[store] ??= zero());
    const archive = storage.archive(host, store);
    const users = opts.user !== undefined ? [opts.user] : archive.users();
    for (const user of users) {
      const step = opts.dryRun === true ? countPages(archive, user, cutoff, batch) : purgeBatches(storage, archive, user, cutoff, batch);
      for (const done of step) {
        totals.messages += done.messages;
        totals.bytes += done.bytes;
        opts.onBatch?.(done.messages, store);
        await nextTurn();
      }
    }
  }
  return result;
}

/** Batches of a real purge: each a transaction that removes one window of old items. */
function* purgeBatches(storage: RetentionStorage, archive: ArchiveStore, user: string, cutoff: Date, batch: number): Generator<StoreTotals> {
  for (;;) {
    const done = storage.transaction(() => removeOldestWindow(archive, user, cutoff, batch));
    if (done === undefined) return;
    yield done;
  }
}

/** Pages of a dry run: the same items a purge would remove, counted in archive order. */
function* countPages(archive: ArchiveStore, user: string, cutoff: Date, batch: number): Generator<StoreTotals> {
  let after: string | undefined;
  for (;;) {
    const page = archive.find(user, { end: cutoff, after, limit: batch });
    if (page.length === 0) return;
    after = page[page.length - 1]!.key;
    yield { messages: page.length, bytes: bytesOf(page) };
  }
}

/**
 * Removes the oldest items of one user up to a time bound chosen so that the bound's window holds
 * about `batch` items, and returns exactly what it removed. ArchiveStore deletes by time
 * (`end`) and pages by archive order: the window is "every item with when <= end", read in full
 * before it is deleted, so the bytes reported are those of the very items removed.
 */
function removeOldestWindow(archive: ArchiveStore, user: string, cutoff: Date, batch: number): StoreTotals | undefined {
  const head = archive.find(user, { end: cutoff, limit: batch });
  if (head.length === 0) return undefined;
  let end = new Date(latestWhen(head));
  let items: ArchiveItem[] = head;
  const inWindow = archive.count(user, { end });
  if (inWindow !== head.length) {
    // Archive order and time order disagree (items appended with older timestamps): narrow the
    // window by time until it holds a bounded number of items.
    if (inWindow > 2 * batch) end = boundedWindowEnd(archive, user, end, batch);
    items = archive.find(user, { end });
  }
  const removed = archive.delete(user, { end });
  return { messages: removed, bytes: bytesOf(items) };
}

/** Earliest instant representable by Date, where no window holds anything. */
const MIN_TIME = -8.64e15;

/**
 * The latest instant t <= upper whose window (when <= t) holds at most `batch` items, or, when
 * even the first non-empty window is larger (many items sharing one millisecond), that window.
 */
function boundedWindowEnd(archive: ArchiveStore, user: string, upper: Date, batch: number): Date {
  let lo = MIN_TIME; // count(lo) = 0 <= batch
  let hi = upper.getTime(); // count(hi) > batch
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (archive.count(user, { end: new Date(mid) }) <= batch) lo = mid;
    else hi = mid;
  }
  return new Date(archive.count(user, { end: new Date(lo) }) > 0 ? lo : hi);
}

export interface SizeCapOptions {
  /** The cap, in bytes of `measure`. */
  maxBytes: number;
  /** Archive store trimmed; default "archive". */
  store?: string;
  /** Items removed per batch (oldest first across every user of the host); default 1000. */
  batchSize?: number;
  /** Current size in bytes; default storageSize(storage), which the SQLite backend provides. */
  measure?: () => number;
  onBatch?: (messages: number) => void;
}

export interface SizeCapResult {
  /** Size measured before and after. */
  before: number;
  after: number;
  /** Items removed. */
  messages: number;
  /** The size is at or under the cap now (false when the store ran empty first). */
  underCap: boolean;
}

/**
 * Removes the oldest items of a store across all users of the host (XEP-0313 §3.2: never from the
 * middle) until the measured size is at or under `maxBytes`, re-measuring after each batch.
 * Throws when the size cannot be measured (no `measure` and a backend without sizeBytes).
 */
export async function enforceSizeCap(storage: RetentionStorage, host: string, opts: SizeCapOptions): Promise<SizeCapResult> {
  const measure = opts.measure ?? (() => storageSize(storage));
  const size = (): number => {
    const bytes = measure();
    if (bytes === undefined) throw new Error("enforceSizeCap: this storage backend cannot report its size; pass `measure`");
    return bytes;
  };
  const batch = batchSizeOf(opts.batchSize);
  const archive = storage.archive(host, opts.store ?? "archive");
  const before = size();
  let current = before;
  let messages = 0;
  while (current > opts.maxBytes) {
    const removed = storage.transaction(() => archive.delete(ALL_USERS, { limit: batch }));
    if (removed === 0) break;
    messages += removed;
    opts.onBatch?.(removed);
    current = size();
    await nextTurn();
  }
  return { before, after: current, messages, underCap: current <= opts.maxBytes };
}

/**
 * Bytes the backend's data occupies (database size minus free pages), or undefined when the
 * backend cannot tell (the memory backend).
 */
export function storageSize(storage: RetentionStorage): number | undefined {
  if (typeof storage.sizeBytes !== "function") return undefined;
  const free = typeof storage.freeBytes === "function" ? storage.freeBytes() : 0;
  return storage.sizeBytes() - free;
}

/** Items and stanza bytes of a store (one user, or all), read in batches; for stats and tests. */
export async function archiveTotals(
  storage: RetentionStorage,
  host: string,
  opts: { store?: string; user?: string; batchSize?: number } = {},
): Promise<StoreTotals> {
  const archive = storage.archive(host, opts.store ?? "archive");
  const batch = batchSizeOf(opts.batchSize);
  const totals = zero();
  for (const user of opts.user !== undefined ? [opts.user] : archive.users()) {
    for (const page of countPages(archive, user, new Date(8.64e15), batch)) {
      totals.messages += page.messages;
      totals.bytes += page.bytes;
      await nextTurn();
    }
  }
  return totals;
}

function latestWhen(items: readonly ArchiveItem[]): number {
  let latest = MIN_TIME;
  for (const item of items) latest = Math.max(latest, item.when.getTime());
  return latest;
}

function bytesOf(items: readonly ArchiveItem[]): number {
  let n = 0;
  for (const item of items) n += Buffer.byteLength(item.value, "utf8");
  return n;
}

function zero(): StoreTotals {
  return { messages: 0, bytes: 0 };
}

function batchSizeOf(n: number | undefined): number {
  if (n === undefined) return DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`batchSize must be a positive integer, got ${n}`);
  return n;
}

/** Lets the event loop run I/O and timers before the next batch. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
