// Schema step 3 drops archive_item_time (the store-wide time index). A version 2 file must upgrade
// with every item intact, ids still never reused, and the size cap's delete (ALL_USERS with end
// and limit) must still remove the oldest items first across the archives of one store only.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import Database from "better-sqlite3";
import { MIGRATIONS, migrate } from "../../../src/storage/sqlite/migrations.js";
import { SCHEMA_VERSION, openSqliteStorage } from "../../../src/storage/sqlite/index.js";
import { ALL_USERS } from "../../../src/storage/types.js";

const dir = mkdtempSync(join(tmpdir(), "chatctl-archive-step3-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2024, 0, 1);

/** A version 2 file: two stores, three users, times out of archive order; its newest item deleted. */
function writeVersion2(path: string): number {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  migrate(db, path, MIGRATIONS.slice(0, 2));
  db.exec(`
    INSERT INTO archive_owner (id, host, store, user) VALUES (1, 'h', 'archive', 'alice'), (2, 'h', 'archive', 'bob'), (3, 'h', 'offline', 'alice');
    INSERT INTO archive_peer (id, jid) VALUES (1, 'peer@x');
  `);
  const insert = db.prepare('INSERT INTO archive_item (owner, key, "when", peer, resource, bytes, value) VALUES (?, ?, ?, 1, NULL, 3, \'<m/>\')');
  // Per owner, key k<owner>-<i> at second (i * 5) % 12: archive order is not time order.
  for (let i = 0; i < 12; i++) for (const owner of [1, 2, 3]) insert.run(owner, `k${owner}-${i}`, T0 + ((i * 5) % 12) * 1000);
  insert.run(1, "deleted-newest", T0);
  db.prepare("DELETE FROM archive_item WHERE key = 'deleted-newest'").run();
  const seq = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'archive_item'").pluck().get() as number;
  assert.equal(db.pragma("user_version", { simple: true }), 2);
  db.close();
  return seq;
}

test("a version 2 archive upgrades: the time index is gone, items and the id high-water mark stay", () => {
  const path = join(dir, "v2.sqlite");
  const oldSeq = writeVersion2(path);
  const storage = openSqliteStorage(path);
  assert.equal(storage.schemaVersion(), SCHEMA_VERSION);
  const archive = storage.archive("h", "archive");
  assert.deepEqual(archive.users(), ["alice", "bob"]);
  assert.deepEqual(
    archive.find("bob").map((i) => i.key),
    Array.from({ length: 12 }, (_, i) => `k2-${i}`),
  );
  archive.append("alice", "<new/>", { key: "new" });
  storage.close();
  const raw = new Database(path, { readonly: true });
  assert.equal(raw.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'archive_item_time'").pluck().get(), 0);
  assert.ok((raw.prepare("SELECT sort_id FROM archive_item WHERE key = 'new'").pluck().get() as number) > oldSeq);
  raw.close();
});

test("without the time index, the cap's delete still takes the oldest first across one store's archives", () => {
  const path = join(dir, "cap.sqlite");
  writeVersion2(path);
  const storage = openSqliteStorage(path);
  const archive = storage.archive("h", "archive");
  const offline = storage.archive("h", "offline");
  // Seconds 0, 1 and 2 hold one item each per archive (i = 0, 5, 10), appended out of time order:
  // 6 items at or before second 2 in this store. A limit of 4 takes the 4 oldest of them by time.
  const end = new Date(T0 + 2000);
  const oldest = (user: string) => archive.find(user, { end }).map((i) => [i.when.getTime(), i.key] as const);
  const candidates = [...oldest("alice"), ...oldest("bob")].sort((a, b) => a[0] - b[0]);
  assert.equal(candidates.length, 6);
  assert.equal(archive.delete(ALL_USERS, { end, limit: 4 }), 4);
  const left = [...oldest("alice"), ...oldest("bob")].sort((a, b) => a[0] - b[0]);
  assert.equal(left.length, 2);
  // What is left is never older than what went.
  const removed = candidates.filter((c) => !left.some((l) => l[1] === c[1]));
  assert.ok(Math.max(...removed.map((r) => r[0])) <= Math.min(...left.map((l) => l[0])));
  assert.equal(archive.delete(ALL_USERS, { end, limit: 4 }), 2);
  assert.equal(offline.count("alice"), 12, "another store is not touched");
  storage.close();
});
