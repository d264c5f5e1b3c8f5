// `chatctl upload purge|stats` end to end: the real binary on a temp data directory whose upload
// records (in the SQLite database) and files (on disk) were written in-process at chosen ages,
// then the database and the directory inspected again to see what is really left.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { loadConfig } from "../../src/config/load.js";
import type { Config } from "../../src/config/types.js";
import { hashSecret, newFileId } from "../../src/services/upload/ids.js";
import { UploadLayout } from "../../src/services/upload/layout.js";
import { UPLOAD_RECORD_STORE, UploadRecords, uploadHost, type UploadRecord } from "../../src/services/upload/records.js";
import { openStorage } from "../../src/storage/open.js";
import { DOMAIN, sandbox, type Sandbox } from "./helpers.js";

const DAY = 24 * 60 * 60 * 1000;

function configOf(box: Sandbox): Config {
  return loadConfig({ configPath: box.configPath, explicit: true, env: box.env, flags: { dataDir: box.dataDir } });
}

function withRecords<T>(box: Sandbox, fn: (records: UploadRecords, layout: UploadLayout) => T): T {
  const config = configOf(box);
  const storage = openStorage(config);
  try {
    return fn(new UploadRecords(storage.map(uploadHost(config), UPLOAD_RECORD_STORE)), UploadLayout.of(config));
  } finally {
    storage.close();
  }
}

/** A completed upload `ageDays` old: its record and its file. */
function storeFile(box: Sandbox, user: string, ageDays: number, size: number): UploadRecord {
  return withRecords(box, (records, layout) => {
    const when = new Date(Date.now() - ageDays * DAY).toISOString();
    const record: UploadRecord = {
      id: newFileId(),
      user,
      filename: `${ageDays}d.bin`,
      size,
      contentType: null,
      secretHash: hashSecret("s"),
      createdAt: when,
      slotExpiresAt: when,
      completedAt: when,
      storedType: "application/octet-stream",
    };
    mkdirSync(dirname(layout.filePath(record.id)), { recursive: true });
    writeFileSync(layout.filePath(record.id), randomBytes(size));
    records.put(record);
    return record;
  });
}

/** A slot handed out `ageMs` ago and never used. */
function reserve(box: Sandbox, user: string, deadlineAgoMs: number): UploadRecord {
  return withRecords(box, (records) => {
    const record: UploadRecord = {
      id: newFileId(),
      user,
      filename: "pending.bin",
      size: 10,
      contentType: null,
      secretHash: hashSecret("s"),
      createdAt: new Date(Date.now() - deadlineAgoMs - 300_000).toISOString(),
      slotExpiresAt: new Date(Date.now() - deadlineAgoMs).toISOString(),
      completedAt: null,
      storedType: null,
    };
    records.put(record);
    return record;
  });
}

/** A partial file left behind by a process that died `ageDays` ago. */
function leftover(box: Sandbox, ageDays: number): string {
  const layout = UploadLayout.of(configOf(box));
  const path = layout.partialPath(newFileId(), "dead");
  mkdirSync(layout.partialDir, { recursive: true });
  writeFileSync(path, randomBytes(123));
  const t = new Date(Date.now() - ageDays * DAY);
  utimesSync(path, t, t);
  return path;
}

function ids(box: Sandbox): string[] {
  return withRecords(box, (records) => [...records.all()].map((r) => r.id).sort());
}

describe("chatctl upload", () => {
  let box: Sandbox;
  beforeEach(async () => {
    box = await sandbox();
  });
  afterEach(async () => {
    await box.remove();
  });

  test("purge --older-than removes only the files uploaded before the cutoff, stale slots and dead partial files", async () => {
    const fresh = storeFile(box, "alice", 1, 1000);
    const month = storeFile(box, "alice", 29, 2000);
    const old = storeFile(box, "alice", 31, 3000);
    const older = storeFile(box, "bob", 90, 4000);
    const live = reserve(box, "bob", -60_000);
    const stale = reserve(box, "bob", 2 * DAY);
    const dead = leftover(box, 3);
    const recent = leftover(box, 0);

    const r = await box.run(["upload", "purge", "--older-than", "30", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(report.domain, DOMAIN);
    assert.equal(report.dryRun, false);
    assert.equal(report.olderThanDays, 30);
    assert.equal(report.daysFrom, "option");
    assert.equal(report.files, 2);
    assert.equal(report.bytes, 7000);
    assert.equal(report.staleSlots, 1);
    assert.equal(report.partialFiles, 1);
    assert.equal(report.partialBytes, 123);

    assert.deepEqual(ids(box), [fresh.id, month.id, live.id].sort());
    const layout = UploadLayout.of(configOf(box));
    assert.equal(existsSync(layout.filePath(fresh.id)), true);
    assert.equal(existsSync(layout.filePath(month.id)), true);
    assert.equal(existsSync(layout.filePath(old.id)), false);
    assert.equal(existsSync(layout.filePath(older.id)), false);
    assert.equal(existsSync(dead), false);
    assert.equal(existsSync(recent), true, "a partial file written recently may belong to a running upload");
    assert.equal(stale.id.length, 32);
  });

  test("purge --dry-run counts the same and removes nothing", async () => {
    const old = storeFile(box, "alice", 40, 500);
    storeFile(box, "alice", 2, 500);
    const before = ids(box);
    const r = await box.run(["upload", "purge", "--older-than", "30", "--dry-run", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(report.dryRun, true);
    assert.equal(report.files, 1);
    assert.equal(report.bytes, 500);
    assert.deepEqual(ids(box), before);
    assert.equal(existsSync(UploadLayout.of(configOf(box)).filePath(old.id)), true);
  });

  test("purge without --older-than follows upload.expireDays, and refuses (exit 2) when files are kept forever", async () => {
    storeFile(box, "alice", 10, 100);
    storeFile(box, "alice", 3, 100);
    await box.writeConfig(`domain: ${DOMAIN}\nstorage:\n  backend: sqlite\nlog:\n  level: warn\nupload:\n  expireDays: 7\n`);
    const r = await box.run(["upload", "purge", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(report.daysFrom, "config");
    assert.equal(report.olderThanDays, 7);
    assert.equal(report.files, 1);

    await box.writeConfig(`domain: ${DOMAIN}\nstorage:\n  backend: sqlite\nlog:\n  level: warn\nupload:\n  expireDays: 0\n`);
    const refused = await box.run(["upload", "purge"]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /upload\.expireDays is 0/);
    assert.equal(ids(box).length, 1, "nothing removed");
  });

  test("purge prints a human summary without --json", async () => {
    storeFile(box, "alice", 50, 2048);
    const r = await box.run(["upload", "purge", "--older-than", "30"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /files: +removed 1 \(2 KiB\)/);
  });

  test("a second purge while one runs exits 1; the archive purge's lock does not block it", async () => {
    const config = configOf(box);
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(`${config.dataDir}/mam-purge.lock`, `${process.pid}\n`);
    const free = await box.run(["upload", "purge", "--older-than", "30"]);
    assert.equal(free.code, 0, free.stderr);
    writeFileSync(`${config.dataDir}/upload-purge.lock`, `${process.pid}\n`);
    const locked = await box.run(["upload", "purge", "--older-than", "30"]);
    assert.equal(locked.code, 1);
    assert.match(locked.stderr, new RegExp(`another purge \\(pid ${process.pid}\\) is running`));
    assert.equal(readFileSync(`${config.dataDir}/upload-purge.lock`, "utf8"), `${process.pid}\n`, "someone else's lock is left alone");
  });

  test("stats --json reports files, bytes, ages, open slots and the largest users against the quota", async () => {
    storeFile(box, "alice", 1, 1000);
    storeFile(box, "alice", 20, 3000);
    storeFile(box, "bob", 5, 500);
    reserve(box, "bob", -60_000);
    const gone = storeFile(box, "carol", 2, 10);
    const { rmSync } = await import("node:fs");
    rmSync(UploadLayout.of(configOf(box)).filePath(gone.id));

    const r = await box.run(["upload", "stats", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout) as {
      files: number; bytes: number; users: number; oldest: string; newest: string; pendingSlots: number; missingFiles: number;
      quotaBytes: number; topUsers: Array<{ user: string; files: number; bytes: number; percentOfQuota: number | null }>;
    };
    assert.equal(s.files, 3);
    assert.equal(s.bytes, 4500);
    assert.equal(s.users, 2);
    assert.equal(s.pendingSlots, 1);
    assert.equal(s.missingFiles, 1);
    assert.ok(Date.parse(s.oldest) < Date.parse(s.newest));
    assert.deepEqual(s.topUsers.map((u) => [u.user, u.files, u.bytes]), [[`alice@${DOMAIN}`, 2, 4000], [`bob@${DOMAIN}`, 1, 500]]);
    assert.equal(s.topUsers[0]!.percentOfQuota, Math.round((1000 * 4000) / s.quotaBytes) / 10);

    const human = await box.run(["upload", "stats", "--top", "1"]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /files: +3 of 2 users/);
    assert.match(human.stdout, new RegExp(`alice@${DOMAIN.replace(".", "\\.")}`));
    assert.doesNotMatch(human.stdout, /bob@/);
  });
});
