// Schema step 2 (narrow archive rows) must upgrade a database written by step 1 without losing or
// changing a message: same keys, values, times, partners and archive order, per host, store and
// user, and archive ids still never reused afterwards.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import Database from "better-sqlite3";
import { MIGRATIONS, migrate } from "../../../src/storage/sqlite/migrations.js";
import { SCHEMA_VERSION, openSqliteStorage } from "../../../src/storage/sqlite/index.js";
import type { ArchiveItem } from "../../../src/storage/types.js";

const dir = mkdtempSync(join(tmpdir(), "chatctl-archive-migration-"));
after(() => rmSync(dir, { recursive: true, force: true }));

interface OldRow {
  host: string;
  user: string;
  store: string;
  key: string;
  when: number;
  with: string;
  value: string;
}

const T0 = Date.UTC(2024, 0, 1);

/** Rows covering what step 1 could hold: several hosts, stores and users, every shape of 'with'. */
function oldRows(): OldRow[] {
  const partners = ["bob@x", "bob@x/phone", "", "carol@y/a/b", "dave@z/", "x.example"];
  const rows: OldRow[] = [];
  for (let i = 0; i < 60; i++) {
    rows.push({
      host: i % 5 === 0 ? "other.org" : "example.com",
      user: ["alice", "bob", "ünïcode"][i % 3]!,
      store: i % 7 === 0 ? "offline" : "archive",
      key: `key-${i}`,
      // Times go backwards now and then, and repeat: archive order is not time order.
      when: T0 + Math.floor((i % 13) / 2) * 1000,
      with: partners[i % partners.length]!,
      value: `<message id='${i}'><body>message ${i} ✓</body></message>`,
    });
  }
  return rows;
}

/** A file at schema version 1 holding `rows`, its newest row deleted (so the sequence is ahead of max(sort_id)). */
function writeVersion1(path: string, rows: readonly OldRow[]): number {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  migrate(db, path, MIGRATIONS.slice(0, 1));
  const insert = db.prepare('INSERT INTO archive (host, user, store, key, "when", "with", with_bare, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const r of rows) insert.run(r.host, r.user, r.store, r.key, r.when, r.with, r.with.split("/")[0], r.value);
    insert.run("example.com", "alice", "archive", "deleted-newest", T0, "", "", "<gone/>");
    db.prepare("DELETE FROM archive WHERE key = 'deleted-newest'").run();
    db.prepare("INSERT INTO keyval (host, user, store, key, value) VALUES ('example.com', 'alice', 'account', '', '\"kept\"')").run();
  })();
  const seq = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'archive'").pluck().get() as number;
  assert.equal(db.pragma("user_version", { simple: true }), 1);
  db.close();
  return seq;
}

test("a version 1 archive upgrades with every message, in archive order, with its partner and time", () => {
  const path = join(dir, "v1.sqlite");
  const rows = oldRows();
  const oldSeq = writeVersion1(path, rows);

  const storage = openSqliteStorage(path);
  assert.equal(storage.schemaVersion(), SCHEMA_VERSION);
  const groups = new Map<string, OldRow[]>();
  for (const r of rows) {
    const id = `${r.host}|${r.store}`;
    groups.set(id, [...(groups.get(id) ?? []), r]);
  }
  let found = 0;
  for (const [id, group] of groups) {
    const [host, store] = id.split("|") as [string, string];
    const archive = storage.archive(host, store);
    const users = [...new Set(group.map((r) => r.user))].sort();
    assert.deepEqual(archive.users(), users, `users of ${id}`);
    for (const user of users) {
      const expected: ArchiveItem[] = group
        .filter((r) => r.user === user)
        .map((r) => ({ key: r.key, value: r.value, when: new Date(r.when), with: r.with }));
      assert.deepEqual(archive.find(user), expected, `archive of ${user} in ${id}`);
      found += expected.length;
      // The partner filters still work on converted rows: bare matches its full JIDs, full only itself.
      for (const w of ["bob@x", "bob@x/phone", "carol@y/a/b", "carol@y", "dave@z/"]) {
        const bare = w.split("/")[0]!;
        const want = expected.filter((e) => (w === bare ? e.with.split("/")[0] === bare : e.with === w)).map((e) => e.key);
        assert.deepEqual(archive.find(user, { with: w }).map((i) => i.key), want, `with ${w} for ${user} in ${id}`);
        assert.equal(archive.count(user, { with: w }), want.length);
      }
    }
  }
  assert.equal(found, rows.length);
  assert.deepEqual(storage.keyval("example.com", "account").get("alice"), "kept");

  // A new item goes after the old ones, in every archive.
  for (const [host, store, user] of [["example.com", "archive", "alice"], ["other.org", "offline", "alice"]] as const) {
    storage.archive(host, store).append(user, "<new/>", { key: "new" });
    assert.equal(storage.archive(host, store).find(user, { reverse: true, limit: 1 })[0]!.key, "new");
    assert.equal(storage.archive(host, store).find(user, { before: "new", reverse: true, limit: 1 })[0]!.key, groups.get(`${host}|${store}`)!.filter((r) => r.user === user).at(-1)!.key);
  }
  storage.close();
  const raw = new Database(path, { readonly: true });
  // sort_ids are never reused: new items start after the old file's AUTOINCREMENT high-water mark.
  assert.ok((raw.prepare("SELECT min(sort_id) FROM archive_item WHERE key = 'new'").pluck().get() as number) > oldSeq);
  assert.equal(raw.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'archive'").pluck().get(), 0, "the old table is gone");
  raw.close();
});

test("an empty version 1 database upgrades and starts archiving", () => {
  const path = join(dir, "v1-empty.sqlite");
  const db = new Database(path);
  migrate(db, path, MIGRATIONS.slice(0, 1));
  db.close();
  const storage = openSqliteStorage(path);
  const archive = storage.archive("h", "archive");
  archive.append("alice", "<m/>", { key: "k", with: "bob@x/r" });
  assert.deepEqual(archive.find("alice").map((i) => [i.key, i.with]), [["k", "bob@x/r"]]);
  storage.close();
});

test("an id created in a rolled-back transaction is not reused for another archive", () => {
  const storage = openSqliteStorage(join(dir, "rollback.sqlite"));
  const archive = storage.archive("h", "archive");
  assert.throws(() =>
    storage.transaction(() => {
      archive.append("alice", "<a/>", { with: "bob@x" });
      throw new Error("abort");
    }),
  );
  // The ids alice and bob@x got are free again; whoever takes them next must not inherit them.
  archive.append("carol", "<c/>", { key: "c", with: "dave@x" });
  archive.append("alice", "<a/>", { key: "a", with: "bob@x" });
  assert.deepEqual(archive.find("carol").map((i) => [i.key, i.with]), [["c", "dave@x"]]);
  assert.deepEqual(archive.find("alice").map((i) => [i.key, i.with]), [["a", "bob@x"]]);
  storage.close();
});
