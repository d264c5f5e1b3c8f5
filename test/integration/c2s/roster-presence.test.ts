import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { connect, xml, type XmppElement } from "../helpers/client.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const ROSTER = "jabber:iq:roster";

function rosterItem(el: XmppElement, jid: string): XmppElement | undefined {
  return el.getChild("query", ROSTER)?.getChildren("item").find((i) => i.attrs.jid === jid);
}

describe("roster and presence", () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ "storage.backend": "sqlite" });
    for (const u of ["alice", "bob", "carol", "dave"]) t.addUser(u, "pw-" + u);
  });
  after(() => t.stop());

  test("a roster add is pushed to the account's other interested resource", async () => {
    const a1 = await connect({ port: t.port, username: "alice", password: "pw-alice", resource: "one" });
    const a2 = await connect({ port: t.port, username: "alice", password: "pw-alice", resource: "two" });
    try {
      await a2.iq(xml("iq", { type: "get" }, xml("query", { xmlns: ROSTER })));
      await a1.iq(xml("iq", { type: "set" }, xml("query", { xmlns: ROSTER }, xml("item", { jid: "bob@localhost", name: "Bob" }, xml("group", {}, "Friends")))));
      const push = await a2.waitFor((el) => el.is("iq") && el.attrs.type === "set" && !!rosterItem(el, "bob@localhost"), "roster push");
      const item = rosterItem(push, "bob@localhost")!;
      assert.equal(item.attrs.name, "Bob");
      assert.equal(item.attrs.subscription, "none");
      assert.equal(item.getChildText("group"), "Friends");
      const roster = await a1.iq(xml("iq", { type: "get" }, xml("query", { xmlns: ROSTER })));
      assert.ok(rosterItem(roster, "bob@localhost"));
      assert.ok(roster.getChild("query", ROSTER)?.attrs.ver !== undefined, "roster versioning: ver attribute present");
    } finally {
      await a1.stop();
      await a2.stop();
    }
  });

  test("the presence subscription handshake between two online users ends in mutual presence", async () => {
    const carol = await connect({ port: t.port, username: "carol", password: "pw-carol", resource: "c" });
    const dave = await connect({ port: t.port, username: "dave", password: "pw-dave", resource: "d" });
    try {
      await carol.send(xml("presence", { to: "dave@localhost", type: "subscribe" }));
      const req = await dave.waitFor((el) => el.is("presence") && el.attrs.type === "subscribe", "subscribe request");
      assert.equal(req.attrs.from, "carol@localhost");
      await dave.send(xml("presence", { to: "carol@localhost", type: "subscribed" }));
      await carol.waitFor((el) => el.is("presence") && el.attrs.type === "subscribed" && el.attrs.from === "dave@localhost", "subscribed");
      // Carol now receives Dave's available presence.
      await carol.waitFor((el) => el.is("presence") && el.attrs.type === undefined && String(el.attrs.from).startsWith("dave@localhost/"), "dave's presence");
      const roster = await carol.iq(xml("iq", { type: "get" }, xml("query", { xmlns: ROSTER })));
      assert.equal(rosterItem(roster, "dave@localhost")?.attrs.subscription, "to");
      const dr = await dave.iq(xml("iq", { type: "get" }, xml("query", { xmlns: ROSTER })));
      assert.equal(rosterItem(dr, "carol@localhost")?.attrs.subscription, "from");
      // A status change by Dave reaches Carol.
      await dave.send(xml("presence", {}, xml("show", {}, "away"), xml("status", {}, "lunch")));
      const upd = await carol.waitFor((el) => el.is("presence") && el.getChildText("status") === "lunch", "presence update");
      assert.equal(upd.getChildText("show"), "away");
    } finally {
      await carol.stop();
      await dave.stop();
    }
  });

  test("a subscription request made while the contact is offline is delivered at their next login, even after a restart", async () => {
    const alice = await connect({ port: t.port, username: "alice", password: "pw-alice", resource: "r" });
    await alice.send(xml("presence", { to: "bob@localhost", type: "subscribe" }));
    // Make sure the server processed it before restarting.
    await alice.iq(xml("iq", { type: "get", to: "localhost" }, xml("ping", { xmlns: "urn:xmpp:ping" })));
    await alice.stop();
    await t.restart();
    const bob = await connect({ port: t.port, username: "bob", password: "pw-bob", resource: "later" });
    try {
      const req = await bob.waitFor((el) => el.is("presence") && el.attrs.type === "subscribe", "stored subscribe request");
      assert.equal(req.attrs.from, "alice@localhost");
    } finally {
      await bob.stop();
    }
  });
});
