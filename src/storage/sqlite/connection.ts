// One better-sqlite3 connection shared by every store of a backend: the prepared-statement cache,
// the transaction wrapper and the translation of SQLite failures into StoreErrors.
import Database from "better-sqlite3";
import { StoreError, type StoreErrorCode } from "../types.js";

/**
 * Pages the write-ahead log may hold before a commit copies it into the database (SQLite's default
 * is 1000, 4 MiB). Archive inserts dirty pages all over several indexes (a busy batch of 1,000
 * messages dirties ~1,000 pages of the conversation index alone); a page written again before the
 * next checkpoint is copied (and fsynced) once. 4,000 pages cut the bytes written per archived
 * message by about a fifth against the default; 16,000 (64 MiB) by another sixth at 300,000
 * messages, more as the archive grows, for the same CPU. The WAL file stays bounded by
 * JOURNAL_LIMIT_BYTES after each checkpoint.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 16_000;
// Above the checkpoint interval plus a large commit, so the WAL file is not cut and regrown every cycle.
const JOURNAL_LIMIT_BYTES = 96 * 1024 * 1024;

export class SqliteConnection {
  /** Statements by SQL text. Stores build SQL from a bounded set of filter combinations. */
  private readonly statements = new Map<string, Database.Statement>();
  /** IMMEDIATE so a writer takes the write lock up front (waiting busy_timeout), instead of failing with SQLITE_BUSY when it upgrades a read lock. */
  private readonly tx: Database.Transaction<(fn: () => unknown) => unknown>;
  private rollbackCount = 0;

  constructor(
    readonly db: Database.Database,
    readonly path: string,
  ) {
    this.tx = db.transaction((fn: () => unknown) => fn());
    // Per connection, harmless on a read-only one (it never checkpoints).
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    db.pragma(`journal_size_limit = ${JOURNAL_LIMIT_BYTES}`);
  }

  /**
   * How many transactions have been rolled back on this connection. Caches of rows written
   * inside a transaction (the archive's id dictionaries) compare it to know when to forget.
   */
  get rollbacks(): number {
    return this.rollbackCount;
  }

  statement(sql: string): Database.Statement {
    this.assertOpen();
    let stmt = this.statements.get(sql);
    if (stmt === undefined) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  /** Nested calls become savepoints (better-sqlite3 does this). */
  transaction<T>(fn: () => T): T {
    this.assertOpen();
    try {
      return guard(() => this.tx.immediate(fn) as T);
    } catch (err) {
      // better-sqlite3 has rolled back (the savepoint of a nested call, or the whole transaction).
      this.rollbackCount++;
      throw err;
    }
  }

  /** Calls after close() fail with StoreError("unavailable"), the same as the memory backend's. */
  assertOpen(): void {
    if (!this.db.open) throw new StoreError("unavailable", `${this.path} is closed`);
  }

  close(): void {
    this.statements.clear();
    this.db.close();
  }
}

/** Runs fn, turning SQLite failures callers can act on into StoreErrors (the original as `cause`). */
export function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw toStoreError(err);
  }
}

export function toStoreError(err: unknown, path?: string): unknown {
  if (!(err instanceof Database.SqliteError)) return err;
  const code = storeErrorCode(err.code);
  if (code === undefined) return err;
  const where = path === undefined ? "" : `${path}: `;
  return new StoreError(code, `${where}${err.message} (${err.code})`, { cause: err });
}

function storeErrorCode(sqliteCode: string): StoreErrorCode | undefined {
  // Extended codes (SQLITE_IOERR_WRITE, SQLITE_BUSY_SNAPSHOT …) share their primary code's prefix.
  const primary = sqliteCode.replace(/^(SQLITE_[A-Z]+)_.*$/, "$1");
  switch (primary) {
    case "SQLITE_BUSY":
    case "SQLITE_LOCKED":
      return "busy";
    case "SQLITE_CORRUPT":
    case "SQLITE_NOTADB":
      return "corrupt";
    case "SQLITE_CANTOPEN":
    case "SQLITE_PERM":
    case "SQLITE_READONLY":
    case "SQLITE_IOERR":
    case "SQLITE_FULL":
    case "SQLITE_AUTH":
      return "unavailable";
    default:
      return undefined;
  }
}
