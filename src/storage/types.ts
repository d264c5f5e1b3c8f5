// The narrow store interfaces every feature sees (DESIGN.md "Storage"). Modules never see SQL.
// All calls are synchronous: better-sqlite3 is, and the in-memory backend trivially is. Values
// of keyval/map stores are JSON-serialisable; archive values are strings (serialised XML).

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

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
  start?: Date;
  end?: Date;
  /** Items strictly before/after this key, in archive order; unknown key → StoreError("item-not-found"). */
  before?: string;
  after?: string;
  ids?: readonly string[];
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
  /** Delete at most this many items (oldest first); used for bounded batches. */
  limit?: number;
}

export interface ArchiveStore {
  readonly caps: ArchiveCaps;
  /** Appends and returns the key (generated when not given). */
  append(user: string, value: string, meta?: { key?: string; when?: Date; with?: string }): string;
  find(user: string, query?: ArchiveQuery): ArchiveItem[];
  count(user: string, query?: Pick<ArchiveQuery, "with" | "start" | "end">): number;
  /** user === ALL_USERS deletes across every user of the host. Returns the number of rows removed. */
  delete(user: string | typeof ALL_USERS, query?: ArchiveDeleteQuery): number;
  users(): string[];
}

export const ALL_USERS: unique symbol = Symbol("all-users");

export type StoreKind = "keyval" | "map" | "archive";

export type StoreErrorCode = "item-not-found" | "quota-limit" | "busy" | "corrupt" | "unavailable";

export class StoreError extends Error {
  constructor(readonly code: StoreErrorCode, message: string) {
    super(message);
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
  close(): void;
}
