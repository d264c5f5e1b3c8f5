// The SQLite backend: one file, one connection, WAL so a running server and a CLI command
// (`chatctl mam purge`) can use the file at the same time, each waiting for the other's write
// lock up to BUSY_TIMEOUT_MS.
import Database from "better-sqlite3";
import { StoreError, type Json, type StorageBackend } from "../types.js";
import { sqliteArchiveStore, deleteUserArchiveSql } from "./archive.js";
import { SqliteConnection, guard, toStoreError } from "./connection.js";
import { deleteUserKeyvalSql, sqliteKeyValueStore, sqliteMapStore } from "./keyval.js";
import { SCHEMA_VERSION, SchemaOutdatedError, SchemaTooNewError, migrate, schemaVersion } from "./migrations.js";

export const BUSY_TIMEOUT_MS = 5000;
/** Page cache per connection, in KiB (SQLite's default is 2 MiB): holds the hot index pages of a large archive. */
const CACHE_KIB = 32 * 1024;

export interface SqliteOpenOptions {
  /** Open an existing file without writing to it (no migration, no journal-mode change). */
  readonly?: boolean;
}

export type CheckpointMode = "PASSIVE" | "FULL" | "RESTART" | "TRUNCATE";

export interface CheckpointResult {
  /** A reader or writer prevented a complete checkpoint. */
  busy: boolean;
  /** Frames in the write-ahead log. */
  logFrames: number;
  /** Frames copied into the database file. */
  checkpointedFrames: number;
}

/** The SQLite backend, with the maintenance calls `chatctl mam stats|purge` need. */
export interface SqliteStorage extends StorageBackend {
  readonly kind: "sqlite";
  readonly path: string;
  readonly readonly: boolean;
  /** PRAGMA user_version: the number of migrations applied. */
  schemaVersion(): number;
  /** The database size (page_count × page_size), free pages included; the WAL file is not. */
  sizeBytes(): number;
  /** Bytes in free pages (freelist_count × page_size): what incrementalVacuum can give back. */
  freeBytes(): number;
  /** Copies the write-ahead log into the database; TRUNCATE (the default) also empties the WAL file. */
  checkpoint(mode?: CheckpointMode): CheckpointResult;
  /** Returns up to `pages` free pages (all when absent) to the file system; returns the number freed. */
  incrementalVacuum(pages?: number): number;
}

/**
 * Opens (creating and migrating unless readonly) the database at `path`. Throws StoreError:
 * "unavailable" when the file cannot be opened or has a schema this code cannot use
 * (SchemaTooNewError; SchemaOutdatedError when readonly), "corrupt" when it is not a database.
 */
export function openSqliteStorage(path: string, options: SqliteOpenOptions = {}): SqliteStorage {
  const readonly = options.readonly === true;
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly, fileMustExist: readonly });
    configure(db, readonly);
    if (readonly) requireCurrentSchema(db, path);
    else migrate(db, path);
  } catch (err) {
    db?.close();
    throw openError(err, path);
  }
  return new SqliteBackend(new SqliteConnection(db, path), readonly);
}

function configure(db: Database.Database, readonly: boolean): void {
  // First, so that even switching to WAL waits for another process instead of failing.
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (!readonly) {
    // auto_vacuum can only be chosen before the first table exists: do it on a new file only.
    if (db.pragma("page_count", { simple: true }) === 0) db.pragma("auto_vacuum = INCREMENTAL");
    db.pragma("journal_mode = WAL");
  }
  // With WAL, NORMAL is durable against application crashes; a power loss may lose the last commits.
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.pragma(`cache_size = -${CACHE_KIB}`);
}

function requireCurrentSchema(db: Database.Database, path: string): void {
  const found = schemaVersion(db);
  if (found > SCHEMA_VERSION) throw new SchemaTooNewError(path, found, SCHEMA_VERSION);
  if (found < SCHEMA_VERSION) throw new SchemaOutdatedError(path, found, SCHEMA_VERSION);
}

function openError(err: unknown, path: string): unknown {
  if (err instanceof StoreError) return err;
  // better-sqlite3 checks the directory itself and throws a TypeError.
  if (err instanceof TypeError && /directory does not exist/.test(err.message)) {
    return new StoreError("unavailable", `cannot open ${path}: ${err.message}`, { cause: err });
  }
  const mapped = toStoreError(err, path);
  if (mapped instanceof StoreError && mapped.code === "corrupt") {
    return new StoreError("corrupt", `${path} is not a chatctl database, or it is damaged`, { cause: err });
  }
  return mapped;
}

class SqliteBackend implements SqliteStorage {
  readonly kind = "sqlite" as const;

  constructor(
    private readonly conn: SqliteConnection,
    readonly readonly: boolean,
  ) {}

  get path(): string {
    return this.conn.path;
  }

  keyval<V extends Json = Json>(host: string, store: string) {
    return sqliteKeyValueStore<V>(this.conn, host, store);
  }

  map<V extends Json = Json>(host: string, store: string) {
    return sqliteMapStore<V>(this.conn, host, store);
  }

  archive(host: string, store: string) {
    return sqliteArchiveStore(this.conn, host, store);
  }

  deleteUser(host: string, user: string): void {
    this.conn.transaction(() => {
      this.conn.statement(deleteUserKeyvalSql).run(host, user);
      this.conn.statement(deleteUserArchiveSql).run(host, user);
    });
  }

  transaction<T>(fn: () => T): T {
    return this.conn.transaction(fn);
  }

  schemaVersion(): number {
    this.conn.assertOpen();
    return guard(() => schemaVersion(this.conn.db));
  }

  sizeBytes(): number {
    return guard(() => this.pragmaNumber("page_count") * this.pragmaNumber("page_size"));
  }

  freeBytes(): number {
    return guard(() => this.pragmaNumber("freelist_count") * this.pragmaNumber("page_size"));
  }

  checkpoint(mode: CheckpointMode = "TRUNCATE"): CheckpointResult {
    this.conn.assertOpen();
    return guard(() => {
      const [row] = this.conn.db.pragma(`wal_checkpoint(${mode})`) as { busy: number; log: number; checkpointed: number }[];
      return { busy: row?.busy === 1, logFrames: row?.log ?? 0, checkpointedFrames: row?.checkpointed ?? 0 };
    });
  }

  incrementalVacuum(pages?: number): number {
    // incremental_vacuum(0) would mean "all": only positive counts are a bound.
    if (pages !== undefined && !(Number.isInteger(pages) && pages > 0)) {
      throw new RangeError(`incrementalVacuum: pages must be a positive integer, got ${pages}`);
    }
    return guard(() => {
      const before = this.pragmaNumber("freelist_count");
      this.conn.db.exec(pages === undefined ? "PRAGMA incremental_vacuum" : `PRAGMA incremental_vacuum(${pages})`);
      return before - this.pragmaNumber("freelist_count");
    });
  }

  close(): void {
    this.conn.close();
  }

  private pragmaNumber(name: string): number {
    this.conn.assertOpen();
    return this.conn.db.pragma(name, { simple: true }) as number;
  }
}
