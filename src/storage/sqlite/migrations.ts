// The SQLite schema as numbered steps. Step i (1-based) brings the database from user_version i-1
// to i; PRAGMA user_version records how many steps a file has had. Never edit a released step:
// append a new one. Each step runs inside the migration transaction, so it must not contain
// statements SQLite refuses there (VACUUM, journal_mode).
import type Database from "better-sqlite3";
import { StoreError } from "../types.js";

export interface Migration {
  /** What the step does, for error messages and `chatctl doctor`. */
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    name: "keyval and archive tables",
    sql: `
      -- keyval and map stores: one row per (user, key); a keyval store uses the empty key.
      CREATE TABLE keyval (
        host  TEXT NOT NULL,
        user  TEXT NOT NULL,
        store TEXT NOT NULL,
        key   TEXT NOT NULL,
        value TEXT NOT NULL CHECK (json_valid(value)),
        PRIMARY KEY (host, user, store, key)
      ) WITHOUT ROWID;

      -- Archives. sort_id is the archive order: paging is by sort_id, never by time alone.
      -- AUTOINCREMENT so an id is never reused after the newest rows are deleted.
      CREATE TABLE archive (
        sort_id   INTEGER PRIMARY KEY AUTOINCREMENT,
        host      TEXT NOT NULL,
        user      TEXT NOT NULL,
        store     TEXT NOT NULL,
        key       TEXT NOT NULL,
        "when"    INTEGER NOT NULL,
        "with"    TEXT NOT NULL,
        with_bare TEXT NOT NULL,
        value     TEXT NOT NULL
      );
      CREATE UNIQUE INDEX archive_key ON archive (host, user, store, key);
      CREATE INDEX archive_sort ON archive (host, user, store, sort_id);
      CREATE INDEX archive_with ON archive (host, user, store, with_bare, sort_id);
      CREATE INDEX archive_when ON archive (host, user, store, "when");
      -- Retention across all users of a host (delete(ALL_USERS, { end })).
      CREATE INDEX archive_store_when ON archive (host, store, "when");
    `,
  },
];

/** The schema version this code writes: the number of migration steps. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** The database was written by a newer chatctl; this one must not touch it. */
export class SchemaTooNewError extends StoreError {
  constructor(
    readonly path: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      "unavailable",
      `${path} has schema version ${found}, but this chatctl only knows versions up to ${supported}; upgrade chatctl to use it`,
    );
    this.name = "SchemaTooNewError";
  }
}

/** A read-only open found a file that still needs migrations, which only a writer may apply. */
export class SchemaOutdatedError extends StoreError {
  constructor(
    readonly path: string,
    readonly found: number,
    readonly needed: number,
  ) {
    super("unavailable", `${path} has schema version ${found} but this chatctl needs ${needed}, and it was opened read-only`);
    this.name = "SchemaOutdatedError";
  }
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma("user_version", { simple: true }) as number;
}

/**
 * Brings the database up to `migrations.length`. Runs in one IMMEDIATE transaction and re-reads
 * the version inside it, so two processes opening a new file at once migrate it only once.
 * Returns the number of steps applied.
 */
export function migrate(db: Database.Database, path: string, migrations: readonly Migration[] = MIGRATIONS): number {
  const latest = migrations.length;
  const check = (): number => {
    const found = schemaVersion(db);
    if (found > latest) throw new SchemaTooNewError(path, found, latest);
    return found;
  };
  if (check() === latest) return 0;
  const apply = db.transaction((): number => {
    const from = check();
    for (let v = from; v < latest; v++) {
      db.exec(migrations[v]!.sql);
      // user_version lives in the file header and is written by this transaction.
      db.pragma(`user_version = ${v + 1}`);
    }
    return latest - from;
  });
  return apply.immediate();
}
