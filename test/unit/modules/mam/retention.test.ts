// The retention service (services/archive-retention.ts) against both backends, the archive
// module's maintenance run that uses it, and the batching archive writer.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { runArchiveMaintenance } from "../../../../src/modules/mam/maintenance.js";
import { ArchiveWriter } from "../../../../src/modules/mam/writer.js";
import { archiveTotals, enforceSizeCap, purgeArchive, storageSize } from "../../../../src/services/archive-retention.js";
import { silentLogger } from "../../../../src/log/logger.js";
import { openMemoryStorage } from "../../../../src/storage/memory/storage.js";
import { openSqliteStorage } from "../../../../src/storage/sqlite/storage.js";
import type { StorageBackend } from "../../../../src/storage/types.js";
import { recordingLogger } from "./helpers.js";

const HOST = "example.com";
const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse("2024-06-01T00:00:00Z");

function stanza(i: number): string {
  return `<message to='alice@example.com' type='chat' id='m${i}'><body>message ${i} ✓</body></message>`;
}

/** Items for alice and bob at the given ages in days (fractional allowed), in that append order. */
function fill(storage: StorageBackend, store: string, agesInDays: number[], users = ["alice", "bob"]): void {
  const archive = storage.archive(HOST, store);
  agesInDays.forEach((age, i) => {
    for (const user of users) archive.append(user, stanza(i), { with: "carol@example.com", when: new Date(NOW - age * DAY) });
  });
}

const backends: Array<[string, () => { storage: StorageBackend; done(): void }]> = [
  ["memory", () => ({ storage: openMemoryStorage(), done() {} })],
  [
    "sqlite",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "chatctl-retention-"));
      const storage = openSqliteStorage(join(dir, "db.sqlite"));
      return { storage, done: () => (storage.close(), rmSync(dir, { recursive: true, force: true })) };
    },
  ],
];

for (const [name, open] of backends) {
  describe(`purgeArchive over the ${name} backend`, () => {
    test("removes exactly the items older than the cutoff from the archive and offline stores, and reports messages and bytes", async () => {
      const { storage, done } = open();
      try {
        fill(storage, "archive", [40, 31, 30, 29.99, 1]);
        fill(storage, "offline", [45, 2]);
        const expectedBytes = (n: number[]) => n.reduce((sum, i) => sum + Buffer.byteLength(stanza(i)), 0) * 2;
        const result = await purgeArchive(storage, HOST, { olderThan: new Date(NOW - 30 * DAY) });
        assert.deepEqual(result.archive, { messages: 4, bytes: expectedBytes([0, 1]) }, "30 days exactly is not older than 30 days");
        assert.deepEqual(result.offline, { messages: 2, bytes: expectedBytes([0]) });
        const left = storage.archive(HOST, "archive").find("alice").map((i) => i.value);
        assert.deepEqual(left, [stanza(2), stanza(3), stanza(4)]);
      } finally {
        done();
      }
    });

    test("a dry run counts the same items and bytes and removes nothing", async () => {
      const { storage, done } = open();
      try {
        fill(storage, "archive", [50, 40, 35, 10]);
        const opts = { olderThan: new Date(NOW - 30 * DAY), batchSize: 2 };
        const dry = await purgeArchive(storage, HOST, { ...opts, dryRun: true });
        assert.equal(storage.archive(HOST, "archive").count("alice") + storage.archive(HOST, "archive").count("bob"), 8);
        const real = await purgeArchive(storage, HOST, opts);
        assert.deepEqual(dry, real);
        assert.equal(real.archive.messages, 6);
      } finally {
        done();
      }
    });

    test("purges one user only when asked, in batches of the given size", async () => {
      const { storage, done } = open();
      try {
        fill(storage, "archive", [60, 59, 58, 57, 56, 1]);
        const batches: number[] = [];
        const result = await purgeArchive(storage, HOST, {
          olderThan: new Date(NOW - 30 * DAY),
          user: "alice",
          batchSize: 2,
          stores: ["archive"],
          onBatch: (n) => batches.push(n),
        });
        assert.deepEqual(batches, [2, 2, 1]);
        assert.equal(result.archive.messages, 5);
        assert.equal(storage.archive(HOST, "archive").count("alice"), 1);
        assert.equal(storage.archive(HOST, "archive").count("bob"), 6, "other users untouched");
      } finally {
        done();
      }
    });

    test("items appended out of time order, and many sharing one timestamp, are still removed exactly", async () => {
      const { storage, done } = open();
      try {
        // Newest first in archive order: time order is the reverse of archive order.
        fill(storage, "archive", [31, 1, 40, 2, 50, 3, 60, 70, 80], ["alice"]);
        const archive = storage.archive(HOST, "archive");
        const same = new Date(NOW - 90 * DAY);
        for (let i = 0; i < 7; i++) archive.append("alice", stanza(100 + i), { with: "carol@example.com", when: same });
        const expected = [0, 2, 4, 6, 7, 8, 100, 101, 102, 103, 104, 105, 106].reduce((s, i) => s + Buffer.byteLength(stanza(i)), 0);
        const result = await purgeArchive(storage, HOST, { olderThan: new Date(NOW - 30 * DAY), batchSize: 2, stores: ["archive"] });
        assert.deepEqual(result.archive, { messages: 13, bytes: expected });
        assert.deepEqual(archive.find("alice").map((i) => i.value), [stanza(1), stanza(3), stanza(5)]);
      } finally {
        done();
      }
    });

    test("archiveTotals reports what a store holds", async () => {
      const { storage, done } = open();
      try {
        fill(storage, "archive", [3, 2, 1]);
        const bytes = [0, 1, 2].reduce((s, i) => s + Buffer.byteLength(stanza(i)), 0);
        assert.deepEqual(await archiveTotals(storage, HOST, { batchSize: 2 }), { messages: 6, bytes: 2 * bytes });
        assert.deepEqual(await archiveTotals(storage, HOST, { user: "bob" }), { messages: 3, bytes });
      } finally {
        done();
      }
    });
  });
}

test("enforceSizeCap removes the oldest items across users until the measured size is under the cap", async () => {
  const storage = openMemoryStorage();
  fill(storage, "archive", [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  const archive = storage.archive(HOST, "archive");
  // Measure in items, so the outcome is exact.
  const measure = () => archive.count("alice") + archive.count("bob");
  const result = await enforceSizeCap(storage, HOST, { maxBytes: 5, batchSize: 4, measure });
  assert.deepEqual(result, { before: 20, after: 4, messages: 16, underCap: true });
  assert.deepEqual(archive.find("alice").map((i) => i.value), [stanza(8), stanza(9)], "the newest remain");
  await assert.rejects(enforceSizeCap(storage, HOST, { maxBytes: 1 }), /cannot report its size/);
});

test("the SQLite backend's size shrinks as the cap is enforced", async () => {
  const dir = mkdtempSync(join(tmpdir(), "chatctl-sizecap-"));
  const storage = openSqliteStorage(join(dir, "db.sqlite"));
  try {
    const archive = storage.archive(HOST, "archive");
    const big = "<message><body>" + "x".repeat(4000) + "</body></message>";
    storage.transaction(() => {
      for (let i = 0; i < 300; i++) archive.append("alice", big, { when: new Date(NOW - (300 - i) * 1000) });
    });
    const full = storageSize(storage)!;
    const result = await enforceSizeCap(storage, HOST, { maxBytes: Math.floor(full / 2), batchSize: 20 });
    assert.ok(result.underCap && result.after <= full / 2, `${result.after} <= ${full / 2}`);
    assert.ok(result.messages > 0 && result.messages < 300);
    assert.equal(archive.count("alice"), 300 - result.messages);
    assert.equal(archive.find("alice", { limit: 1, reverse: true })[0]?.when.getTime(), NOW - 1000, "the newest is kept");
  } finally {
    storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("the archive module's maintenance run", () => {
  test("purges by retention days and logs what it removed", async () => {
    const storage = openMemoryStorage();
    fill(storage, "archive", [10, 8, 1]);
    fill(storage, "offline", [9]);
    const log = recordingLogger();
    const report = await runArchiveMaintenance(storage, HOST, { retentionDays: 7, maxStorageBytes: 0 }, log, new Date(NOW));
    assert.equal(report.purged?.archive.messages, 4);
    assert.equal(report.purged?.offline.messages, 2);
    const line = log.lines.find((l) => l.level === "info");
    assert.equal(line?.msg, "archive retention removed old messages");
    assert.deepEqual([(line?.obj as { archived: number }).archived, (line?.obj as { offline: number }).offline], [4, 2]);
  });

  test("retention 0 keeps everything", async () => {
    const storage = openMemoryStorage();
    fill(storage, "archive", [1000]);
    const report = await runArchiveMaintenance(storage, HOST, { retentionDays: 0, maxStorageBytes: 0 }, silentLogger(), new Date(NOW));
    assert.equal(report.purged, undefined);
    assert.equal(storage.archive(HOST, "archive").count("alice"), 1);
  });

  test("warns past 80 % of the size cap, and trims the oldest messages past 100 %", async () => {
    const dir = mkdtempSync(join(tmpdir(), "chatctl-maint-"));
    const storage = openSqliteStorage(join(dir, "db.sqlite"));
    try {
      const archive = storage.archive(HOST, "archive");
      storage.transaction(() => {
        for (let i = 0; i < 200; i++) archive.append("alice", "<message><body>" + "y".repeat(2000) + "</body></message>");
      });
      const size = storageSize(storage)!;

      const nearly = recordingLogger();
      const warned = await runArchiveMaintenance(storage, HOST, { retentionDays: 0, maxStorageBytes: Math.ceil(size / 0.85) }, nearly);
      assert.equal(warned.trimmed, undefined);
      assert.equal(nearly.lines.filter((l) => l.level === "warn").length, 1);
      assert.match(nearly.lines[0]!.msg, /above 80 %/);

      const calm = recordingLogger();
      await runArchiveMaintenance(storage, HOST, { retentionDays: 0, maxStorageBytes: size * 2 }, calm);
      assert.deepEqual(calm.lines.filter((l) => l.level === "warn"), [], "no warning under 80 %");

      const over = recordingLogger();
      const trimmed = await runArchiveMaintenance(storage, HOST, { retentionDays: 0, maxStorageBytes: Math.floor(size * 0.7) }, over);
      assert.ok(trimmed.trimmed && trimmed.trimmed.messages > 0 && trimmed.trimmed.underCap);
      assert.match(over.lines.find((l) => l.level === "warn")!.msg, /exceeded/);
    } finally {
      storage.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("ArchiveWriter", () => {
  test("with a transaction it returns ids at once and commits them together, in order, by the next turn or on flush", async () => {
    const storage = openMemoryStorage();
    const archive = storage.archive(HOST, "archive");
    let transactions = 0;
    const writer = new ArchiveWriter(archive, (fn) => (transactions++, storage.transaction(fn)), silentLogger());
    const ids = [1, 2, 3].map((i) => writer.append("alice", stanza(i), { with: "bob@example.com" }));
    assert.equal(archive.count("alice"), 0, "not yet written");
    writer.flush();
    assert.deepEqual(archive.find("alice").map((i) => i.key), ids);
    assert.equal(transactions, 1);

    const later = writer.append("alice", stanza(4), { with: "bob@example.com" });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(archive.find("alice", { reverse: true, limit: 1 })[0]?.key, later, "flushed by itself within a turn");
  });

  test("without a transaction every append is written at once", () => {
    const storage = openMemoryStorage();
    const archive = storage.archive(HOST, "archive");
    const writer = new ArchiveWriter(archive, undefined, silentLogger());
    const id = writer.append("alice", stanza(1), { with: "bob@example.com" });
    assert.equal(archive.find("alice")[0]?.key, id);
  });
});
