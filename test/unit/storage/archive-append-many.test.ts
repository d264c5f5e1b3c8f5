// The SQLite archive's appendMany (the archive writer's batch path) must store exactly what the
// same items appended one by one store: keys, values, times, partners, archive order, replaced keys
// moving to the end; across the chunk sizes its multi-row statements use.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { openSqliteStorage } from "../../../src/storage/sqlite/index.js";
import type { ArchiveAppend, ArchiveStore } from "../../../src/storage/types.js";

const dir = mkdtempSync(join(tmpdir(), "chatctl-archive-append-many-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2024, 0, 1);

/** `n` items over three users (runs of one user, as the writer sorts them), every shape of 'with'. */
function items(n: number, tag: string): ArchiveAppend[] {
  const partners = ["bob@x", "bob@x/phone", "", "carol@y/a/b", "dave@z/", "ünï@x/✓"];
  return Array.from({ length: n }, (_, i) => ({
    user: ["alice", "bob", "carol"][Math.floor((i * 3) / n)]!,
    value: `<message id='${tag}-${i}'><body>${tag} ${i} ✓</body></message>`,
    key: `${tag}-${i}`,
    // Not in time order everywhere: the store keeps archive order, not time order.
    when: new Date(T0 + ((i * 7) % 11) * 1000),
    with: partners[i % partners.length]!,
  }));
}

function appendOneByOne(archive: ArchiveStore, batch: readonly ArchiveAppend[]): void {
  for (const item of batch) archive.append(item.user, item.value, item);
}

function everything(archive: ArchiveStore): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const user of archive.users()) {
    out[user] = {
      items: archive.find(user),
      bob: archive.find(user, { with: "bob@x" }).map((i) => i.key),
      bobPhone: archive.find(user, { with: "bob@x/phone" }).map((i) => i.key),
      none: archive.count(user, { with: "" }),
    };
  }
  return out;
}

test("appendMany stores what append stores, for every chunk size", () => {
  const batched = openSqliteStorage(join(dir, "batched.sqlite"));
  const single = openSqliteStorage(join(dir, "single.sqlite"));
  const a = batched.archive("h", "archive");
  const b = single.archive("h", "archive");
  assert.ok(a.appendMany !== undefined);
  // 0, 1, a power of two, just past the largest chunk, and sizes with every remainder bit set.
  for (const n of [0, 1, 64, 65, 127, 200]) {
    const batch = items(n, `n${n}`);
    batched.transaction(() => a.appendMany!(batch));
    single.transaction(() => appendOneByOne(b, batch));
  }
  assert.deepEqual(everything(a), everything(b));
  assert.equal(a.count("alice") + a.count("bob") + a.count("carol"), 1 + 64 + 65 + 127 + 200);
  batched.close();
  single.close();
});

test("appendMany replaces an existing key and a key repeated in the batch, moving it to the end", () => {
  const storage = openSqliteStorage(join(dir, "replace.sqlite"));
  const archive = storage.archive("h", "archive");
  archive.append("alice", "<old/>", { key: "k1" });
  archive.append("alice", "<kept/>", { key: "k2" });
  const at = new Date(T0);
  storage.transaction(() =>
    archive.appendMany!([
      { user: "alice", value: "<first/>", key: "k3", when: at, with: "bob@x" },
      { user: "alice", value: "<new/>", key: "k1", when: at, with: "bob@x/r" },
      { user: "alice", value: "<second/>", key: "k3", when: at, with: "" },
    ]),
  );
  assert.deepEqual(
    archive.find("alice").map((i) => [i.key, i.value, i.with]),
    [
      ["k2", "<kept/>", ""],
      ["k1", "<new/>", "bob@x/r"],
      ["k3", "<second/>", ""],
    ],
  );
  storage.close();
});

test("a rolled-back appendMany leaves nothing behind and later batches still work", () => {
  const storage = openSqliteStorage(join(dir, "rollback.sqlite"));
  const archive = storage.archive("h", "archive");
  assert.throws(() =>
    storage.transaction(() => {
      archive.appendMany!(items(100, "gone"));
      throw new Error("abort");
    }),
  );
  assert.deepEqual(archive.users(), []);
  const batch = items(70, "kept");
  storage.transaction(() => archive.appendMany!(batch));
  assert.deepEqual(
    archive.find("carol").map((i) => [i.key, i.with]),
    batch.filter((i) => i.user === "carol").map((i) => [i.key, i.with]),
  );
  storage.close();
});
