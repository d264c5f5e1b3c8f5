// Archive stores held in MemoryState, with the SQLite backend's observable semantics: archive
// order is the append order (sortId), before/after are keys, unknown keys are item-not-found,
// deletes go oldest first by (when, archive order).
import { newArchiveKey } from "../archive-key.js";
import {
  ALL_USERS,
  StoreError,
  type ArchiveCaps,
  type ArchiveDeleteQuery,
  type ArchiveItem,
  type ArchiveQuery,
  type ArchiveStore,
  type ArchiveUserSummary,
} from "../types.js";
import type { ArchiveRow, MemoryState } from "./state.js";
import { sortedKeys } from "./state.js";

const CAPS: ArchiveCaps = Object.freeze({ total: true, ids: true, wildcardDelete: true, truncate: false });

type RowFilter = (row: ArchiveRow) => boolean;

class MemoryArchiveStore implements ArchiveStore {
  readonly caps = CAPS;

  constructor(
    private readonly state: MemoryState,
    private readonly host: string,
    private readonly store: string,
  ) {}

  append(user: string, value: string, meta: { key?: string; when?: Date; with?: string } = {}): string {
    const key = meta.key ?? newArchiveKey();
    const when = meta.when === undefined ? Date.now() : millis(meta.when);
    const withJid = meta.with ?? "";
    const row: ArchiveRow = { sortId: this.state.nextSortId(), key, when, with: withJid, withBare: bareOf(withJid), value };
    this.state.transaction(() => {
      const rows = this.rows(user);
      // An existing key is replaced: the item moves to the end.
      if (meta.key !== undefined && rows.some((r) => r.key === key)) {
        this.state.archiveReplace(this.host, this.store, user, rows.filter((r) => r.key !== key));
      }
      this.state.archivePush(this.host, this.store, user, row);
    });
    return key;
  }

  find(user: string, query: ArchiveQuery = {}): ArchiveItem[] {
    const rows = this.rows(user);
    const tests = timeAndWith(query);
    if (query.after !== undefined) {
      const after = sortIdOf(rows, query.after);
      tests.push((r) => r.sortId > after);
    }
    if (query.before !== undefined) {
      const before = sortIdOf(rows, query.before);
      tests.push((r) => r.sortId < before);
    }
    if (query.ids !== undefined) {
      const ids = new Set(query.ids);
      const present = new Set(rows.map((r) => r.key));
      for (const id of ids) {
        if (!present.has(id)) throw new StoreError("item-not-found", `no archive item ${JSON.stringify(id)}`);
      }
      tests.push((r) => ids.has(r.key));
    }
    const matching = rows.filter(every(tests));
    if (query.reverse === true) matching.reverse();
    const limit = limitOf(query.limit);
    return (limit === undefined ? matching : matching.slice(0, limit)).map((r) => ({
      key: r.key,
      value: r.value,
      when: new Date(r.when),
      with: r.with,
    }));
  }

  count(user: string, query: Pick<ArchiveQuery, "with" | "start" | "end"> = {}): number {
    return this.rows(user).filter(every(timeAndWith(query))).length;
  }

  delete(user: string | typeof ALL_USERS, query: ArchiveDeleteQuery = {}): number {
    const match = every(timeAndWith({ with: query.with, end: query.end }));
    const users = user === ALL_USERS ? [...this.state.archiveUsers(this.host, this.store).keys()] : [user];
    let doomed: { user: string; row: ArchiveRow }[] = [];
    for (const u of users) for (const row of this.rows(u)) if (match(row)) doomed.push({ user: u, row });
    const limit = limitOf(query.limit);
    if (limit !== undefined) {
      doomed.sort((a, b) => a.row.when - b.row.when || a.row.sortId - b.row.sortId);
      doomed = doomed.slice(0, limit);
    }
    const byUser = new Map<string, Set<ArchiveRow>>();
    for (const { user: u, row } of doomed) (byUser.get(u) ?? byUser.set(u, new Set()).get(u)!).add(row);
    this.state.transaction(() => {
      for (const [u, rows] of byUser) {
        this.state.archiveReplace(this.host, this.store, u, this.rows(u).filter((r) => !rows.has(r)));
      }
    });
    return doomed.length;
  }

  users(): string[] {
    return sortedKeys(this.state.archiveUsers(this.host, this.store));
  }

  summary(): ArchiveUserSummary[] {
    const out: ArchiveUserSummary[] = [];
    for (const user of this.users()) {
      const rows = this.rows(user);
      if (rows.length === 0) continue;
      let bytes = 0;
      let oldest = Infinity;
      let newest = -Infinity;
      for (const r of rows) {
        bytes += Buffer.byteLength(r.value, "utf8");
        oldest = Math.min(oldest, r.when);
        newest = Math.max(newest, r.when);
      }
      out.push({ user, messages: rows.length, bytes, oldest: new Date(oldest), newest: new Date(newest) });
    }
    return out;
  }

  private rows(user: string): readonly ArchiveRow[] {
    return this.state.archiveRows(this.host, this.store, user);
  }
}

export function memoryArchiveStore(state: MemoryState, host: string, store: string): ArchiveStore {
  return new MemoryArchiveStore(state, host, store);
}

function timeAndWith(query: Pick<ArchiveQuery, "with" | "start" | "end">): RowFilter[] {
  const tests: RowFilter[] = [];
  const w = query.with;
  if (w !== undefined) {
    if (bareOf(w) === w) tests.push((r) => r.withBare === w);
    else tests.push((r) => r.with === w);
  }
  if (query.start !== undefined) {
    const start = millis(query.start);
    tests.push((r) => r.when >= start);
  }
  if (query.end !== undefined) {
    const end = millis(query.end);
    tests.push((r) => r.when <= end);
  }
  return tests;
}

function every(tests: readonly RowFilter[]): RowFilter {
  return (row) => tests.every((t) => t(row));
}

function sortIdOf(rows: readonly ArchiveRow[], key: string): number {
  const row = rows.find((r) => r.key === key);
  if (row === undefined) throw new StoreError("item-not-found", `no archive item ${JSON.stringify(key)}`);
  return row.sortId;
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

/** The same reading as the SQLite backend: absent, negative, NaN and Infinity mean no limit. */
function limitOf(limit: number | undefined): number | undefined {
  return limit !== undefined && limit >= 0 && Number.isFinite(limit) ? Math.floor(limit) : undefined;
}
