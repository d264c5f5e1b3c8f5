// The room archive (XEP-0313 on the room JID, §5.1.2) with a real client library: groupchat
// messages of an archived room are stored once and carry their archive id as the reflected
// <stanza-id by=room/>; anyone who may enter reads the history page by page; members-only rooms
// refuse non-members; real JIDs reach only those allowed to see them; retention purges room
// archives like accounts' archives; destroying a room deletes its archive.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createLogger } from "../../../src/log/logger.js";
import { runArchiveMaintenance } from "../../../src/modules/mam/maintenance.js";
import { ROOM_ARCHIVE_STORE } from "../../../src/services/archive-retention.js";
import { connect, xml, type TestClient, type XmppElement } from "../helpers/client.js";
import type { TestServer } from "../helpers/server.js";
import { configure, createInstantRoom, hasStatus, join, MUC_ADMIN, MUC_OWNER, MUC_USER, startMucServer } from "./helpers.js";
import { MAM, queryRoomArchive, refusal } from "./room-archive.js";

const SERVICE = "conference.localhost";
const SID = "urn:xmpp:sid:0";
const DAY = 24 * 60 * 60 * 1000;

describe("room archives (XEP-0313 on conference.localhost)", () => {
  let t: TestServer;
  const clients: TestClient[] = [];
  const user = async (name: string) => {
    const c = await connect({ port: t.port, username: name, password: "pw", resource: "desk" });
    clients.push(c);
    return c;
  };
  before(async () => {
    t = await startMucServer({ "storage.backend": "sqlite" });
    for (const u of ["owner", "alice", "bob", "carol", "mallory"]) t.addUser(u, "pw");
  });
  after(async () => {
    for (const c of clients) await c.stop();
    await t.stop();
  });

  /** Sends a groupchat message and resolves with its reflection to the sender. */
  async function say(c: TestClient, room: string, body: string, id: string): Promise<XmppElement> {
    await c.send(xml("message", { to: room, type: "groupchat", id }, xml("body", {}, body)));
    return c.waitFor((el) => el.is("message") && el.attrs.id === id && el.attrs.type === "groupchat", `reflection of ${id}`);
  }

  test("an archived room's history is queried page by page, with the ids occupants saw live", async () => {
    const room = `archived@${SERVICE}`;
    const owner = await user("owner");
    const alice = await user("alice");
    await createInstantRoom(owner, room, "Owner");
    const self = await join(alice, `${room}/Alice`);
    assert.ok(hasStatus(self, 170), "status 170: this room is logged (§7.2.12)");

    const info = await alice.iq(xml("iq", { type: "get", to: room }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" })));
    const features = info.getChild("query")!.getChildren("feature").map((f: XmppElement) => f.attrs.var);
    assert.ok(features.includes(MAM) && features.includes("urn:xmpp:mam:2#extended"), "the room advertises its archive");

    const live: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const who = i % 2 === 1 ? alice : owner;
      const reflected = await say(who, room, `message ${i}`, `m${i}`);
      const sid = reflected.getChildren("stanza-id", SID).find((s: XmppElement) => s.attrs.by === room);
      assert.ok(sid?.attrs.id, "the reflection carries the room's stanza-id");
      live.push(sid.attrs.id);
    }
    // A private message and a chat state are not part of the room's archive (§5.1.2).
    await alice.send(xml("message", { to: `${room}/Owner`, type: "chat", id: "pm" }, xml("body", {}, "psst")));
    await alice.send(xml("message", { to: room, type: "groupchat", id: "cs" }, xml("composing", { xmlns: "http://jabber.org/protocol/chatstates" })));
    await owner.waitFor((el) => el.attrs.id === "cs", "chat state reflected");

    // bob never entered this open room: he may read its archive all the same.
    const bob = await user("bob");
    const first = await queryRoomArchive(bob, room, { max: 2 });
    assert.deepEqual(first.bodies, ["message 1", "message 2"]);
    assert.equal(first.complete, false);
    assert.equal(first.count, "5");
    assert.deepEqual(first.results.map((r) => r.id), live.slice(0, 2), "archive ids are the stanza-ids seen live");
    const r1 = first.results[0]!;
    assert.equal(r1.from, room, "results come from the room's bare JID");
    assert.equal(r1.message.attrs.from, `${room}/Alice`, "the archived message comes from the occupant JID");
    assert.equal(r1.message.attrs.to, undefined, "and has no 'to' (§5.1.2)");
    assert.equal(r1.message.attrs.type, "groupchat");
    assert.ok(r1.stamp !== "", "with a <delay/> stamp");

    const second = await queryRoomArchive(bob, room, { max: 2, after: first.last! });
    assert.deepEqual(second.bodies, ["message 3", "message 4"]);
    const third = await queryRoomArchive(bob, room, { max: 2, after: second.last! });
    assert.deepEqual(third.bodies, ["message 5"]);
    assert.equal(third.complete, true);
    const lastPage = await queryRoomArchive(bob, room, { max: 2, before: "" });
    assert.deepEqual(lastPage.bodies, ["message 4", "message 5"]);

    // urn:xmpp:mam:2#extended: ranges by id, single items, and the archive's metadata.
    const between = await queryRoomArchive(bob, room, { afterId: live[0]!, beforeId: live[4]! });
    assert.deepEqual(between.bodies, ["message 2", "message 3", "message 4"]);
    const picked = await queryRoomArchive(bob, room, { ids: [live[3]!, live[1]!] });
    assert.deepEqual(picked.bodies, ["message 2", "message 4"]);
    const meta = await bob.iq(xml("iq", { type: "get", to: room }, xml("metadata", { xmlns: MAM })));
    assert.equal(meta.getChild("metadata", MAM)?.getChild("start")?.attrs.id, live[0]);
    assert.equal(meta.getChild("metadata", MAM)?.getChild("end")?.attrs.id, live[4]);
    assert.equal(await refusal(queryRoomArchive(bob, room, { max: 2, after: "no-such-id" })), "item-not-found");
  });

  test("a members-only room's archive is refused to non-members and served to members", async () => {
    const room = `private@${SERVICE}`;
    const owner = await user("owner");
    await createInstantRoom(owner, room, "Boss");
    await configure(owner, room, { "muc#roomconfig_membersonly": "1" });
    await owner.iq(xml("iq", { type: "set", to: room }, xml("query", { xmlns: MUC_ADMIN }, xml("item", { jid: "carol@localhost", affiliation: "member" }))));
    await say(owner, room, "members only talk", "p1");

    const mallory = await user("mallory");
    assert.equal(await refusal(queryRoomArchive(mallory, room)), "forbidden");
    assert.equal(await refusal(mallory.iq(xml("iq", { type: "get", to: room }, xml("metadata", { xmlns: MAM })))), "forbidden");
    const carol = await user("carol");
    const page = await queryRoomArchive(carol, room);
    assert.deepEqual(page.bodies, ["members only talk"]);

    // Outcasts may not read an open room's archive either.
    const open = `open@${SERVICE}`;
    await createInstantRoom(owner, open, "Boss");
    await owner.iq(xml("iq", { type: "set", to: open }, xml("query", { xmlns: MUC_ADMIN }, xml("item", { jid: "mallory@localhost", affiliation: "outcast" }))));
    assert.equal(await refusal(queryRoomArchive(mallory, open)), "forbidden");
    assert.equal(await refusal(queryRoomArchive(mallory, `nosuchroom@${SERVICE}`)), "item-not-found");

    // A password-protected room: only those who entered (with the password) read its archive.
    const locked = `secret@${SERVICE}`;
    await createInstantRoom(owner, locked, "Boss");
    await configure(owner, locked, { "muc#roomconfig_passwordprotectedroom": "1", "muc#roomconfig_roomsecret": "sesame" });
    await say(owner, locked, "behind the door", "d1");
    assert.equal(await refusal(queryRoomArchive(carol, locked)), "forbidden");
    await join(carol, `${locked}/Carol`, { password: "sesame" });
    assert.deepEqual((await queryRoomArchive(carol, locked)).bodies, ["behind the door"]);
  });

  test("real JIDs of senders are shown only to those who may see them (semi-anonymous room)", async () => {
    const room = `masks@${SERVICE}`;
    const owner = await user("owner");
    const alice = await user("alice");
    await createInstantRoom(owner, room, "Host");
    await join(alice, `${room}/Masked`);
    // A sender's own muc#user <x/> is never taken for the archive's word (§8.4).
    await alice.send(xml("message", { to: room, type: "groupchat", id: "x1" }, xml("body", {}, "who am I"), xml("x", { xmlns: MUC_USER }, xml("item", { jid: "queen@localhost" }))));
    await alice.waitFor((el) => el.attrs.id === "x1", "reflection");

    const bob = await user("bob");
    const anon = await queryRoomArchive(bob, room);
    assert.equal(anon.results.length, 1);
    assert.equal(anon.results[0]!.message.getChild("x", MUC_USER), undefined, "no real JID for a non-moderator");
    assert.equal(await refusal(queryRoomArchive(bob, room, { with: "alice@localhost" })), "forbidden", "'with' would reveal who wrote what");

    const seen = await queryRoomArchive(owner, room);
    const items = seen.results[0]!.message.getChildren("x", MUC_USER);
    assert.equal(items.length, 1, "exactly one muc#user <x/>: the archive's");
    assert.match(items[0]!.getChild("item")!.attrs.jid ?? "", /^alice@localhost\//);
    const filtered = await queryRoomArchive(owner, room, { with: "alice@localhost" });
    assert.deepEqual(filtered.bodies, ["who am I"]);

    // Once the room is non-anonymous, everyone may see them.
    await configure(owner, room, { "muc#roomconfig_whois": "anyone" });
    const open = await queryRoomArchive(bob, room);
    assert.match(open.results[0]!.message.getChild("x", MUC_USER)?.getChild("item")?.attrs.jid ?? "", /^alice@localhost\//);
  });

  test("a room with archiving off keeps nothing and does not advertise an archive", async () => {
    const room = `unlogged@${SERVICE}`;
    const owner = await user("owner");
    await createInstantRoom(owner, room, "Owner");
    await configure(owner, room, { "muc#roomconfig_enablearchiving": "0" });
    await say(owner, room, "off the record", "u1");
    const info = await owner.iq(xml("iq", { type: "get", to: room }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" })));
    assert.ok(!info.getChild("query")!.getChildren("feature").some((f: XmppElement) => f.attrs.var === MAM));
    assert.deepEqual((await queryRoomArchive(owner, room)).bodies, []);
  });

  test("retention purges old messages of room archives; destroying a room deletes its archive", async () => {
    const room = `aging@${SERVICE}`;
    const owner = await user("owner");
    await createInstantRoom(owner, room, "Owner");
    await configure(owner, room, { "muc#roomconfig_persistentroom": "1" });
    await say(owner, room, "fresh", "f1");
    // Old items, as if the room had been talking for months.
    const storage = t.server.host.storage;
    const archive = storage.archive(SERVICE, ROOM_ARCHIVE_STORE);
    const now = Date.now();
    for (const age of [100, 40]) {
      archive.append("aging", `<message from='${room}/Owner' type='groupchat'><body>${age} days old</body></message>`, { with: "owner@localhost/desk", when: new Date(now - age * DAY) });
    }
    // The archive module's daily run, with a 30-day policy.
    const report = await runArchiveMaintenance(storage, t.domain, { retentionDays: 30, maxStorageBytes: 0 }, createLogger({ level: "silent", format: "json" }));
    assert.equal(report.purged?.rooms.messages, 2, "both old room messages went with the accounts' old messages");
    assert.deepEqual((await queryRoomArchive(owner, room)).bodies, ["fresh"]);

    await owner.iq(xml("iq", { type: "set", to: room }, xml("query", { xmlns: MUC_OWNER }, xml("destroy", {}, xml("reason", {}, "done")))));
    assert.equal(archive.count("aging"), 0, "the destroyed room's archive is gone");
    // A new room of the same name starts with an empty archive.
    await createInstantRoom(owner, room, "Owner");
    assert.deepEqual((await queryRoomArchive(owner, room)).bodies, []);
  });
});
