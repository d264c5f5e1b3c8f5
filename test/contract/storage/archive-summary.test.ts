// ArchiveStore.summary(), where a backend has it: the same figures from every backend (memory,
// SQLite), which `chatctl mam stats` shows instead of reading every stanza.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { openMemoryStorage } from "../../../src/storage/memory/index.js";
import { openSqliteStorage } from "../../../src/storage/sqlite/index.js";
import type { StorageBackend } from "../../../src/storage/types.js";

const dir = mkdtempSync(join(tmpdir(), "chatctl-archive-summary-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const T0 = Date.UTC(2024, 0, 1);
const at = (s: number): Date => new Date(T0 + s * 1000);

const backends: [string, () => StorageBackend][] = [
  ["memory", () => openMemoryStorage()],
  ["sqlite", () => openSqliteStorage(join(dir, `db-${++files}.sqlite`))],
];

for (const [name, open] of backends) {
  describe(`archive summary: ${name}`, () => {
    test("per user, sorted: messages, UTF-8 bytes, oldest and newest; only users with items, only this host and store", () => {
      const storage = open();
      try {
        const archive = storage.archive("example.com", "archive");
        archive.append("bob", "<m>é</m>", { when: at(5) });
        archive.append("alice", "<m/>", { when: at(2) });
        archive.append("alice", "<mm/>", { when: at(1) }); // appended later, older
        archive.append("dave", "<m/>");
        archive.delete("dave");
        storage.archive("example.com", "offline").append("carol", "<m/>");
        storage.archive("other.org", "archive").append("erin", "<m/>");
        assert.deepEqual(archive.summary!(), [
          { user: "alice", messages: 2, bytes: 9, oldest: at(1), newest: at(2) },
          { user: "bob", messages: 1, bytes: Buffer.byteLength("<m>é</m>"), oldest: at(5), newest: at(5) },
        ]);
        archive.delete("alice", { end: at(1) });
        assert.deepEqual(archive.summary!()[0], { user: "alice", messages: 1, bytes: 4, oldest: at(2), newest: at(2) });
        assert.deepEqual(storage.archive("nowhere", "archive").summary!(), []);
      } finally {
        storage.close();
      }
    });
  });
}
