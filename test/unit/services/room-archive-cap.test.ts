// The size cap (services/archive-retention.ts enforceSizeCap) over the accounts' archives and the
// group chat rooms' archives (conference.<domain>, store muc_archive) taken as one timeline: the
// oldest messages go first wherever they are, and each archive only ever loses its oldest.
// Sizes are measured in items here, so every outcome is exact; both backends.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { enforceSizeCap, ROOM_ARCHIVE_STORE } from "../../../src/services/archive-retention.js";
import { openMemoryStorage } from "../../../src/storage/memory/storage.js";
import { openSqliteStorage } from "../../../src/storage/sqlite/storage.js";
import type { ArchiveStore, StorageBackend } from "../../../src/storage/types.js";

const HOST = "example.com";
const ROOMS = `conference.${HOST}`;
const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse("2024-06-01T00:00:00Z");

const backends: Array<[string, () => { storage: StorageBackend; done(): void }]> = [
  ["memory", () => ({ storage: openMemoryStorage(), done() {} })],
  [
    "sqlite",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "chatctl-roomcap-"));
      const storage = openSqliteStorage(join(dir, "db.sqlite"));
      return { storage, done: () => (storage.close(), rmSync(dir, { recursive: true, force: true })) };
    },
  ],
];

interface Planted {
  accounts: ArchiveStore;
  rooms: ArchiveStore;
  /** Items in both stores, as "store/user/body" → when (ms). */
  all: Map<string, number>;
}

function plant(storage: StorageBackend): Planted {
  return { accounts: storage.archive(HOST, "archive"), rooms: storage.archive(ROOMS, ROOM_ARCHIVE_STORE), all: new Map() };
}

function add(p: Planted, where: "archive" | "rooms", user: string, ageDays: number): void {
  const body = `${user} ${ageDays}`;
  const when = NOW - ageDays * DAY;
  const archive = where === "archive" ? p.accounts : p.rooms;
  archive.append(user, `<message><body>${body}</body></message>`, { with: "x@example.com", when: new Date(when) });
  p.all.set(`${where}/${user}/${body}`, when);
}

/** What is still stored, as the keys of Planted.all. */
function remaining(p: Planted): Set<string> {
  const left = new Set<string>();
  for (const [where, archive] of [["archive", p.accounts], ["rooms", p.rooms]] as const) {
    for (const user of archive.users()) {
      for (const item of archive.find(user)) left.add(`${where}/${user}/${/<body>(.*)<\/body>/.exec(item.value)![1]}`);
    }
  }
  return left;
}

const itemCount = (p: Planted) => (): number => remaining(p).size;

for (const [name, open] of backends) {
  describe(`the size cap over accounts' and rooms' archives (${name})`, () => {
    test("a room archive's oldest messages are trimmed when the room's archive is the oldest data", async () => {
      const { storage, done } = open();
      try {
        const p = plant(storage);
        for (let age = 100; age > 90; age--) add(p, "rooms", "lounge", age);
        for (let age = 50; age > 40; age--) add(p, "archive", "alice", age);
        const result = await enforceSizeCap(storage, HOST, { maxBytes: 15, batchSize: 1, measure: itemCount(p) });
        assert.deepEqual(result, { before: 20, after: 15, messages: 5, underCap: true });
        assert.deepEqual(
          p.rooms.find("lounge").map((i) => i.value),
          [95, 94, 93, 92, 91].map((age) => `<message><body>lounge ${age}</body></message>`),
          "the room kept its five newest",
        );
        assert.equal(p.accounts.count("alice"), 10, "the accounts' newer messages are untouched");
      } finally {
        done();
      }
    });

    test("the oldest go first across both kinds of archive, as one timeline", async () => {
      const { storage, done } = open();
      try {
        const p = plant(storage);
        // Rooms and accounts talk at the same time, day after day.
        for (let age = 60; age > 0; age--) {
          add(p, "rooms", age % 2 === 0 ? "lounge" : "dev", age + 0.25);
          add(p, "archive", age % 3 === 0 ? "alice" : "bob", age);
        }
        const removed: Array<[number, string]> = [];
        const result = await enforceSizeCap(storage, HOST, {
          maxBytes: 70,
          batchSize: 4,
          measure: itemCount(p),
          onBatch: (n, store) => removed.push([n, store]),
        });
        assert.ok(result.underCap && result.after <= 70 && result.after >= 70 - 8, `after ${result.after}`);
        const left = remaining(p);
        const gone = [...p.all.keys()].filter((k) => !left.has(k));
        const newestGone = Math.max(...gone.map((k) => p.all.get(k)!));
        const oldestLeft = Math.min(...[...left].map((k) => p.all.get(k)!));
        assert.ok(newestGone < oldestLeft, "nothing removed is newer than anything kept");
        assert.ok(gone.some((k) => k.startsWith("rooms/")) && gone.some((k) => k.startsWith("archive/")), "both kinds lost their oldest");
        const byStore = (store: string) => removed.filter(([, s]) => s === store).reduce((a, [n]) => a + n, 0);
        assert.equal(byStore(ROOM_ARCHIVE_STORE), gone.filter((k) => k.startsWith("rooms/")).length, "onBatch names the rooms' store");
        assert.equal(byStore("archive"), gone.filter((k) => k.startsWith("archive/")).length);
      } finally {
        done();
      }
    });

    test("a room message appended late with an older timestamp is still found as the oldest", async () => {
      const { storage, done } = open();
      try {
        const p = plant(storage);
        for (let age = 30; age > 20; age--) add(p, "archive", "alice", age);
        for (let age = 10; age > 5; age--) add(p, "rooms", "lounge", age);
        add(p, "rooms", "lounge", 365); // imported history: last in archive order, oldest in time
        const result = await enforceSizeCap(storage, HOST, { maxBytes: 15, batchSize: 1, measure: itemCount(p) });
        assert.equal(result.messages, 1);
        assert.ok(!remaining(p).has("rooms/lounge/lounge 365"), "the year-old room message went first");
        assert.equal(p.accounts.count("alice"), 10);
      } finally {
        done();
      }
    });

    test("many messages in one millisecond are trimmed in bounded batches", async () => {
      const { storage, done } = open();
      try {
        const p = plant(storage);
        const burst = new Date(NOW - 90 * DAY);
        storage.transaction(() => {
          for (let i = 0; i < 50; i++) p.rooms.append("lounge", `<message><body>burst ${i}</body></message>`, { when: burst });
        });
        for (let age = 20; age > 10; age--) add(p, "archive", "alice", age);
        const batches: number[] = [];
        const result = await enforceSizeCap(storage, HOST, {
          maxBytes: 10,
          batchSize: 5,
          measure: () => p.rooms.count("lounge") + p.accounts.count("alice"),
          onBatch: (n) => batches.push(n),
        });
        assert.deepEqual(result, { before: 60, after: 10, messages: 50, underCap: true });
        assert.ok(batches.every((n) => n <= 10), `batches of at most 2 × batchSize: ${batches.join(",")}`);
        assert.equal(p.accounts.count("alice"), 10, "every account message is newer than the burst");
      } finally {
        done();
      }
    });

    test("rooms: false, or another store, leaves the rooms' archives alone", async () => {
      const { storage, done } = open();
      try {
        const p = plant(storage);
        for (let age = 100; age > 95; age--) add(p, "rooms", "lounge", age);
        for (let age = 50; age > 45; age--) add(p, "archive", "alice", age);
        const result = await enforceSizeCap(storage, HOST, { maxBytes: 8, batchSize: 1, rooms: false, measure: itemCount(p) });
        assert.equal(result.messages, 2);
        assert.equal(p.rooms.count("lounge"), 5, "the room archive is untouched");
        assert.equal(p.accounts.count("alice"), 3, "the accounts' oldest went instead");

        const offline = storage.archive(HOST, "offline");
        offline.append("alice", "<message><body>waiting</body></message>", { when: new Date(NOW - 200 * DAY) });
        await enforceSizeCap(storage, HOST, { maxBytes: 0, store: "offline", measure: () => offline.count("alice") + p.rooms.count("lounge") });
        assert.equal(p.rooms.count("lounge"), 5, "a trim of another store does not reach the rooms");
        assert.equal(offline.count("alice"), 0);
      } finally {
        done();
      }
    });
  });
}
