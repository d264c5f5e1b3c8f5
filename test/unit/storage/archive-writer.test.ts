// The mam module's ArchiveWriter over the SQLite backend: one transaction per flush, written user by
// user, must still give every user's archive exactly the messages appended for them, in append
// order, under the keys append returned.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { silentLogger } from "../../../src/log/logger.js";
import { ArchiveWriter } from "../../../src/modules/mam/writer.js";
import { openSqliteStorage } from "../../../src/storage/sqlite/index.js";

const dir = mkdtempSync(join(tmpdir(), "chatctl-archive-writer-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("a flushed batch of interleaved users keeps each user's messages, keys and order", () => {
  const storage = openSqliteStorage(join(dir, "writer.sqlite"));
  const archive = storage.archive("h", "archive");
  const writer = new ArchiveWriter(archive, (fn) => storage.transaction(fn), silentLogger());
  const expected = new Map<string, { key: string; value: string }[]>();
  // Users in no particular order, several messages each, interleaved; a second flush continues.
  const users = ["zoe", "alice", "mallory", "bob"];
  for (const round of [0, 1]) {
    for (let i = 0; i < 40; i++) {
      const user = users[(i * 7 + round) % users.length]!;
      const value = `<message id='${round}-${i}'/>`;
      const key = writer.append(user, value, { with: "peer@x/r", when: new Date(Date.UTC(2024, 0, 1) + (40 - i) * 1000) });
      expected.set(user, [...(expected.get(user) ?? []), { key, value }]);
    }
    writer.flush();
  }
  for (const user of users) {
    assert.deepEqual(
      archive.find(user).map((i) => ({ key: i.key, value: i.value })),
      expected.get(user),
      `${user}'s archive`,
    );
  }
  storage.close();
});
