// XEP-0172 User Nickname through plain PEP: the spec asks nothing of the server beyond PEP
// (§4.5 "it is RECOMMENDED for clients to use XEP-0163"), so this proves that path end to end.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { connect, xml, type TestClient } from "../helpers/client.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { befriend, connectWithCaps, eventItems, publish, sync } from "./helpers.js";

const NICK = "http://jabber.org/protocol/nick";

describe("user nickname over PEP (XEP-0172)", () => {
  let t: TestServer;
  const clients: TestClient[] = [];
  before(async () => {
    t = await startTestServer();
    for (const u of ["narrator", "starbuck"]) t.addUser(u, "pw-" + u);
  });
  after(async () => {
    for (const c of clients) await c.stop();
    await t.stop();
  });

  test("a nickname published to PEP is delivered to a contact that asked for +notify", async () => {
    const starbuck = await connectWithCaps({ port: t.port, username: "starbuck", password: "pw-starbuck", resource: "deck" }, [NICK]);
    const narrator = await connect({ port: t.port, username: "narrator", password: "pw-narrator", resource: "pda" });
    clients.push(starbuck, narrator);
    await befriend(narrator, starbuck);
    await starbuck.discoAsked;
    await sync(starbuck);

    const res = await narrator.iq(publish(NICK, undefined, xml("nick", { xmlns: NICK }, "CallMeIshmael")));
    assert.equal(res.attrs.type, "result");
    const event = await starbuck.waitFor((el) => !!eventItems(el, NICK), "nick notification");
    assert.equal(event.attrs.from, "narrator@localhost");
    assert.equal(eventItems(event, NICK)!.getChild("item")!.getChildText("nick", NICK), "CallMeIshmael");
  });
});
