// keyval and map stores over the `keyval` table. A keyval store is a map store whose only key is
// the empty string. Values are stored as JSON text, so what comes back is always a fresh copy.
import { keyValueOverMap } from "../keyval-over-map.js";
import type { Json, KeyValueStore, MapStore } from "../types.js";
import { guard, type SqliteConnection } from "./connection.js";
import { usersSql } from "./users.js";


const SQL = {
  get: "SELECT value FROM keyval WHERE host = ? AND user = ? AND store = ? AND key = ?",
  getAll: "SELECT key, value FROM keyval WHERE host = ? AND user = ? AND store = ? ORDER BY key",
  put:
    "INSERT INTO keyval (host, user, store, key, value) VALUES (?, ?, ?, ?, ?) " +
    "ON CONFLICT (host, user, store, key) DO UPDATE SET value = excluded.value",
  remove: "DELETE FROM keyval WHERE host = ? AND user = ? AND store = ? AND key = ?",
  removeUser: "DELETE FROM keyval WHERE host = ? AND user = ? AND store = ?",
} as const;

class SqliteMapStore<V extends Json> implements MapStore<V> {
  constructor(
    private readonly conn: SqliteConnection,
    private readonly host: string,
    private readonly store: string,
  ) {}

  get(user: string, key: string): V | undefined {
    return guard(() => {
      const row = this.conn.statement(SQL.get).get(this.host, user, this.store, key) as { value: string } | undefined;
      return row === undefined ? undefined : (JSON.parse(row.value) as V);
    });
  }

  set(user: string, key: string, value: V | undefined): void {
    guard(() => this.write(user, key, value));
  }

  getAll(user: string): Map<string, V> {
    return guard(() => {
      const rows = this.conn.statement(SQL.getAll).all(this.host, user, this.store) as { key: string; value: string }[];
      return new Map(rows.map((r) => [r.key, JSON.parse(r.value) as V]));
    });
  }

  setMany(user: string, entries: Iterable<[string, V | undefined]>): void {
    this.conn.transaction(() => {
      for (const [key, value] of entries) this.write(user, key, value);
    });
  }

  deleteUser(user: string): void {
    guard(() => this.conn.statement(SQL.removeUser).run(this.host, user, this.store));
  }

  users(): string[] {
    return guard(() => this.conn.statement(usersSql("keyval")).pluck().all({ host: this.host, store: this.store }) as string[]);
  }

  private write(user: string, key: string, value: V | undefined): void {
    if (value === undefined) this.conn.statement(SQL.remove).run(this.host, user, this.store, key);
    else this.conn.statement(SQL.put).run(this.host, user, this.store, key, JSON.stringify(value));
  }
}

export function sqliteMapStore<V extends Json>(conn: SqliteConnection, host: string, store: string): MapStore<V> {
  return new SqliteMapStore<V>(conn, host, store);
}

export function sqliteKeyValueStore<V extends Json>(conn: SqliteConnection, host: string, store: string): KeyValueStore<V> {
  return keyValueOverMap(new SqliteMapStore<V>(conn, host, store));
}

export const deleteUserKeyvalSql = "DELETE FROM keyval WHERE host = ? AND user = ?";
