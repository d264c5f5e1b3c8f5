// Everything the memory backend holds, and the undo log that gives it SQLite's transaction
// semantics: inside transaction() every mutation records its inverse, and a throw replays them
// backwards. Nested transactions are savepoints, as in better-sqlite3.
import { StoreError } from "../types.js";

/** One archive item; the same columns as the SQLite archive table. */
export interface ArchiveRow {
  readonly sortId: number;
  readonly key: string;
  readonly when: number;
  readonly with: string;
  readonly withBare: string;
  readonly value: string;
}

type UserMap<T> = Map<string, T>;
/** host → store → user → T */
type Tree<T> = Map<string, Map<string, UserMap<T>>>;

export class MemoryState {
  /** keyval and map values as JSON text: parsing on every read hands out a fresh copy. */
  private readonly kv: Tree<Map<string, string>> = new Map();
  /** Each user's items in archive order (ascending sortId). */
  private readonly archive: Tree<ArchiveRow[]> = new Map();
  /** Like AUTOINCREMENT: shared by every archive, never reused. */
  private lastSortId = 0;
  /** The inverse operations of the innermost open transaction, or undefined outside one. */
  private undo: (() => void)[] | undefined;
  private closed = false;

  /** Forgets everything; any later call throws, as calls on a closed SQLite connection do. */
  close(): void {
    this.closed = true;
    this.kv.clear();
    this.archive.clear();
  }

  transaction<T>(fn: () => T): T {
    this.assertOpen();
    const outer = this.undo;
    const mine: (() => void)[] = [];
    this.undo = mine;
    try {
      const result = fn();
      if (typeof (result as { then?: unknown } | undefined)?.then === "function") {
        throw new TypeError("Transaction function cannot return a promise");
      }
      this.undo = outer;
      // Committing a savepoint hands its inverses to the enclosing transaction.
      if (outer !== undefined) for (const op of mine) outer.push(op);
      return result;
    } catch (err) {
      this.undo = undefined;
      for (let i = mine.length - 1; i >= 0; i--) mine[i]!();
      this.undo = outer;
      throw err;
    }
  }

  // ---- keyval / map ----

  kvUser(host: string, store: string, user: string): ReadonlyMap<string, string> | undefined {
    this.assertOpen();
    return this.kv.get(host)?.get(store)?.get(user);
  }

  /** Sets (or with undefined deletes) one value. */
  kvPut(host: string, store: string, user: string, key: string, json: string | undefined): void {
    this.assertOpen();
    const values =
      json === undefined
        ? this.kv.get(host)?.get(store)?.get(user)
        : branch(this.kv, host, store, user, () => new Map<string, string>());
    if (values === undefined) return;
    const previous = values.get(key);
    if (json === undefined) {
      if (previous === undefined) return;
      values.delete(key);
      if (values.size === 0) prune(this.kv, host, store, user);
    } else {
      values.set(key, json);
    }
    this.record(() => this.kvPut(host, store, user, key, previous));
  }

  kvDeleteUser(host: string, store: string, user: string): void {
    for (const key of [...(this.kvUser(host, store, user)?.keys() ?? [])]) this.kvPut(host, store, user, key, undefined);
  }

  kvUsers(host: string, store: string): string[] {
    this.assertOpen();
    return sortedKeys(this.kv.get(host)?.get(store));
  }

  // ---- archive ----

  nextSortId(): number {
    this.assertOpen();
    return ++this.lastSortId;
  }

  archiveRows(host: string, store: string, user: string): readonly ArchiveRow[] {
    this.assertOpen();
    return this.archive.get(host)?.get(store)?.get(user) ?? [];
  }

  /** The users of one archive, with their rows. */
  archiveUsers(host: string, store: string): ReadonlyMap<string, readonly ArchiveRow[]> {
    this.assertOpen();
    return this.archive.get(host)?.get(store) ?? new Map();
  }

  /** Appends a row whose sortId is the newest. */
  archivePush(host: string, store: string, user: string, row: ArchiveRow): void {
    const rows = branch(this.archive, host, store, user, () => []);
    rows.push(row);
    this.record(() => {
      rows.pop();
      if (rows.length === 0) prune(this.archive, host, store, user);
    });
  }

  /** Replaces a user's rows; callers pass a new array (copy-on-write keeps the old one for undo). */
  archiveReplace(host: string, store: string, user: string, rows: ArchiveRow[]): void {
    const previous = this.archive.get(host)?.get(store)?.get(user);
    this.setArchiveLeaf(host, store, user, rows);
    this.record(() => this.setArchiveLeaf(host, store, user, previous ?? []));
  }

  /** Every store of a host (for deleteUser across stores). */
  storesOf(host: string): { kv: string[]; archive: string[] } {
    this.assertOpen();
    return { kv: [...(this.kv.get(host)?.keys() ?? [])], archive: [...(this.archive.get(host)?.keys() ?? [])] };
  }

  private setArchiveLeaf(host: string, store: string, user: string, rows: ArchiveRow[]): void {
    if (rows.length === 0) prune(this.archive, host, store, user);
    else users(this.archive, host, store).set(user, rows);
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError("unavailable", "the storage is closed");
  }

  private record(inverse: () => void): void {
    this.undo?.push(inverse);
  }
}

/** The user map of one store, created when missing. */
function users<T>(tree: Tree<T>, host: string, store: string): UserMap<T> {
  let stores = tree.get(host);
  if (stores === undefined) tree.set(host, (stores = new Map()));
  let byUser = stores.get(store);
  if (byUser === undefined) stores.set(store, (byUser = new Map()));
  return byUser;
}

/** A user's leaf, created when missing. */
function branch<T>(tree: Tree<T>, host: string, store: string, user: string, create: () => T): T {
  const byUser = users(tree, host, store);
  let leaf = byUser.get(user);
  if (leaf === undefined) byUser.set(user, (leaf = create()));
  return leaf;
}

/** Removes a user's leaf and any map left empty, so users() only lists users with data. */
function prune<T>(tree: Tree<T>, host: string, store: string, user: string): void {
  const stores = tree.get(host);
  const byUser = stores?.get(store);
  if (stores === undefined || byUser === undefined) return;
  byUser.delete(user);
  if (byUser.size > 0) return;
  stores.delete(store);
  if (stores.size === 0) tree.delete(host);
}

/** Sorted like SQLite's BINARY collation: by UTF-8 bytes, not UTF-16 code units. */
export function sortedKeys(map: ReadonlyMap<string, unknown> | undefined): string[] {
  if (map === undefined) return [];
  return [...map.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}
