// Archive stores over the archive_item table (schema steps 2 and 3). Archive order is sort_id (the
// append order); every page boundary (before/after) is a key resolved to its sort_id, never a
// timestamp, so items with equal times still page exactly. An archive (host, store, user) and a
// partner's bare JID are integer ids (archive_owner, archive_peer), which keeps rows and index
// entries narrow; this file caches those ids per connection. The SQL is assembled from the filters
// present and each distinct text is prepared once (SqliteConnection caches it).
import { newArchiveKey } from "../archive-key.js";
import {
  ALL_USERS,
  StoreError,
  type ArchiveAppend,
  type ArchiveCaps,
  type ArchiveDeleteQuery,
  type ArchiveItem,
  type ArchiveQuery,
  type ArchiveStore,
  type ArchiveUserSummary,
} from "../types.js";
import { guard, type SqliteConnection } from "./connection.js";

const CAPS: ArchiveCaps = Object.freeze({ total: true, ids: true, wildcardDelete: true, truncate: false });

const INSERT = 'INSERT OR REPLACE INTO archive_item (owner, key, "when", peer, resource, bytes, value) VALUES (?, ?, ?, ?, ?, ?, ?)';
const OWNER_ID = "SELECT id FROM archive_owner WHERE host = ? AND store = ? AND user = ?";
const ADD_OWNER = "INSERT OR IGNORE INTO archive_owner (host, store, user) VALUES (?, ?, ?)";
const PEER_ID = "SELECT id FROM archive_peer WHERE jid = ?";
const ADD_PEER = "INSERT OR IGNORE INTO archive_peer (jid) VALUES (?)";
const SORT_ID_OF = "SELECT sort_id FROM archive_item WHERE owner = ? AND key = ?";
const SORT_IDS_OF = "SELECT key, sort_id FROM archive_item WHERE owner = ? AND key IN (SELECT value FROM json_each(?))";
const USERS = `
  SELECT o.user FROM archive_owner o
   WHERE o.host = ? AND o.store = ? AND EXISTS (SELECT 1 FROM archive_item i WHERE i.owner = o.id)
   ORDER BY o.user`;
// Reads only archive_item_when (covering): no stanza is loaded.
const SUMMARY = `
  SELECT o.user AS user, count(*) AS messages, total(i.bytes) AS bytes, min(i."when") AS oldest, max(i."when") AS newest
    FROM archive_owner o JOIN archive_item i INDEXED BY archive_item_when ON i.owner = o.id
   WHERE o.host = ? AND o.store = ?
   GROUP BY o.id
   ORDER BY o.user`;
/** The items of a find; `hint` is an INDEXED BY / NOT INDEXED clause for archive_item or "". */
const selectItems = (hint: string): string =>
  `SELECT i.key, i.value, i."when", p.jid, i.resource FROM archive_item i${hint} JOIN archive_peer p ON p.id = i.peer`;

interface Row {
  key: string;
  value: string;
  when: number;
  jid: string;
  resource: string | null;
}

/** The id dictionaries of one connection; forgotten whenever a transaction on it rolls back. */
interface Ids {
  rollbacks: number;
  owners: Map<string, number>;
  peers: Map<string, number>;
}

/** More partners than this and the peer cache starts over (it only saves a lookup). */
const MAX_CACHED_PEERS = 100_000;

const idCaches = new WeakMap<SqliteConnection, Ids>();

/**
 * The connection's id cache. An id created inside a transaction that later rolls back no longer
 * exists (and may be handed out again for another name), so the cache is dropped on rollback.
 * Dictionary rows are never deleted, so an id cached after a commit stays right for good, also
 * while other connections (a CLI beside the server) use the file.
 */
function idsOf(conn: SqliteConnection): Ids {
  let ids = idCaches.get(conn);
  if (ids === undefined || ids.rollbacks !== conn.rollbacks) {
    ids = { rollbacks: conn.rollbacks, owners: new Map(), peers: new Map() };
    idCaches.set(conn, ids);
  }
  return ids;
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
    const { bare, resource } = splitJid(meta.with ?? "");
    // OR REPLACE: an existing key of this user's archive is deleted and the item re-inserted with
    // a new sort_id, so it moves to the end (the ArchiveStore contract).
    guard(() =>
      this.conn.statement(INSERT).run(this.ownerId(user, true), key, when, this.peerId(bare, true), resource, Buffer.byteLength(value, "utf8"), value),
    );
    return key;
  }

  /**
   * The writer's batch: one row per statement (multi-row INSERT OR REPLACE statements measured
   * slower, with 3-6 µs more system CPU per row, most likely the statement journal SQLite keeps for
   * a statement that changes several rows), but one prepared statement, positional parameters,
   * and the owner looked up once per run of one user (a writer's batch is sorted by user).
   */
  appendMany(items: readonly ArchiveAppend[]): void {
    guard(() => {
      const insert = this.conn.statement(INSERT);
      let lastUser: string | undefined;
      let owner = 0;
      for (const item of items) {
        if (item.user !== lastUser) {
          owner = this.ownerId(item.user, true)!;
          lastUser = item.user;
        }
        const { bare, resource } = splitJid(item.with);
        insert.run(owner, item.key, millis(item.when), this.peerId(bare, true), resource, Buffer.byteLength(item.value, "utf8"), item.value);
      }
    });
  }

  find(user: string, query: ArchiveQuery = {}): ArchiveItem[] {
    return guard(() => {
      const owner = this.ownerId(user, false);
      const params: unknown[] = [owner ?? -1];
      let where = "i.owner = ?";
      if (query.after !== undefined) {
        where += " AND i.sort_id > ?";
        params.push(this.sortIdOf(owner, query.after));
      }
      if (query.before !== undefined) {
        where += " AND i.sort_id < ?";
        params.push(this.sortIdOf(owner, query.before));
      }
      if (query.ids !== undefined) {
        where += " AND i.sort_id IN (SELECT value FROM json_each(?))";
        params.push(JSON.stringify(this.requireIds(owner, query.ids)));
      }
      const filters = this.timeAndWith(query, params);
      if (filters === undefined || owner === undefined) return [];
      where += filters;
      // With ids, fetch exactly those rows by sort_id (a rowid lookup each): other filters must not
      // tempt the planner into scanning a conversation or a time range instead.
      const hint = query.ids !== undefined ? " NOT INDEXED" : "";
      params.push(limitOf(query.limit));
      const sql = `${selectItems(hint)} WHERE ${where} ORDER BY i.sort_id ${query.reverse === true ? "DESC" : "ASC"} LIMIT ?`;
      const rows = this.conn.statement(sql).all(...params) as Row[];
      return rows.map((r) => ({ key: r.key, value: r.value, when: new Date(r.when), with: r.resource === null ? r.jid : `${r.jid}/${r.resource}` }));
    });
  }

  count(user: string, query: Pick<ArchiveQuery, "with" | "start" | "end"> = {}): number {
    return guard(() => {
      const owner = this.ownerId(user, false);
      if (owner === undefined) return 0;
      const params: unknown[] = [owner];
      const filters = this.timeAndWith(query, params);
      if (filters === undefined) return 0;
      return this.conn.statement(`SELECT count(*) FROM archive_item i WHERE i.owner = ?${filters}`).pluck().get(...params) as number;
    });
  }

  delete(user: string | typeof ALL_USERS, query: ArchiveDeleteQuery = {}): number {
    return guard(() => {
      const params: unknown[] = [];
      let where: string;
      if (user === ALL_USERS) {
        where = "i.owner IN (SELECT id FROM archive_owner WHERE host = ? AND store = ?)";
        params.push(this.host, this.store);
      } else {
        const owner = this.ownerId(user, false);
        if (owner === undefined) return 0;
        where = "i.owner = ?";
        params.push(owner);
      }
      const filters = this.timeAndWith({ with: query.with, end: query.end }, params);
      if (filters === undefined) return 0;
      where += filters;
      const limit = limitOf(query.limit);
      if (limit < 0) return this.conn.statement(`DELETE FROM archive_item AS i WHERE ${where}`).run(...params).changes;
      // Oldest first, through archive_item_when (owner, "when", …, sort_id): one archive is read in
      // that order; every archive of the store is one range per archive up to `end`, and SQLite
      // keeps only the `limit` oldest of them while sorting (the window holds about a batch).
      params.push(limit);
      const sql =
        `DELETE FROM archive_item WHERE sort_id IN ` +
        `(SELECT i.sort_id FROM archive_item i INDEXED BY archive_item_when WHERE ${where} ORDER BY i."when", i.sort_id LIMIT ?)`;
      return this.conn.statement(sql).run(...params).changes;
    });
  }

  users(): string[] {
    return guard(() => this.conn.statement(USERS).pluck().all(this.host, this.store) as string[]);
  }

  summary(): ArchiveUserSummary[] {
    return guard(() => {
      const rows = this.conn.statement(SUMMARY).all(this.host, this.store) as { user: string; messages: number; bytes: number; oldest: number; newest: number }[];
      return rows.map((r) => ({ user: r.user, messages: r.messages, bytes: r.bytes, oldest: new Date(r.oldest), newest: new Date(r.newest) }));
    });
  }

  /**
   * The id of this user's archive; with `create`, added when missing (on the append path, so in
   * the caller's transaction). Without, undefined for an archive that never had an item.
   */
  private ownerId(user: string, create: boolean): number | undefined {
    const ids = idsOf(this.conn);
    const name = `${this.host}\u0000${this.store}\u0000${user}`;
    let id = ids.owners.get(name);
    if (id === undefined) {
      if (create) this.conn.statement(ADD_OWNER).run(this.host, this.store, user);
      id = this.conn.statement(OWNER_ID).pluck().get(this.host, this.store, user) as number | undefined;
      if (id !== undefined) ids.owners.set(name, id);
    }
    return id;
  }

  private peerId(bare: string, create: boolean): number | undefined {
    const ids = idsOf(this.conn);
    let id = ids.peers.get(bare);
    if (id === undefined) {
      if (create) this.conn.statement(ADD_PEER).run(bare);
      id = this.conn.statement(PEER_ID).pluck().get(bare) as number | undefined;
      if (id !== undefined) {
        if (ids.peers.size >= MAX_CACHED_PEERS) ids.peers.clear();
        ids.peers.set(bare, id);
      }
    }
    return id;
  }

  /**
   * The `with` and time filters shared by find, count and delete; pushes their parameters.
   * undefined when nothing can match (a partner never archived).
   */
  private timeAndWith(query: Pick<ArchiveQuery, "with" | "start" | "end">, params: unknown[]): string | undefined {
    let sql = "";
    if (query.with !== undefined) {
      const { bare, resource } = splitJid(query.with);
      const peer = this.peerId(bare, false);
      if (peer === undefined) return undefined;
      // A bare JID matches all of its full JIDs too; a full JID only itself.
      sql += " AND i.peer = ?";
      params.push(peer);
      if (resource !== null) {
        sql += " AND i.resource = ?";
        params.push(resource);
      }
    }
    if (query.start !== undefined) {
      sql += ' AND i."when" >= ?';
      params.push(millis(query.start));
    }
    if (query.end !== undefined) {
      sql += ' AND i."when" <= ?';
      params.push(millis(query.end));
    }
    return sql;
  }

  private sortIdOf(owner: number | undefined, key: string): number {
    const sortId = owner === undefined ? undefined : (this.conn.statement(SORT_ID_OF).pluck().get(owner, key) as number | undefined);
    if (sortId === undefined) throw new StoreError("item-not-found", `no archive item ${JSON.stringify(key)}`);
    return sortId;
  }

  /** The sort_ids of these keys, after checking that the user's archive holds each one. */
  private requireIds(owner: number | undefined, ids: readonly string[]): number[] {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return [];
    const rows = owner === undefined ? [] : (this.conn.statement(SORT_IDS_OF).all(owner, JSON.stringify(wanted)) as { key: string; sort_id: number }[]);
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

/** Every archive item of one user in every store of a host (account deletion); parameters host, user. */
export const deleteUserArchiveSql = "DELETE FROM archive_item WHERE owner IN (SELECT id FROM archive_owner WHERE host = ? AND user = ?)";

/** A JID string as its bare part and its resource (null when there is no '/'); "" stays "". */
function splitJid(jid: string): { bare: string; resource: string | null } {
  const slash = jid.indexOf("/");
  return slash < 0 ? { bare: jid, resource: null } : { bare: jid.slice(0, slash), resource: jid.slice(slash + 1) };
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
