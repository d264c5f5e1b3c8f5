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
  {
    name: "narrow archive rows: owner and conversation partner as integer ids",
    // Step 1 repeated host, user and store (and the partner JID twice) in every archive row and
    // in each of its five indexes: ~800 bytes per archived message, and every insert wrote five
    // wide index entries. Here an archive (host, store, user) and a bare partner JID are each
    // stored once and referred to by integer; a row keeps only the partner's resource.
    // Existing items are copied with their sort_id (archive order and keys are unchanged) and the
    // AUTOINCREMENT high-water mark is carried over, so ids are still never reused.
    sql: `
      -- One row per archive (a user's, or a room's, in one store of one host). Never deleted: a
      -- connection caches these ids, so an id must keep meaning the same archive.
      CREATE TABLE archive_owner (
        id    INTEGER PRIMARY KEY,
        host  TEXT NOT NULL,
        store TEXT NOT NULL,
        user  TEXT NOT NULL,
        UNIQUE (host, store, user)
      );
      -- Bare JIDs of conversation partners ('' for items stored without one). Never deleted either.
      CREATE TABLE archive_peer (
        id  INTEGER PRIMARY KEY,
        jid TEXT NOT NULL UNIQUE
      );
      -- sort_id is the archive order (paging is by sort_id, never by time alone); AUTOINCREMENT
      -- so an id is never reused after the newest rows are deleted. "with" is peer's JID, plus
      -- '/' || resource when resource is not NULL. bytes = UTF-8 length of value, so size
      -- statistics read an index instead of every stanza.
      CREATE TABLE archive_item (
        sort_id  INTEGER PRIMARY KEY AUTOINCREMENT,
        owner    INTEGER NOT NULL,
        key      TEXT NOT NULL,
        "when"   INTEGER NOT NULL,
        peer     INTEGER NOT NULL,
        resource TEXT,
        bytes    INTEGER NOT NULL,
        value    TEXT NOT NULL
      );

      INSERT INTO archive_owner (host, store, user) SELECT DISTINCT host, store, user FROM archive ORDER BY host, store, user;
      INSERT INTO archive_peer (jid) SELECT DISTINCT with_bare FROM archive ORDER BY with_bare;
      INSERT INTO archive_item (sort_id, owner, key, "when", peer, resource, bytes, value)
        SELECT a.sort_id, o.id, a.key, a."when", p.id,
               CASE WHEN instr(a."with", '/') > 0 THEN substr(a."with", instr(a."with", '/') + 1) END,
               length(CAST(a.value AS BLOB)), a.value
          FROM archive a
          JOIN archive_owner o ON o.host = a.host AND o.store = a.store AND o.user = a.user
          JOIN archive_peer p ON p.jid = a.with_bare
         ORDER BY a.sort_id;
      DELETE FROM sqlite_sequence WHERE name = 'archive_item';
      INSERT INTO sqlite_sequence (name, seq) SELECT 'archive_item', seq FROM sqlite_sequence WHERE name = 'archive';
      DROP TABLE archive;

      -- Built after the copy (faster than maintaining them row by row). SQLite ends every index
      -- entry with the rowid, here sort_id: so (owner) is "one archive in archive order" and
      -- (owner, peer) "one conversation in archive order" without storing sort_id twice.
      CREATE UNIQUE INDEX archive_item_key ON archive_item (owner, key);
      CREATE INDEX archive_item_sort ON archive_item (owner);
      CREATE INDEX archive_item_with ON archive_item (owner, peer);
      -- Time ranges and per-archive purges; covering for summary() (count, bytes, oldest, newest).
      CREATE INDEX archive_item_when ON archive_item (owner, "when", bytes);
      -- Oldest first across every archive of a store (the size cap).
      CREATE INDEX archive_item_time ON archive_item ("when", owner);
    `,
  },
  {
    name: "archive: the size cap reads the per-archive time index; drop the store-wide one",
    // archive_item_time was written on every append and every purge only for the size cap's
    // "oldest first across every archive of a store" delete. That delete now walks each archive's
    // archive_item_when range up to the batch's instant (one seek per archive of the store, which
    // the cap's own per-user counts already pay) and keeps the oldest `limit` of them: an index
    // fewer on the message path, ~16 bytes less per message.
    sql: `
      DROP INDEX archive_item_time;
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
