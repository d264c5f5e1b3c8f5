// Offline messages over real sockets with @xmpp/client (XEP-0160): held across a server restart
// in SQLite and delivered with XEP-0203 delay stamps, and the per-account cap.
import assert from "node:assert/strict";
import { test } from "node:test";
import { connect } from "../helpers/client.js";
import { startArchiveTestServer } from "./harness.js";
import { barrier, chat } from "./mam-client.js";

test("messages to an offline account survive a server restart (SQLite) and arrive in order with delay stamps and archive ids", async () => {
  const t = await startArchiveTestServer({ flags: { "storage.backend": "sqlite" } });
  try {
    t.addUser("romeo", "montague");
    t.addUser("juliet", "capulet");
    const romeo = await connect({ port: t.port, username: "romeo", password: "montague", resource: "orchard" });
    const sentAt = Date.now();
    for (const i of [1, 2, 3]) await romeo.send(chat("juliet@localhost", `night ${i}`, `off${i}`));
    await barrier(romeo);
    await romeo.stop();
    assert.equal(t.server.host.storage.archive(t.domain, "offline").count("juliet"), 3);

    await t.restart();

    const juliet = await connect({ port: t.port, username: "juliet", password: "capulet", resource: "balcony" });
    try {
      await juliet.waitFor((el) => el.is("message") && el.attrs.id === "off3", "the last held message");
      const held = juliet.received.filter((el) => el.is("message") && el.attrs.id?.startsWith("off"));
      assert.deepEqual(held.map((m) => m.attrs.id), ["off1", "off2", "off3"]);
      for (const m of held) {
        const delay = m.getChild("delay", "urn:xmpp:delay");
        assert.equal(delay?.attrs.from, "localhost");
        const stamp = Date.parse(delay?.attrs.stamp ?? "");
        assert.ok(stamp >= sentAt - 1000 && stamp <= Date.now(), `stamp ${delay?.attrs.stamp} is when it was stored`);
        assert.equal(m.getChild("stanza-id", "urn:xmpp:sid:0")?.attrs.by, "juliet@localhost");
      }
      await barrier(juliet);
      assert.equal(t.server.host.storage.archive(t.domain, "offline").count("juliet"), 0, "delivered messages leave the queue");
    } finally {
      await juliet.stop();
    }
  } finally {
    await t.stop();
  }
});

test("when the offline queue is full the sender gets resource-constraint for the message that did not fit", async () => {
  const t = await startArchiveTestServer({ offline: { maxMessages: 2 } });
  try {
    t.addUser("romeo", "montague");
    t.addUser("juliet", "capulet");
    const romeo = await connect({ port: t.port, username: "romeo", password: "montague", resource: "orchard" });
    try {
      for (const i of [1, 2, 3]) await romeo.send(chat("juliet@localhost", `message ${i}`, `cap${i}`));
      const bounce = await romeo.waitFor((el) => el.is("message") && el.attrs.type === "error", "the error for the third message");
      assert.equal(bounce.attrs.id, "cap3");
      const error = bounce.getChild("error");
      assert.equal(error?.attrs.type, "wait");
      assert.ok(error?.getChild("resource-constraint", "urn:ietf:params:xml:ns:xmpp-stanzas"));
      await barrier(romeo);
      assert.equal(romeo.received.filter((el) => el.is("message") && el.attrs.type === "error").length, 1, "the first two were accepted");
    } finally {
      await romeo.stop();
    }
  } finally {
    await t.stop();
  }
});
