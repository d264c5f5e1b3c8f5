// Persistent rooms (XEP-0045 §10.2 muc#roomconfig_persistentroom) keep their configuration,
// affiliations and subject across a server restart (SQLite storage); temporary rooms vanish with
// their last occupant (§7.14).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { connect, xml, type XmppElement } from "../helpers/client.js";
import type { TestServer } from "../helpers/server.js";
import { configure, createInstantRoom, errorCondition, join, MUC_ADMIN, startMucServer } from "./helpers.js";

const SERVICE = "conference.localhost";

describe("persistent rooms", () => {
  let t: TestServer;
  before(async () => {
    t = await startMucServer({ "storage.backend": "sqlite" });
    t.addUser("owner", "pw");
    t.addUser("alice", "pw");
    t.addUser("bob", "pw");
  });
  after(() => t.stop());

  test("a persistent room survives a restart with its configuration, members and subject", async () => {
    const room = `keep@${SERVICE}`;
    let owner = await connect({ port: t.port, username: "owner", password: "pw" });
    await createInstantRoom(owner, room, "Owner");
    await configure(owner, room, { "muc#roomconfig_persistentroom": "1", "muc#roomconfig_membersonly": "1", "muc#roomconfig_roomname": "Keep" });
    await owner.iq(xml("iq", { type: "set", to: room }, xml("query", { xmlns: MUC_ADMIN }, xml("item", { jid: "alice@localhost", affiliation: "member" }))));
    await owner.send(xml("message", { to: room, type: "groupchat", id: "s" }, xml("subject", {}, "Still here")));
    await owner.waitFor((el) => el.is("message") && el.attrs.id === "s", "subject reflected");
    await owner.stop();

    await t.restart();

    owner = await connect({ port: t.port, username: "owner", password: "pw" });
    const alice = await connect({ port: t.port, username: "alice", password: "pw" });
    const bob = await connect({ port: t.port, username: "bob", password: "pw" });
    try {
      const info = await owner.iq(xml("iq", { type: "get", to: room }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" })));
      const q = info.getChild("query")!;
      assert.equal(q.getChild("identity")?.attrs.name, "Keep");
      const features = q.getChildren("feature").map((f: XmppElement) => f.attrs.var);
      assert.ok(features.includes("muc_persistent") && features.includes("muc_membersonly"));
      const entered = await join(alice, `${room}/Alice`);
      assert.notEqual(entered.attrs.type, "error");
      const subject = await alice.waitFor((el) => el.is("message") && el.getChild("subject") !== undefined, "subject on join");
      assert.equal(subject.getChildText("subject"), "Still here");
      const refused = await join(bob, `${room}/Bob`);
      assert.equal(errorCondition(refused), "registration-required");
    } finally {
      await owner.stop();
      await alice.stop();
      await bob.stop();
    }
  });

  test("a temporary room is gone once its last occupant leaves", async () => {
    const room = `fleeting@${SERVICE}`;
    const owner = await connect({ port: t.port, username: "owner", password: "pw" });
    try {
      await createInstantRoom(owner, room, "Owner");
      await owner.send(xml("presence", { to: `${room}/Owner`, type: "unavailable" }));
      await owner.waitFor((el) => el.is("presence") && el.attrs.from === `${room}/Owner` && el.attrs.type === "unavailable", "exit");
      await assert.rejects(
        owner.iq(xml("iq", { type: "get", to: room }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" }))),
        (err: { condition?: string }) => err.condition === "item-not-found",
      );
    } finally {
      await owner.stop();
    }
  });
});
