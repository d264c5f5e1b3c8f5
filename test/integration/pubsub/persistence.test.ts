// Nodes and persistent items (pubsub#persist_items) survive a server restart on SQLite storage;
// items of a node configured not to persist them do not.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { connect, xml } from "../helpers/client.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { form, itemsIq, OWNER, ownerIq, PUBSUB, pubsubIq, publishIq, resultItems, XDATA } from "./helpers.js";

const SERVICE = "pubsub.localhost";

describe("pubsub persistence", () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ "storage.backend": "sqlite" });
    t.addUser("owner", "pw");
  });
  after(() => t.stop());

  test("persistent items and node configuration survive a restart; volatile items do not", async () => {
    let c = await connect({ port: t.port, username: "owner", password: "pw" });
    await c.iq(pubsubIq("set", SERVICE, xml("create", { node: "kept" }), xml("configure", {}, form(`${PUBSUB}#node_config`, { "pubsub#title": "Kept", "pubsub#max_items": "4" }))));
    await c.iq(publishIq(SERVICE, "kept", "one", xml("n", { xmlns: "urn:example:n" }, "1")));
    await c.iq(publishIq(SERVICE, "kept", "two", xml("n", { xmlns: "urn:example:n" }, "2")));
    await c.iq(pubsubIq("set", SERVICE, xml("create", { node: "volatile" }), xml("configure", {}, form(`${PUBSUB}#node_config`, { "pubsub#persist_items": "0" }))));
    await c.iq(publishIq(SERVICE, "volatile", "v", xml("n", { xmlns: "urn:example:n" }, "v")));
    assert.equal(resultItems(await c.iq(itemsIq(SERVICE, "volatile"))).length, 1);
    await c.stop();

    await t.restart();

    c = await connect({ port: t.port, username: "owner", password: "pw" });
    try {
      const items = resultItems(await c.iq(itemsIq(SERVICE, "kept")));
      assert.deepEqual(items.map((i) => i.attrs.id), ["one", "two"]);
      assert.equal(items[1]!.getChild("n", "urn:example:n")?.text(), "2");
      const cfg = await c.iq(ownerIq("get", SERVICE, xml("configure", { node: "kept" })));
      const fields = cfg.getChild("pubsub", OWNER)!.getChild("configure")!.getChild("x", XDATA)!.getChildren("field");
      assert.equal(fields.find((f) => f.attrs.var === "pubsub#title")?.getChildText("value"), "Kept");
      assert.equal(fields.find((f) => f.attrs.var === "pubsub#max_items")?.getChildText("value"), "4");
      assert.equal(resultItems(await c.iq(itemsIq(SERVICE, "volatile"))).length, 0, "the node stays, its volatile items are gone");
    } finally {
      await c.stop();
    }
  });
});
