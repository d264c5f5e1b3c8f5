// Archive stores over the `archive` table. Archive order is sort_id (the append order); every
// page boundary (before/after) is a key resolved to its sort_id, never a timestamp, so items with
// equal times still page exactly. The SQL is assembled from the filters present and each distinct
// text is prepared once (SqliteConnection caches it).
import { newArchiveKey } from "../archive-key.js";
import {
  ALL_USERS,
  StoreError,
  type ArchiveCaps,
  type ArchiveDeleteQuery,
  type ArchiveItem,
  type ArchiveQuery,
  type ArchiveStore,
} from "../types.js";
import { guard, type SqliteConnection } from "./connection.js";
import { usersSql } from "./users.js";

const CAPS: ArchiveCaps = Object.freeze({ total: true, ids: true, wildcardDelete: true, truncate: false });

const INSERT =
  'INSERT OR REPLACE INTO archive (host, user, store, key, "when", "with", with_bare, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
const SORT_ID_OF = "SELECT sort_id FROM archive WHERE host = ? AND user = ? AND store = ? AND key = ?";
const SORT_IDS_OF =
  "SELECT key, sort_id FROM archive WHERE host = ? AND user = ? AND store = ? AND key IN (SELECT value FROM json_each(?))";

interface Row {
  key: string;
  value: string;
  when: number;
  with: string;
}

class SqliteArchiveStore implements ArchiveStore {
  readonly caps = CAPS;

  constructor(
    private readonly conn: SqliteConnection,
    private readonly host: string,
    private readonly store: string,
  ) {}

  append(user: string, value: string, meta: { key?: string; when?: Date; with?: string } = {}): string {
    const key = meta.key ?? newArchiveKey();
    const when = meta.when === undefined ? Date.now() : millis(meta.when);
    const withJid = meta.with ?? "";
    // OR REPLACE: an existing key of this user's archive is deleted and the item re-inserted with
    // a new sort_id, so it moves to the end (the ArchiveStore contract).
    guard(() =>
      this.conn.statement(INSERT).run(this.host, user, this.store, key, when, withJid, bareOf(withJid), value),
    );
    return key;
  }

  find(user: string, query: ArchiveQuery = {}): ArchiveItem[] {
    return guard(() => {
      const params: unknown[] = [this.host, user, this.store];
      let where = "host = ? AND user = ? AND store = ?" + timeAndWith(query, params);
      if (query.after !== undefined) {
        where += " AND sort_id > ?";
        params.push(this.sortIdOf(user, query.after));
      }
      if (query.before !== undefined) {
        where += " AND sort_id < ?";
        params.push(this.sortIdOf(user, query.before));
      }
      // With ids, fetch exactly those rows by sort_id (INDEXED BY: other filters must not tempt the
      // planner into scanning a time range instead).
      let from = "archive";
      if (query.ids !== undefined) {
        where += " AND sort_id IN (SELECT value FROM json_each(?))";
        params.push(JSON.stringify(this.requireIds(user, query.ids)));
        from = "archive INDEXED BY archive_sort";
      }
      params.push(limitOf(query.limit));
      const sql =
        `SELECT key, value, "when", "with" FROM ${from} WHERE ${where} ` +
        `ORDER BY sort_id ${query.reverse === true ? "DESC" : "ASC"} LIMIT ?`;
      const rows = this.conn.statement(sql).all(...params) as Row[];
      return rows.map((r) => ({ key: r.key, value: r.value, when: new Date(r.when), with: r.with }));
    });
  }

  count(user: string, query: Pick<ArchiveQuery, "with" | "start" | "end"> = {}): number {
    return guard(() => {
      const params: unknown[] = [this.host, user, this.store];
      const sql = "SELECT count(*) FROM archive WHERE host = ? AND user = ? AND store = ?" + timeAndWith(query, params);
      return this.conn.statement(sql).pluck().get(...params) as number;
    });
  }

  delete(user: string | typeof ALL_USERS, query: ArchiveDeleteQuery = {}): number {
    return guard(() => {
      const params: unknown[] = [this.host];
      let where = "host = ? AND store = ?";
      if (user === ALL_USERS) params.push(this.store);
      else {
        where = "host = ? AND user = ? AND store = ?";
        params.push(user, this.store);
      }
      where += timeAndWith({ with: query.with, end: query.end }, params);
      const limit = limitOf(query.limit);
      let sql = `DELETE FROM archive WHERE ${where}`;
      if (limit >= 0) {
        // Oldest first: (host, [user,] store, "when") indexes end in the rowid, so this walks an index.
        sql = `DELETE FROM archive WHERE sort_id IN (SELECT sort_id FROM archive WHERE ${where} ORDER BY "when", sort_id LIMIT ?)`;
        params.push(limit);
      }
      return this.conn.statement(sql).run(...params).changes;
    });
  }

  users(): string[] {
    return guard(() => this.conn.statement(usersSql("archive")).pluck().all({ host: this.host, store: this.store }) as string[]);
  }

  private sortIdOf(user: string, key: string): number {
    const sortId = this.conn.statement(SORT_ID_OF).pluck().get(this.host, user, this.store, key) as number | undefined;
    if (sortId === undefined) throw new StoreError("item-not-found", `no archive item ${JSON.stringify(key)}`);
    return sortId;
  }

  /** The sort_ids of these keys, after checking that the user's archive holds each one. */
  private requireIds(user: string, ids: readonly string[]): number[] {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return [];
    const rows = this.conn.statement(SORT_IDS_OF).all(this.host, user, this.store, JSON.stringify(wanted)) as { key: string; sort_id: number }[];
    if (rows.length < wanted.length) {
      const found = new Set(rows.map((r) => r.key));
      const missing = wanted.find((id) => !found.has(id));
      throw new StoreError("item-not-found", `no archive item ${JSON.stringify(missing)}`);
    }
    return rows.map((r) => r.sort_id);
  }
}

export function sqliteArchiveStore(conn: SqliteConnection, host: string, store: string): ArchiveStore {
  return new SqliteArchiveStore(conn, host, store);
}

export const deleteUserArchiveSql = "DELETE FROM archive WHERE host = ? AND user = ?";

/** The `with` and time filters shared by find, count and delete; pushes their parameters. */
function timeAndWith(query: Pick<ArchiveQuery, "with" | "start" | "end">, params: unknown[]): string {
  let sql = "";
  if (query.with !== undefined) {
    const bare = bareOf(query.with);
    // Always constrain with_bare so the (…, with_bare, sort_id) index serves full JIDs too.
    sql += " AND with_bare = ?";
    params.push(bare);
    if (bare !== query.with) {
      sql += ' AND "with" = ?';
      params.push(query.with);
    }
  }
  if (query.start !== undefined) {
    sql += ' AND "when" >= ?';
    params.push(millis(query.start));
  }
  if (query.end !== undefined) {
    sql += ' AND "when" <= ?';
    params.push(millis(query.end));
  }
  return sql;
}

/** A JID string without its resource; "" stays "". */
function bareOf(jid: string): string {
  const slash = jid.indexOf("/");
  return slash < 0 ? jid : jid.slice(0, slash);
}

function millis(date: Date): number {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError("invalid Date in archive call");
  return ms;
}

/** SQLite's LIMIT, where -1 means none: absent, negative, NaN and Infinity all mean none. */
function limitOf(limit: number | undefined): number {
  return limit !== undefined && limit >= 0 && Number.isFinite(limit) ? Math.floor(limit) : -1;
}

