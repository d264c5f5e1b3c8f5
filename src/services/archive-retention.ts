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

/**
 * Totals per store; `archive` and `offline` are always present (zero when not purged), and `rooms`
 * totals the group chat rooms' archives (XEP-0313 MUC archives) purged with them.
 */
export type PurgeResult = { archive: StoreTotals; offline: StoreTotals; rooms: StoreTotals } & Record<string, StoreTotals>;

export const DEFAULT_PURGE_STORES: readonly string[] = ["archive", "offline"];

/**
 * The group chat rooms' archives: the conference component (conference.<domain>, see
 * server/components.ts) keeps one archive per room (user = the room's localpart) in this store.
 * Retention applies to them as to the accounts' archives.
 */
export const ROOM_ARCHIVE_STORE = "muc_archive";
export const ROOM_SERVICE_LABEL = "conference";

/** Where the rooms of `domain` keep their archives (host keys of the storage). */
export function roomArchiveHosts(domain: string): string[] {
  return [`${ROOM_SERVICE_LABEL}.${domain}`];
}
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
  /**
   * Also purge the rooms' archives of this domain (roomArchiveHosts, ROOM_ARCHIVE_STORE). Default:
   * yes, unless `user` or `stores` narrows the purge to some accounts' stores.
   */
  rooms?: boolean;
}

/** Removes (or with dryRun counts) every item older than `olderThan`, oldest first, in batches. */
export async function purgeArchive(storage: RetentionStorage, host: string, opts: PurgeOptions): Promise<PurgeResult> {
  const olderThan = opts.olderThan.getTime();
  if (Number.isNaN(olderThan)) throw new RangeError("purgeArchive: olderThan is not a valid date");
  const batch = batchSizeOf(opts.batchSize);
  // The store's `end` is inclusive; "older than" is not.
  const cutoff = new Date(olderThan - 1);
  const result: PurgeResult = { archive: zero(), offline: zero(), rooms: zero() };
  const targets: Array<{ host: string; store: string; totals: StoreTotals; users?: string[] }> = [];
  for (const store of opts.stores ?? DEFAULT_PURGE_STORES) {
    targets.push({ host, store, totals: (result[store] ??= zero()), ...(opts.user !== undefined ? { users: [opts.user] } : {}) });
  }
  if (opts.rooms ?? (opts.user === undefined && opts.stores === undefined)) {
    for (const roomHost of roomArchiveHosts(host)) targets.push({ host: roomHost, store: ROOM_ARCHIVE_STORE, totals: result.rooms });
  }
  for (const target of targets) {
    const archive = storage.archive(target.host, target.store);
    for (const user of target.users ?? archive.users()) {
      const step = opts.dryRun === true ? countPages(archive, user, cutoff, batch) : purgeBatches(storage, archive, user, cutoff, batch);
      for (const done of step) {
        target.totals.messages += done.messages;
        target.totals.bytes += done.bytes;
        opts.onBatch?.(done.messages, target.store);
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
  /** The accounts' archive store trimmed; default "archive". */
  store?: string;
  /**
   * Also trim the rooms' archives of this domain (roomArchiveHosts, ROOM_ARCHIVE_STORE), oldest
   * first together with the accounts' archives. Default: yes, unless `store` names another store.
   */
  rooms?: boolean;
  /** About this many items per batch (oldest first across every archive trimmed); default 1000. */
  batchSize?: number;
  /** Current size in bytes; default storageSize(storage), which the SQLite backend provides. */
  measure?: () => number;
  /** Called after each batch, once per store it removed items from. */
  onBatch?: (messages: number, store: string) => void;
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
 * Removes the oldest items until the measured size is at or under `maxBytes`, re-measuring after
 * each batch. The oldest go first wherever they are, the accounts' archives and the rooms'
 * archives taken as one timeline (a sysadmin's expectation: a year-old room log goes before last
 * week's chats), and within one archive only ever its oldest (XEP-0313 §3.2: never from the
 * middle). Throws when the size cannot be measured (no `measure` and a backend without sizeBytes).
 */
export async function enforceSizeCap(storage: RetentionStorage, host: string, opts: SizeCapOptions): Promise<SizeCapResult> {
  const measure = opts.measure ?? (() => storageSize(storage));
  const size = (): number => {
    const bytes = measure();
    if (bytes === undefined) throw new Error("enforceSizeCap: this storage backend cannot report its size; pass `measure`");
    return bytes;
  };
  const batch = batchSizeOf(opts.batchSize);
  const before = size();
  let current = before;
  let messages = 0;
  if (current <= opts.maxBytes) return { before, after: current, messages, underCap: true };
  const store = opts.store ?? "archive";
  const timelines = [new ArchiveTimeline(storage.archive(host, store), store)];
  if (opts.rooms ?? store === "archive") {
    for (const roomHost of roomArchiveHosts(host)) timelines.push(new ArchiveTimeline(storage.archive(roomHost, ROOM_ARCHIVE_STORE), ROOM_ARCHIVE_STORE));
  }
  const window = new OldestWindow(timelines, batch);
  while (current > opts.maxBytes) {
    const end = window.next();
    if (end === undefined) break;
    // Every archive loses what it holds up to the same instant, so no newer item goes before an
    // older one elsewhere. The limit bounds a batch when many items share one millisecond; what
    // it leaves is still the oldest, taken by the next batch.
    const limit = 2 * batch;
    const removed = storage.transaction(() => timelines.map((t) => (t.oldestBound <= end ? t.archive.delete(ALL_USERS, { end: new Date(end), limit }) : 0)));
    const total = removed.reduce((a, b) => a + b, 0);
    if (total === 0) break;
    messages += total;
    removed.forEach((n, i) => {
      if (n < limit) timelines[i]!.clearedUpTo(end);
      if (n > 0) opts.onBatch?.(n, timelines[i]!.store);
    });
    current = size();
    await nextTurn();
  }
  return { before, after: current, messages, underCap: current <= opts.maxBytes };
}

/**
 * One archive store seen as a timeline: for each user's archive a lower bound of its oldest
 * instant, exact at first (read once per user). After a batch has removed everything up to an
 * instant, that instant + 1 ms is a bound for every user; so a batch costs no extra reads here.
 * Users who appear after the first look hold new messages, which a trim would not reach anyway,
 * and the store-wide delete removes whatever falls in a batch's window regardless.
 */
class ArchiveTimeline {
  private readonly lowerBounds = new Map<string, number>();

  constructor(readonly archive: ArchiveStore, readonly store: string) {
    for (const user of archive.users()) {
      const oldest = oldestInstant(archive, user);
      if (oldest !== undefined) this.lowerBounds.set(user, oldest);
    }
  }

  /** The least lower bound over the users (Infinity when no user had items). */
  get oldestBound(): number {
    let least = Infinity;
    for (const bound of this.lowerBounds.values()) least = Math.min(least, bound);
    return least;
  }

  /** Nothing at or before `instant` is left: raise every bound past it. */
  clearedUpTo(instant: number): void {
    for (const [user, bound] of this.lowerBounds) if (bound <= instant) this.lowerBounds.set(user, instant + 1);
  }

  /** Items stored at or before `end`; reads only the users whose bound is that old. */
  countUpTo(end: number): number {
    let n = 0;
    for (const [user, bound] of this.lowerBounds) if (bound <= end) n += this.archive.count(user, { end: new Date(end) });
    return n;
  }
}

/**
 * Chooses each batch's time bound: from the oldest instant across the timelines (a lower bound),
 * a window sized so that about `batch` items (0.8 to 1.25 × batch) fall into it: every batch
 * costs a commit, so batches are kept near their size. The window's width is kept from one batch
 * to the next, since message rates change slowly.
 */
class OldestWindow {
  private width = 60_000;

  constructor(private readonly timelines: readonly ArchiveTimeline[], private readonly batch: number) {}

  /** The instant to delete up to (inclusive), or undefined when nothing is left to remove. */
  next(): number | undefined {
    let start = Infinity;
    for (const t of this.timelines) start = Math.min(start, t.oldestBound);
    if (start === Infinity) return undefined;
    const endOf = (width: number): number => Math.min(start + width, MAX_TIME);
    const count = (width: number): number => this.timelines.reduce((n, t) => n + t.countUpTo(endOf(width)), 0);
    // Scale the width by the rate seen while only one side is known, then bisect between one
    // known too small (`small`) and one known too large (`large`); bounded, widths are integers.
    let small: { width: number; n: number } | undefined;
    let large: number | undefined;
    let width = this.width;
    let n = count(width);
    for (let step = 0; step < 128; step++) {
      if (n > 1.25 * this.batch && width > 0) large = width;
      else if (n < 0.8 * this.batch && endOf(width) < MAX_TIME) small = { width, n };
      else break;
      if (small !== undefined && large !== undefined) {
        if (large - small.width <= 1) {
          // The larger window holds too many: take the smaller one unless it is empty.
          if (small.n > 0) [width, n] = [small.width, small.n];
          else [width, n] = [large, count(large)];
          break;
        }
        width = Math.floor((small.width + large) / 2);
      } else if (large !== undefined) {
        width = Math.min(width - 1, Math.floor((width * this.batch) / n));
      } else {
        width = n === 0 ? 2 * width + 1 : Math.max(width + 1, Math.ceil((width * this.batch) / n));
      }
      n = count(width);
    }
    if (n === 0) return undefined;
    this.width = Math.max(width, 1);
    return endOf(width);
  }
}

/** Latest instant representable by Date. */
const MAX_TIME = 8.64e15;

/**
 * The earliest `when` in one user's archive. Archive order is nearly always time order, so the
 * first item usually is the oldest; when an item was appended with an older timestamp, the
 * instant is bisected with counts (never reading the stanzas).
 */
function oldestInstant(archive: ArchiveStore, user: string): number | undefined {
  const [first] = archive.find(user, { limit: 1 });
  if (first === undefined) return undefined;
  let hi = first.when.getTime(); // count(hi) > 0
  if (archive.count(user, { end: new Date(hi - 1) }) === 0) return hi;
  let lo = MIN_TIME; // count(lo) = 0
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (archive.count(user, { end: new Date(mid) }) > 0) hi = mid;
    else lo = mid;
  }
  return hi;
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
