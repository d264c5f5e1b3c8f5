// One better-sqlite3 connection shared by every store of a backend: the prepared-statement cache,
// the transaction wrapper and the translation of SQLite failures into StoreErrors.
import Database from "better-sqlite3";
import { StoreError, type StoreErrorCode } from "../types.js";

export class SqliteConnection {
  /** Statements by SQL text. Stores build SQL from a bounded set of filter combinations. */
  private readonly statements = new Map<string, Database.Statement>();
  /** IMMEDIATE so a writer takes the write lock up front (waiting busy_timeout), instead of failing with SQLITE_BUSY when it upgrades a read lock. */
  private readonly tx: Database.Transaction<(fn: () => unknown) => unknown>;

  constructor(
    readonly db: Database.Database,
    readonly path: string,
  ) {
    this.tx = db.transaction((fn: () => unknown) => fn());
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
    return guard(() => this.tx.immediate(fn) as T);
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
