// OMEMO (XEP-0384 v0.3, the namespace deployed clients use) stores its device list and key bundles
// in plain PEP with an open access model: a contact is notified of the device list, and anyone,
// contact or not, can fetch the list and a bundle before the first encrypted message.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { connect, xml, type TestClient } from "../helpers/client.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { befriend, connectWithCaps, eventItems, itemsQuery, publish, resultItems, sync } from "./helpers.js";

const AXOLOTL = "eu.siacs.conversations.axolotl";
const DEVICELIST = `${AXOLOTL}.devicelist`;
const bundleNode = (id: number) => `${AXOLOTL}.bundles:${id}`;
const OPEN = { "pubsub#access_model": "open" };

describe("OMEMO device lists and bundles over PEP", () => {
  let t: TestServer;
  const clients: TestClient[] = [];
  before(async () => {
    t = await startTestServer();
    for (const u of ["romeo", "juliet", "stranger"]) t.addUser(u, "pw-" + u);
  });
  after(async () => {
    for (const c of clients) await c.stop();
    await t.stop();
  });

  test("a device list reaches a +notify contact; a non-contact fetches the list and the bundle", async () => {
    const juliet = await connectWithCaps({ port: t.port, username: "juliet", password: "pw-juliet", resource: "balcony" }, [DEVICELIST]);
    const romeo = await connect({ port: t.port, username: "romeo", password: "pw-romeo", resource: "garden" });
    const stranger = await connect({ port: t.port, username: "stranger", password: "pw-stranger", resource: "street" });
    clients.push(juliet, romeo, stranger);
    await befriend(romeo, juliet);
    await juliet.discoAsked;
    await sync(juliet);

    const list = await romeo.iq(publish(DEVICELIST, "current", xml("list", { xmlns: AXOLOTL }, xml("device", { id: "31415" })), OPEN));
    assert.equal(list.attrs.type, "result");
    const bundle = await romeo.iq(
      publish(
        bundleNode(31415),
        "current",
        xml(
          "bundle",
          { xmlns: AXOLOTL },
          xml("signedPreKeyPublic", { signedPreKeyId: "1" }, "BASE64ENCODED"),
          xml("signedPreKeySignature", {}, "BASE64ENCODED"),
          xml("identityKey", {}, "BASE64ENCODED"),
          xml("prekeys", {}, xml("preKeyPublic", { preKeyId: "1" }, "BASE64ENCODED")),
        ),
        OPEN,
      ),
    );
    assert.equal(bundle.attrs.type, "result");

    const event = await juliet.waitFor((el) => !!eventItems(el, DEVICELIST), "device list notification");
    assert.equal(eventItems(event, DEVICELIST)!.getChild("item")!.getChild("list", AXOLOTL)!.getChild("device")!.attrs.id, "31415");

    const fetchedList = resultItems(await stranger.iq(itemsQuery(DEVICELIST, "romeo@localhost")));
    assert.equal(fetchedList[0]?.getChild("list", AXOLOTL)?.getChild("device")?.attrs.id, "31415");
    const fetchedBundle = resultItems(await stranger.iq(itemsQuery(bundleNode(31415), "romeo@localhost")));
    assert.equal(fetchedBundle[0]?.getChild("bundle", AXOLOTL)?.getChild("identityKey")?.text(), "BASE64ENCODED");
  });
});
