// The archive module's daily maintenance against a real server's SQLite database, with room
// archives written by real clients: the size cap (mam.maxStorageBytes) trims a room archive's
// oldest messages when the room holds the oldest data, leaving newer account archives alone, and
// both the retention line and the cap line of the log report what the rooms lost.
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { createLogger, type Logger } from "../../../src/log/logger.js";
import { runArchiveMaintenance } from "../../../src/modules/mam/maintenance.js";
import { ROOM_ARCHIVE_STORE, storageSize } from "../../../src/services/archive-retention.js";
import { connect, xml, type TestClient, type XmppElement } from "../helpers/client.js";
import type { TestServer } from "../helpers/server.js";
import { createInstantRoom, startMucServer } from "./helpers.js";
import { queryRoomArchive } from "./room-archive.js";

const SERVICE = "conference.localhost";
const DAY = 24 * 60 * 60 * 1000;

/** A JSON logger as the server writes, with its lines kept for the test. */
function jsonLog(): { log: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString("utf8").split("\n")) if (line.trim() !== "") lines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  return { log: createLogger({ level: "info", format: "json", stream }), lines };
}

/** Lets the stream's write callbacks run. */
const flushed = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("archive maintenance covers room archives (real server, SQLite)", () => {
  let t: TestServer;
  const clients: TestClient[] = [];
  const user = async (name: string) => {
    const c = await connect({ port: t.port, username: name, password: "pw", resource: "desk" });
    clients.push(c);
    return c;
  };
  before(async () => {
    t = await startMucServer({ "storage.backend": "sqlite" });
    for (const u of ["owner", "alice", "bob"]) t.addUser(u, "pw");
  });
  after(async () => {
    for (const c of clients) await c.stop();
    await t.stop();
  });

  async function say(c: TestClient, room: string, body: string, id: string): Promise<void> {
    await c.send(xml("message", { to: room, type: "groupchat", id }, xml("body", {}, body)));
    await c.waitFor((el: XmppElement) => el.is("message") && el.attrs.id === id && el.attrs.type === "groupchat", `reflection of ${id}`);
  }

  /**
   * Months of a room's history, as if it had been talking long before today: `count` messages,
   * "old 0" the oldest, spread evenly from `fromDays` to `toDays` days ago.
   */
  function plantHistory(roomLocal: string, count: number, fromDays: number, toDays: number, padding = 0): void {
    const archive = t.server.host.storage.archive(SERVICE, ROOM_ARCHIVE_STORE);
    const now = Date.now();
    const step = count > 1 ? ((fromDays - toDays) * DAY) / (count - 1) : 0;
    t.server.host.storage.transaction(() => {
      for (let i = 0; i < count; i++) {
        archive.append(roomLocal, `<message from='${roomLocal}@${SERVICE}/Owner' type='groupchat'><body>old ${i}${" ".repeat(padding)}.</body></message>`, {
          with: "owner@localhost/desk",
          when: new Date(now - fromDays * DAY + i * step),
        });
      }
    });
  }

  async function accountArchiveCount(name: string, atLeast: number): Promise<number> {
    const archive = t.server.host.storage.archive(t.domain, "archive");
    for (let i = 0; i < 100 && archive.count(name) < atLeast; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    return archive.count(name);
  }

  test("the size cap trims the room archive's oldest messages when the room holds the oldest data", async () => {
    const room = `history@${SERVICE}`;
    const owner = await user("owner");
    const alice = await user("alice");
    const bob = await user("bob");
    await createInstantRoom(owner, room, "Owner");
    await say(owner, room, "today 1", "t1");
    await say(owner, room, "today 2", "t2");
    // One-to-one chat: both accounts' archives get today's messages.
    for (let i = 1; i <= 3; i++) {
      await alice.send(xml("message", { to: "bob@localhost", type: "chat", id: `c${i}` }, xml("body", {}, `hi bob ${i}`)));
      await bob.waitFor((el: XmppElement) => el.is("message") && el.attrs.id === `c${i}`, `chat ${i}`);
    }
    const aliceBefore = await accountArchiveCount("alice", 3);
    const bobBefore = await accountArchiveCount("bob", 3);
    assert.ok(aliceBefore >= 3 && bobBefore >= 3, "the accounts archived their chat");

    // 5000 old room messages of about 1 KB, from 400 to 100 days ago: more than a few batches.
    const planted = 5000;
    plantHistory("history", planted, 400, 100, 1000);
    const storage = t.server.host.storage;
    const size = storageSize(storage)!;
    const cap = size - 1536 * 1024; // needs about 1500 of the old room messages gone

    const { log, lines } = jsonLog();
    const report = await runArchiveMaintenance(storage, t.domain, { retentionDays: 0, maxStorageBytes: cap }, log);
    await flushed();
    const trimmed = report.trimmed!;
    assert.ok(trimmed.underCap && trimmed.after <= cap, `${trimmed.after} <= ${cap}`);
    assert.ok(trimmed.rooms >= 1000 && trimmed.rooms < planted, `the room lost the oldest part of its history: ${trimmed.rooms}`);
    assert.equal(trimmed.archived, 0, "the accounts' archives hold only newer messages");
    assert.equal(trimmed.messages, trimmed.rooms);

    const line = lines.find((l) => l.level === "warn");
    assert.match(String(line?.msg), /exceeded mam\.maxStorageBytes/);
    assert.equal(line?.rooms, trimmed.rooms, "the log line says how many room messages went");
    assert.equal(line?.archived, 0);

    // What a client sees: the oldest of the room's history is gone, the rest and today's remain.
    // (Archive order is append order: the planted history comes after today's two messages.)
    const old = await queryRoomArchive(owner, room, { end: new Date(Date.now() - 50 * DAY).toISOString(), max: 1 });
    assert.equal(Number(old.count), planted - trimmed.rooms);
    assert.match(old.bodies[0] ?? "", new RegExp(`^old ${trimmed.rooms} `), "the old history now starts with the oldest message kept");
    const today = await queryRoomArchive(owner, room, { start: new Date(Date.now() - DAY).toISOString() });
    assert.deepEqual(today.bodies, ["today 1", "today 2"]);
    assert.equal(await accountArchiveCount("alice", 0), aliceBefore, "alice's archive is untouched");
    assert.equal(await accountArchiveCount("bob", 0), bobBefore, "bob's archive is untouched");
  });

  test("the retention log line counts the room messages it removed", async () => {
    const room = `aging@${SERVICE}`;
    const owner = await user("owner");
    await createInstantRoom(owner, room, "Owner");
    await say(owner, room, "fresh", "f1");
    plantHistory("aging", 3, 90, 45);

    const { log, lines } = jsonLog();
    const report = await runArchiveMaintenance(t.server.host.storage, t.domain, { retentionDays: 30, maxStorageBytes: 0 }, log);
    await flushed();
    assert.equal(report.purged?.rooms.messages, 3);
    const line = lines.find((l) => l.msg === "archive retention removed old messages");
    assert.ok(line, `an info line: ${JSON.stringify(lines)}`);
    assert.equal(line.rooms, report.purged!.rooms.messages, "the line reports the rooms' removals");
    assert.equal(line.bytes, report.purged!.archive.bytes + report.purged!.offline.bytes + report.purged!.rooms.bytes);
    assert.deepEqual((await queryRoomArchive(owner, room)).bodies, ["fresh"]);
  });
});
