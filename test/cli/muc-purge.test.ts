// `chatctl mam purge` covers the group chat rooms' archives (conference.<domain>, the store the
// MUC component keeps its XEP-0313 room archives in): the real binary on a temp SQLite database.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import { loadConfig } from "../../src/config/load.js";
import type { Config } from "../../src/config/types.js";
import { ROOM_ARCHIVE_STORE, roomArchiveHosts } from "../../src/services/archive-retention.js";
import { openStorage } from "../../src/storage/open.js";
import { DOMAIN, sandbox, type Sandbox } from "./helpers.js";

const DAY = 24 * 60 * 60 * 1000;
const ROOMS = roomArchiveHosts(DOMAIN)[0]!;

function configOf(box: Sandbox): Config {
  return loadConfig({ configPath: box.configPath, explicit: true, env: box.env, flags: { dataDir: box.dataDir } });
}

/** Puts messages aged `ages` days into a room's archive. */
function fillRoom(box: Sandbox, room: string, ages: number[]): void {
  const storage = openStorage(configOf(box));
  try {
    const archive = storage.archive(ROOMS, ROOM_ARCHIVE_STORE);
    storage.transaction(() => {
      ages.forEach((age, i) =>
        archive.append(room, `<message xmlns="jabber:client" type="groupchat" from="${room}@${ROOMS}/n"><body>${i}</body></message>`, { when: new Date(Date.now() - age * DAY), with: `u@${DOMAIN}/r` }),
      );
    });
  } finally {
    storage.close();
  }
}

function roomAges(box: Sandbox, room: string): number[] {
  const storage = openStorage(configOf(box), { readonly: true });
  try {
    return storage
      .archive(ROOMS, ROOM_ARCHIVE_STORE)
      .find(room)
      .map((i) => Math.round((Date.now() - i.when.getTime()) / DAY));
  } finally {
    storage.close();
  }
}

describe("chatctl mam purge and room archives", () => {
  let box: Sandbox;
  beforeEach(async () => {
    box = await sandbox();
  });
  afterEach(async () => {
    await box.remove();
  });

  test("purge removes room messages older than N days and reports them under rooms", async () => {
    fillRoom(box, "lobby", [90, 40, 10, 1]);
    fillRoom(box, "attic", [31]);
    const r = await box.run(["mam", "purge", "--older-than", "30", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { rooms: { messages: number; bytes: number } };
    assert.equal(report.rooms.messages, 3);
    assert.ok(report.rooms.bytes > 0);
    assert.deepEqual(roomAges(box, "lobby"), [10, 1]);
    assert.deepEqual(roomAges(box, "attic"), []);
  });

  test("purge --user leaves room archives alone; the human output names rooms otherwise", async () => {
    fillRoom(box, "lobby", [90]);
    const one = await box.run(["mam", "purge", "--older-than", "30", "--user", `alice@${DOMAIN}`, "--json"]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal((JSON.parse(one.stdout) as { rooms: { messages: number } }).rooms.messages, 0);
    assert.deepEqual(roomAges(box, "lobby"), [90]);
    const all = await box.run(["mam", "purge", "--older-than", "30", "--dry-run"]);
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stdout, /rooms: +would remove 1 messages/);
  });
});
