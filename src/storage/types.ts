// The narrow store interfaces every feature sees (DESIGN.md "Storage"). Modules never see SQL.
// All calls are synchronous: better-sqlite3 is, and the in-memory backend trivially is. Values
// of keyval/map stores are JSON-serialisable; archive values are strings (serialised XML).

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// Open each store name with one kind only: a backend may keep a keyval store and a map store of
// the same name in one place (the keyval value under the empty map key). users() lists are sorted.

/** One value per user (e.g. a vCard, an account record). */
export interface KeyValueStore<V extends Json = Json> {
  get(user: string): V | undefined;
  /** undefined deletes. */
  set(user: string, value: V | undefined): void;
  users(): string[];
}

/** Many keyed values per user (e.g. roster items keyed by contact JID, private XML by ns). */
export interface MapStore<V extends Json = Json> {
  get(user: string, key: string): V | undefined;
  /** undefined deletes. */
  set(user: string, key: string, value: V | undefined): void;
  getAll(user: string): Map<string, V>;
  /** Replaces several keys in one transaction (undefined values delete). */
  setMany(user: string, entries: Iterable<[string, V | undefined]>): void;
  deleteUser(user: string): void;
  users(): string[];
}

export interface ArchiveItem {
  /** Stable, unique id (what XEP-0313/0359 clients see). */
  key: string;
  value: string;
  when: Date;
  with: string;
}

export interface ArchiveQuery {
  /** Bare or full JID string; a bare JID also matches the full JIDs of that bare JID. */
  with?: string;
  /** Inclusive. */
  start?: Date;
  /** Inclusive. */
  end?: Date;
  /** Items strictly before/after this key, in archive order; unknown key → StoreError("item-not-found"). */
  before?: string;
  after?: string;
  /** Only these items (still in archive order); any id the user's archive lacks → StoreError("item-not-found"). */
  ids?: readonly string[];
  /** At most this many items; absent or negative means no limit. */
  limit?: number;
  /** Newest first. With `before` and a limit this yields the page just before the key. */
  reverse?: boolean;
}

export interface ArchiveCaps {
  total: boolean;
  ids: boolean;
  wildcardDelete: boolean;
  truncate: boolean;
}

export interface ArchiveDeleteQuery {
  with?: string;
  end?: Date;
  /** Delete at most this many items, oldest first (by `when`, then archive order); for bounded batches. */
  limit?: number;
}

/** One user's archive in a store, as summary() reports it. */
export interface ArchiveUserSummary {
  user: string;
  messages: number;
  /** UTF-8 bytes of the stored stanzas. */
  bytes: number;
  oldest: Date;
  newest: Date;
}

/** One item of ArchiveStore.appendMany. */
export interface ArchiveAppend {
  user: string;
  value: string;
  key: string;
  when: Date;
  with: string;
}

export interface ArchiveStore {
  readonly caps: ArchiveCaps;
  /**
   * Appends and returns the key (a short URL-safe id, generated when not given). Appending with a
   * key the user's archive already holds replaces that item, which moves to the end.
   */
  append(user: string, value: string, meta?: { key?: string; when?: Date; with?: string }): string;
  /**
   * Appends these items in order, each exactly as append(item.user, item.value, item) would (keys
   * given, so nothing is returned). Optional: a backend offers it when a batch is cheaper than
   * one call per item; callers fall back to append(). Atomic only inside the caller's transaction.
   */
  appendMany?(items: readonly ArchiveAppend[]): void;
  /** Items in archive (append) order, newest first with `reverse`; the limit applies in that order. */
  find(user: string, query?: ArchiveQuery): ArchiveItem[];
  count(user: string, query?: Pick<ArchiveQuery, "with" | "start" | "end">): number;
  /** user === ALL_USERS deletes across every user of the host. Returns the number of rows removed. */
  delete(user: string | typeof ALL_USERS, query?: ArchiveDeleteQuery): number;
  /** Users with at least one item, sorted. */
  users(): string[];
  /**
   * Per user with at least one item (sorted by user): count, bytes, oldest and newest, computed
   * by the backend without handing every item to the caller. Optional: callers fall back to find().
   */
  summary?(): ArchiveUserSummary[];
}

export const ALL_USERS: unique symbol = Symbol("all-users");

export type StoreKind = "keyval" | "map" | "archive";

export type StoreErrorCode = "item-not-found" | "quota-limit" | "busy" | "corrupt" | "unavailable";

export class StoreError extends Error {
  constructor(readonly code: StoreErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "StoreError";
  }
}

/** One storage backend (SQLite file, memory, later PostgreSQL). Stores are per virtual host. */
export interface StorageBackend {
  readonly kind: "sqlite" | "memory";
  keyval<V extends Json = Json>(host: string, store: string): KeyValueStore<V>;
  map<V extends Json = Json>(host: string, store: string): MapStore<V>;
  archive(host: string, store: string): ArchiveStore;
  /** Removes everything stored for this user in every store of the host (account deletion). */
  deleteUser(host: string, user: string): void;
  /**
   * Runs fn atomically: its writes all commit, or none do when it throws (nested calls are
   * savepoints). A batch of appends is much faster in one transaction. fn must be synchronous.
   */
  transaction<T>(fn: () => T): T;
  /** Later calls on the backend or its stores throw StoreError("unavailable"). */
  close(): void;
}
