// openStorage: the configuration picks the backend and the file, and every way the database can
// fail to open becomes a ChatctlError with exit code 3 that names the file (DESIGN.md exit codes).
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import Database from "better-sqlite3";
import { ChatctlError, ExitCode } from "../../../src/errors.js";
import { openStorage, storagePath, type StorageConfig } from "../../../src/storage/open.js";
import { SCHEMA_VERSION } from "../../../src/storage/sqlite/index.js";

const root = mkdtempSync(join(tmpdir(), "chatctl-open-storage-"));
after(() => rmSync(root, { recursive: true, force: true }));

let dirs = 0;
const freshDir = (): string => join(root, `case-${++dirs}`);

function config(dataDir: string, storage: StorageConfig["storage"] = { backend: "sqlite" }): StorageConfig {
  return { dataDir, storage };
}

function isStorageFailure(code: string, path: string) {
  return (err: unknown): boolean =>
    err instanceof ChatctlError && err.code === code && err.exitCode === ExitCode.UNREACHABLE && err.message.includes(path);
}

test("the memory backend touches no file", () => {
  const dataDir = freshDir();
  const storage = openStorage(config(dataDir, { backend: "memory" }));
  assert.equal(storage.kind, "memory");
  storage.close();
  assert.equal(existsSync(dataDir), false);
});

test("sqlite defaults to <dataDir>/chatctl.sqlite and creates a missing data dir private (0700)", () => {
  const dataDir = join(freshDir(), "nested", "data");
  const storage = openStorage(config(dataDir));
  assert.equal(storage.kind, "sqlite");
  assert.equal(storage.kind === "sqlite" && storage.path, join(dataDir, "chatctl.sqlite"));
  storage.close();
  assert.equal(statSync(dataDir).mode & 0o777, 0o700);
  assert.ok(existsSync(join(dataDir, "chatctl.sqlite")));
});

test("storage.path chooses the file; a relative one is inside dataDir", () => {
  const dataDir = freshDir();
  const absolute = join(freshDir(), "elsewhere.sqlite");
  assert.equal(storagePath(config(dataDir, { backend: "sqlite", path: absolute })), absolute);
  assert.equal(storagePath(config(dataDir, { backend: "sqlite", path: "db/x.sqlite" })), join(dataDir, "db", "x.sqlite"));
  openStorage(config(dataDir, { backend: "sqlite", path: absolute })).close();
  assert.ok(existsSync(absolute));
});

test("a database path that cannot be opened is exit code 3, naming the file", () => {
  const dataDir = freshDir();
  const path = join(dataDir, "chatctl.sqlite");
  mkdirSync(path, { recursive: true }); // a directory where the file should be: SQLITE_CANTOPEN
  assert.throws(() => openStorage(config(dataDir)), isStorageFailure("CHATCTL_E_STORAGE_OPEN", path));
});

test("a data dir that cannot be created is exit code 3, naming the file", () => {
  const blocker = join(freshDir(), "file");
  mkdirSync(join(blocker, ".."), { recursive: true });
  writeFileSync(blocker, "not a directory");
  const dataDir = join(blocker, "data");
  assert.throws(() => openStorage(config(dataDir)), isStorageFailure("CHATCTL_E_STORAGE_OPEN", join(dataDir, "chatctl.sqlite")));
});

test("a read-only open of a missing database is exit code 3 and creates nothing", () => {
  const dataDir = freshDir();
  assert.throws(
    () => openStorage(config(dataDir), { readonly: true }),
    isStorageFailure("CHATCTL_E_STORAGE_OPEN", join(dataDir, "chatctl.sqlite")),
  );
  assert.equal(existsSync(dataDir), false);
});

test("a file that is not a database and a database from a newer chatctl are exit code 3 with their own codes", () => {
  const junkDir = freshDir();
  mkdirSync(junkDir);
  const junk = join(junkDir, "chatctl.sqlite");
  writeFileSync(junk, "not sqlite\n".repeat(500));
  assert.throws(() => openStorage(config(junkDir)), isStorageFailure("CHATCTL_E_STORAGE_CORRUPT", junk));

  const newerDir = freshDir();
  openStorage(config(newerDir)).close();
  const newer = join(newerDir, "chatctl.sqlite");
  const raw = new Database(newer);
  raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  raw.close();
  assert.throws(() => openStorage(config(newerDir)), isStorageFailure("CHATCTL_E_STORAGE_VERSION", newer));
});
