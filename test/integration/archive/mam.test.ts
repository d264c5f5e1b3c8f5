// Message Archive Management over real sockets with @xmpp/client (XEP-0313): the stanza-id a
// recipient sees is the id its archive query returns, 'with' and time-range filters, paging both
// ways across three pages, and preferences (XEP-0441).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { connect, xml } from "../helpers/client.js";
import type { TestServer } from "../helpers/server.js";
import { startArchiveTestServer } from "./harness.js";
import { barrier, chat, MAM, queryArchive } from "./mam-client.js";

describe("the message archive seen by clients", () => {
  let t: TestServer;
  before(async () => {
    t = await startArchiveTestServer();
    for (const [user, password] of [["romeo", "montague"], ["juliet", "capulet"], ["nurse", "angelica"], ["tybalt", "capulet"]]) t.addUser(user!, password!);
  });
  after(() => t.stop());

  test("the delivered message carries a stanza-id equal to the id of the recipient's archive item", async () => {
    const romeo = await connect({ port: t.port, username: "romeo", password: "montague", resource: "orchard" });
    const juliet = await connect({ port: t.port, username: "juliet", password: "capulet", resource: "balcony" });
    try {
      await romeo.send(chat("juliet@localhost", "But soft!", "sid1"));
      const delivered = await juliet.waitFor((el) => el.is("message") && el.attrs.id === "sid1", "the message");
      const sid = delivered.getChild("stanza-id", "urn:xmpp:sid:0");
      assert.equal(sid?.attrs.by, "juliet@localhost");

      const page = await queryArchive(juliet, { with: "romeo@localhost" });
      assert.equal(page.ids[page.ids.length - 1], sid?.attrs.id);
      assert.equal(page.bodies[page.bodies.length - 1], "But soft!");
      const sent = await queryArchive(romeo, { with: "juliet@localhost" });
      assert.equal(sent.bodies[sent.bodies.length - 1], "But soft!", "the sender's archive has its copy too");
    } finally {
      await romeo.stop();
      await juliet.stop();
    }
  });

  test("a time range and 'with' select stored messages, and three pages come back forward and backward with exact ids", async () => {
    // Stored with known timestamps: two conversations interleaved, one message a minute.
    const archive = t.server.host.storage.archive(t.domain, "archive");
    const t0 = Date.parse("2023-05-01T08:00:00Z");
    const withNurse: string[] = [];
    for (let i = 0; i < 16; i++) {
      const peer = i % 2 === 0 ? "nurse@localhost/house" : "tybalt@localhost/street";
      const value = `<message from='${peer}' to='romeo@localhost' type='chat' id='h${i}'><body>h${i}</body></message>`;
      const id = archive.append("romeo", value, { with: peer, when: new Date(t0 + i * 60_000) });
      if (i % 2 === 0) withNurse.push(id);
    }
    const romeo = await connect({ port: t.port, username: "romeo", password: "montague", resource: "pager" });
    try {
      const range = await queryArchive(romeo, { start: "2023-05-01T08:03:00Z", end: "2023-05-01T08:06:00Z" });
      assert.deepEqual(range.bodies, ["h3", "h4", "h5", "h6"]);
      assert.deepEqual(range.stamps, ["2023-05-01T08:03:00.000Z", "2023-05-01T08:04:00.000Z", "2023-05-01T08:05:00.000Z", "2023-05-01T08:06:00.000Z"]);

      const filter = { with: "nurse@localhost", start: "2023-05-01T00:00:00Z", end: "2023-05-01T23:59:59Z" };
      const f1 = await queryArchive(romeo, { ...filter, max: 3 });
      const f2 = await queryArchive(romeo, { ...filter, max: 3, after: f1.last });
      const f3 = await queryArchive(romeo, { ...filter, max: 3, after: f2.last });
      assert.deepEqual([f1.ids, f1.complete, f1.count], [withNurse.slice(0, 3), false, "8"]);
      assert.deepEqual([f2.ids, f2.complete], [withNurse.slice(3, 6), false]);
      assert.deepEqual([f3.ids, f3.complete], [withNurse.slice(6, 8), true]);
      assert.deepEqual(f3.bodies, ["h12", "h14"]);

      const b1 = await queryArchive(romeo, { ...filter, max: 3, before: "" });
      const b2 = await queryArchive(romeo, { ...filter, max: 3, before: b1.first });
      const b3 = await queryArchive(romeo, { ...filter, max: 3, before: b2.first });
      assert.deepEqual([b1.ids, b1.complete], [withNurse.slice(5, 8), false]);
      assert.deepEqual([b2.ids, b2.complete], [withNurse.slice(2, 5), false]);
      assert.deepEqual([b3.ids, b3.complete], [withNurse.slice(0, 2), true]);

      await assert.rejects(queryArchive(romeo, { after: "no-such-id" }), (err: { condition?: string }) => err.condition === "item-not-found");
    } finally {
      await romeo.stop();
    }
  });

  test("an account that sets its default to 'never' gets nothing archived, while the other side still does", async () => {
    const nurse = await connect({ port: t.port, username: "nurse", password: "angelica", resource: "house" });
    const tybalt = await connect({ port: t.port, username: "tybalt", password: "capulet", resource: "street" });
    try {
      const set = await nurse.iq(
        xml("iq", { type: "set" }, xml("prefs", { xmlns: MAM, default: "never" }, xml("always"), xml("never"))),
      );
      assert.equal(set.getChild("prefs", MAM)?.attrs.default, "never");
      const nurseBefore = (await queryArchive(nurse, { with: "tybalt@localhost" })).ids.length;

      await tybalt.send(chat("nurse@localhost", "Where is Romeo?", "p1"));
      const got = await nurse.waitFor((el) => el.is("message") && el.attrs.id === "p1", "the message");
      assert.equal(got.getChild("stanza-id", "urn:xmpp:sid:0"), undefined, "not archived, so no archive id");
      await nurse.send(chat("tybalt@localhost", "Gone.", "p2"));
      await tybalt.waitFor((el) => el.is("message") && el.attrs.id === "p2", "the answer");
      await barrier(nurse);

      assert.equal((await queryArchive(nurse, { with: "tybalt@localhost" })).ids.length, nurseBefore, "neither direction archived");
      assert.deepEqual((await queryArchive(tybalt, { with: "nurse@localhost" })).bodies.slice(-2), ["Where is Romeo?", "Gone."]);
    } finally {
      await nurse.stop();
      await tybalt.stop();
    }
  });

  test("the account advertises urn:xmpp:mam:2 and #extended (XEP-0313 §7)", async () => {
    const juliet = await connect({ port: t.port, username: "juliet", password: "capulet", resource: "disco" });
    try {
      const info = await juliet.iq(xml("iq", { type: "get", to: "juliet@localhost" }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" })));
      const features = info.getChild("query")!.getChildren("feature").map((f) => f.attrs.var);
      assert.ok(features.includes(MAM) && features.includes(`${MAM}#extended`), features.join(" "));
    } finally {
      await juliet.stop();
    }
  });
});
