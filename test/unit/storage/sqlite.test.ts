// What only the SQLite backend has to prove: its file format (migrations, user_version), that the
// file is what persists, that a server and a CLI can share it, and that space can be given back.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import Database from "better-sqlite3";
import { newArchiveKey } from "../../../src/storage/archive-key.js";
import { migrate, type Migration } from "../../../src/storage/sqlite/migrations.js";
import {
  SCHEMA_VERSION,
  SchemaOutdatedError,
  SchemaTooNewError,
  openSqliteStorage,
} from "../../../src/storage/sqlite/index.js";
import { ALL_USERS, StoreError } from "../../../src/storage/types.js";

const dir = mkdtempSync(join(tmpdir(), "chatctl-sqlite-"));
after(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
const newPath = (): string => join(dir, `db-${++files}.sqlite`);

/** Reads a pragma through a separate, plain connection: what is in the file, not in our session. */
function filePragma(path: string, name: string): unknown {
  const raw = new Database(path, { readonly: true });
  try {
    return raw.pragma(name, { simple: true });
  } finally {
    raw.close();
  }
}

test("a new database gets every migration, WAL journaling and incremental auto-vacuum", () => {
  const path = newPath();
  const storage = openSqliteStorage(path);
  assert.equal(storage.schemaVersion(), SCHEMA_VERSION);
  storage.close();
  assert.equal(filePragma(path, "user_version"), SCHEMA_VERSION);
  assert.equal(filePragma(path, "journal_mode"), "wal");
  assert.equal(filePragma(path, "auto_vacuum"), 2); // 2 = INCREMENTAL
});

test("reopening a current database applies nothing and keeps user_version", () => {
  const path = newPath();
  openSqliteStorage(path).close();
  const storage = openSqliteStorage(path);
  assert.equal(storage.schemaVersion(), SCHEMA_VERSION);
  storage.close();
  const raw = new Database(path);
  assert.equal(migrate(raw, path), 0);
  raw.close();
});

test("migrate applies only the steps a file has not had, in order", () => {
  const path = newPath();
  const step = (n: number): Migration => ({ name: `step ${n}`, sql: `CREATE TABLE t${n} (x); INSERT INTO log VALUES (${n});` });
  const steps: Migration[] = [{ name: "log", sql: "CREATE TABLE log (n)" }, step(1)];
  const raw = new Database(path);
  assert.equal(migrate(raw, path, steps), 2);
  // Re-running step 1 would fail (CREATE TABLE t1 exists), so success proves it was skipped.
  assert.equal(migrate(raw, path, [...steps, step(2), step(3)]), 2);
  assert.equal(raw.pragma("user_version", { simple: true }), 4);
  assert.deepEqual(raw.prepare("SELECT n FROM log").pluck().all(), [1, 2, 3]);
  raw.close();
});

test("a failing migration step leaves the file at its previous version, without partial steps", () => {
  const path = newPath();
  const raw = new Database(path);
  const steps: Migration[] = [
    { name: "ok", sql: "CREATE TABLE a (x)" },
    { name: "half", sql: "CREATE TABLE b (x); THIS IS NOT SQL" },
  ];
  assert.throws(() => migrate(raw, path, steps));
  assert.equal(raw.pragma("user_version", { simple: true }), 0);
  assert.deepEqual(raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all(), []);
  raw.close();
});

test("a database written by a newer chatctl is refused, named, and left untouched", () => {
  const path = newPath();
  openSqliteStorage(path).close();
  const raw = new Database(path);
  raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  raw.close();
  assert.throws(
    () => openSqliteStorage(path),
    (err: unknown) =>
      err instanceof SchemaTooNewError &&
      err.code === "unavailable" &&
      err.found === SCHEMA_VERSION + 1 &&
      err.supported === SCHEMA_VERSION &&
      err.message.includes(path),
  );
  assert.throws(() => openSqliteStorage(path, { readonly: true }), SchemaTooNewError);
  assert.equal(filePragma(path, "user_version"), SCHEMA_VERSION + 1);
});

test("a read-only open reads a current database, refuses writes and never migrates", () => {
  const path = newPath();
  const writer = openSqliteStorage(path);
  writer.keyval("h", "s").set("alice", "v");
  writer.close();
  const reader = openSqliteStorage(path, { readonly: true });
  assert.equal(reader.readonly, true);
  assert.equal(reader.keyval("h", "s").get("alice"), "v");
  assert.throws(() => reader.keyval("h", "s").set("bob", "w"), (err: unknown) => err instanceof StoreError && err.code === "unavailable");
  reader.close();

  const old = newPath();
  const raw = new Database(old);
  raw.exec("CREATE TABLE unrelated (x)");
  raw.close();
  assert.throws(() => openSqliteStorage(old, { readonly: true }), SchemaOutdatedError);
  assert.equal(filePragma(old, "user_version"), 0);
  assert.throws(
    () => openSqliteStorage(join(dir, "missing.sqlite"), { readonly: true }),
    (err: unknown) => err instanceof StoreError && err.code === "unavailable",
  );
});

test("a file that is not a SQLite database is reported corrupt", () => {
  const path = newPath();
  writeFileSync(path, "this is a text file, not a database\n".repeat(200));
  assert.throws(
    () => openSqliteStorage(path),
    (err: unknown) => err instanceof StoreError && err.code === "corrupt" && err.message.includes(path),
  );
});

test("data survives close and reopen, and archive order continues after the old items", () => {
  const path = newPath();
  const first = openSqliteStorage(path);
  first.keyval("h", "account").set("alice", { scram: "x" });
  first.map("h", "roster").set("alice", "bob@x", { name: "Bob" });
  first.archive("h", "archive").append("alice", "<old/>", { key: "old" });
  first.close();

  const second = openSqliteStorage(path);
  assert.deepEqual(second.keyval("h", "account").get("alice"), { scram: "x" });
  assert.deepEqual(second.map("h", "roster").get("alice", "bob@x"), { name: "Bob" });
  second.archive("h", "archive").append("alice", "<new/>", { key: "new" });
  assert.deepEqual(
    second.archive("h", "archive").find("alice").map((i) => i.key),
    ["old", "new"],
  );
  second.close();
});

test("two connections to one file, like a server and a CLI, see each other's committed writes", () => {
  const path = newPath();
  const server = openSqliteStorage(path);
  const cli = openSqliteStorage(path);
  server.archive("h", "archive").append("alice", "<m/>", { key: "from-server" });
  assert.deepEqual(cli.archive("h", "archive").find("alice").map((i) => i.key), ["from-server"]);
  assert.equal(cli.archive("h", "archive").delete(ALL_USERS), 1);
  assert.equal(server.archive("h", "archive").count("alice"), 0);

  // WAL: a reader is not blocked by an open write transaction, and sees only committed data.
  server.transaction(() => {
    server.keyval("h", "account").set("alice", "uncommitted");
    assert.equal(cli.keyval("h", "account").get("alice"), undefined);
  });
  assert.equal(cli.keyval("h", "account").get("alice"), "uncommitted");
  server.close();
  cli.close();
});

test("deleting many rows frees pages, and incrementalVacuum gives them back", () => {
  const storage = openSqliteStorage(newPath());
  const archive = storage.archive("h", "archive");
  const body = "<message><body>" + "x".repeat(1000) + "</body></message>";
  storage.transaction(() => {
    for (let i = 0; i < 3000; i++) archive.append(`user${i % 10}`, body, { with: "bob@x" });
  });
  const full = storage.sizeBytes();
  assert.equal(storage.freeBytes(), 0);

  assert.equal(archive.delete(ALL_USERS), 3000);
  assert.ok(storage.freeBytes() > 1_000_000, "deleted rows leave free pages");
  assert.equal(storage.sizeBytes(), full, "free pages stay in the file until vacuumed");

  assert.equal(storage.incrementalVacuum(10), 10);
  const freed = storage.incrementalVacuum();
  assert.ok(freed > 0);
  assert.equal(storage.freeBytes(), 0);
  assert.ok(storage.sizeBytes() < full / 2, `size ${storage.sizeBytes()} should be well under ${full}`);
  assert.equal(storage.checkpoint().busy, false);
  assert.throws(() => storage.incrementalVacuum(0), RangeError);
  storage.close();
});

test("generated archive keys are short, URL-safe, unique, and sort in time order", () => {
  // Time order keeps a user's new keys at the end of the key index (cheap appends and purges).
  const keys: string[] = [];
  for (let ms = 0; ms < 500; ms++) keys.push(newArchiveKey(Date.UTC(2024, 0, 1) + ms * 7), newArchiveKey(Date.UTC(2024, 0, 1) + ms * 7 + 1));
  assert.equal(new Set(keys).size, keys.length);
  for (const key of keys) assert.match(key, /^[A-Za-z0-9_-]{22}$/);
  assert.deepEqual([...keys].sort(), keys);
});
