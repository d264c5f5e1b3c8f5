// PEP (XEP-0163) on every account, driven by real clients: notifications filtered by the
// contacts' entity capabilities (+notify), access models, the last item for a contact that comes
// online later, private storage (XEP-0223), and the publish-options flow of OMEMO clients.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { connect, xml, type TestClient, type XmppElement } from "../helpers/client.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { PEP_ITEM_PUBLISHED, pepItems, pepPublish, type PepItemPublishedEvent } from "../../../src/modules/pep/api.js";
import { x } from "../../../src/xml/element.js";
import {
  conditions,
  connectWithCaps,
  DISCO_INFO,
  DISCO_ITEMS,
  eventOf,
  iqError,
  itemsIq,
  makeContacts,
  PUBSUB,
  publishIq,
  resultItems,
  roundTrip,
  type CapsClient,
} from "./helpers.js";

const AVATAR = "urn:xmpp:avatar:metadata";
const BOOKMARKS = "urn:xmpp:bookmarks:1";
const DEVICELIST = "eu.siacs.conversations.axolotl.devicelist";
const BUNDLE = "eu.siacs.conversations.axolotl.bundles:4223";
const ALICE = "alice@localhost";

function avatar(id: string): XmppElement {
  return xml("metadata", { xmlns: AVATAR }, xml("info", { id, bytes: "1024", type: "image/png", width: "64", height: "64" }));
}

const PRIVATE_OPTIONS = {
  "pubsub#persist_items": "true",
  "pubsub#max_items": "max",
  "pubsub#send_last_published_item": "never",
  "pubsub#access_model": "whitelist",
};

describe("PEP", () => {
  let t: TestServer;
  let alice: CapsClient;
  let bob: CapsClient;
  let carol: CapsClient;
  let dave: TestClient;
  const port = () => t.port;

  before(async () => {
    t = await startTestServer();
    for (const u of ["alice", "bob", "carol", "dave", "erin"]) t.addUser(u, "pw");
    alice = await connectWithCaps({ port: port(), username: "alice", password: "pw" }, [AVATAR, BOOKMARKS]);
    bob = await connectWithCaps({ port: port(), username: "bob", password: "pw", resource: "phone" }, [AVATAR, BOOKMARKS, "urn:example:other"]);
    // Carol's client is interested in nothing (no +notify at all).
    carol = await connectWithCaps({ port: port(), username: "carol", password: "pw" }, []);
    dave = await connect({ port: port(), username: "dave", password: "pw" });
    await makeContacts(alice, bob);
    await makeContacts(alice, carol);
    // Every client was asked for its caps once; its answer is processed before this round trip.
    await Promise.all([alice.asked, bob.asked, carol.asked]);
    await Promise.all([roundTrip(alice), roundTrip(bob), roundTrip(carol)]);
  });
  after(async () => {
    for (const c of [alice, bob, carol, dave]) await c?.stop();
    await t.stop();
  });

  test("the account advertises the pubsub/pep identity and the PEP features", async () => {
    const info = await alice.iq(xml("iq", { type: "get", to: ALICE }, xml("query", { xmlns: DISCO_INFO })));
    const q = info.getChild("query")!;
    assert.ok(q.getChildren("identity").some((i: XmppElement) => i.attrs.category === "pubsub" && i.attrs.type === "pep"));
    assert.ok(q.getChildren("identity").some((i: XmppElement) => i.attrs.category === "account" && i.attrs.type === "registered"));
    const features = q.getChildren("feature").map((f: XmppElement) => f.attrs.var);
    for (const f of ["#publish-options", "#auto-create", "#filtered-notifications", "#access-whitelist", "#persistent-items"]) assert.ok(features.includes(PUBSUB + f), f);
  });

  test("a +notify contact gets the avatar event, the whitelisted bookmarks reach only the owner, a client without +notify gets nothing", async () => {
    await alice.iq(publishIq(undefined, AVATAR, "av1", avatar("av1")));
    const toBob = await bob.waitFor((el) => eventOf(el, AVATAR)?.getChild("item")?.attrs.id === "av1", "avatar event at bob");
    assert.equal(toBob.attrs.from, ALICE);
    const replyTo = toBob.getChild("addresses", "http://jabber.org/protocol/address")?.getChild("address");
    assert.deepEqual([replyTo?.attrs.type, replyTo?.attrs.jid], ["replyto", alice.jid], "a contact learns the publishing resource (XEP-0163 §4.3.1)");
    assert.equal(eventOf(toBob, AVATAR)!.getChild("item")!.getChild("metadata", AVATAR)?.getChild("info")?.attrs.id, "av1");
    await alice.waitFor((el) => eventOf(el, AVATAR)?.getChild("item")?.attrs.id === "av1", "avatar event at the owner's own resource");

    const bookmark = xml("conference", { xmlns: BOOKMARKS, name: "Coven", autojoin: "true" }, xml("nick", {}, "alice"));
    await alice.iq(publishIq(undefined, BOOKMARKS, "coven@conference.localhost", bookmark, PRIVATE_OPTIONS));
    await alice.waitFor((el) => eventOf(el, BOOKMARKS)?.getChild("item")?.attrs.id === "coven@conference.localhost", "bookmarks event at the owner");

    // Whatever the server sent bob and carol before these answers has reached them.
    await Promise.all([roundTrip(bob), roundTrip(carol)]);
    assert.equal(bob.received.filter((el) => eventOf(el, BOOKMARKS)).length, 0, "bob must not see alice's private bookmarks");
    assert.equal(carol.received.filter((el) => eventOf(el, AVATAR) || eventOf(el, BOOKMARKS)).length, 0, "carol asked for no notifications");

    // XEP-0223: the private node refuses contacts and keeps every item.
    assert.deepEqual(conditions(await iqError(bob, itemsIq(ALICE, BOOKMARKS))), ["not-allowed", "closed-node#pubsub"]);
    await alice.iq(publishIq(undefined, BOOKMARKS, "second@conference.localhost", xml("conference", { xmlns: BOOKMARKS, name: "Second" }), PRIVATE_OPTIONS));
    assert.deepEqual(resultItems(await alice.iq(itemsIq(undefined, BOOKMARKS))).map((i) => i.attrs.id), ["coven@conference.localhost", "second@conference.localhost"]);
  });

  test("a contact coming online after the publish gets the last avatar, not the private bookmarks", async () => {
    await bob.stop();
    await alice.iq(publishIq(undefined, AVATAR, "av2", avatar("av2")));
    bob = await connectWithCaps({ port: port(), username: "bob", password: "pw", resource: "laptop" }, [AVATAR, BOOKMARKS, "urn:example:other"]);
    const last = await bob.waitFor((el) => eventOf(el, AVATAR) !== undefined, "last avatar on login");
    assert.equal(eventOf(last, AVATAR)!.getChild("item")!.attrs.id, "av2");
    assert.equal(last.attrs.to, "bob@localhost/laptop");
    assert.ok(last.getChild("delay", "urn:xmpp:delay"), "the last item carries its publication time");
    await roundTrip(bob);
    assert.equal(bob.received.filter((el) => eventOf(el, BOOKMARKS)).length, 0);
  });

  test("a contact that is not a contact cannot read presence-only nodes, and the node list shows only what it may see", async () => {
    const refused = await iqError(dave, itemsIq(ALICE, AVATAR));
    assert.deepEqual(conditions(refused), ["not-authorized", "presence-subscription-required#pubsub"]);
    assert.deepEqual(resultItems(await bob.iq(itemsIq(ALICE, AVATAR))).map((i) => i.attrs.id), ["av2"], "PEP nodes keep one item by default");

    const list = async (c: TestClient) =>
      (await c.iq(xml("iq", { type: "get", to: ALICE }, xml("query", { xmlns: DISCO_ITEMS })))).getChild("query")!.getChildren("item").map((i: XmppElement) => i.attrs.node).sort();
    // Other modules (bookmarks compatibility) may keep nodes of their own; only these matter here.
    const mine = await list(alice);
    assert.ok(mine.includes(AVATAR) && mine.includes(BOOKMARKS), `owner sees ${mine.join(", ")}`);
    const bobs = await list(bob);
    assert.ok(bobs.includes(AVATAR) && !bobs.includes(BOOKMARKS), `bob sees ${bobs.join(", ")}`);
    assert.ok(!(await list(dave)).includes(AVATAR));
  });

  test("OMEMO: open nodes via publish-options, a conflicting precondition is refused, anyone retrieves the bundle", async () => {
    const devices = xml("list", { xmlns: "eu.siacs.conversations.axolotl" }, xml("device", { id: "4223" }));
    await alice.iq(publishIq(undefined, DEVICELIST, "current", devices, { "pubsub#access_model": "open" }));
    // Same preconditions again: accepted.
    await alice.iq(publishIq(undefined, DEVICELIST, "current", devices, { "pubsub#access_model": "open" }));
    const conflict = await iqError(alice, publishIq(undefined, DEVICELIST, "current", devices, { "pubsub#access_model": "presence" }));
    assert.deepEqual(conditions(conflict), ["conflict", "precondition-not-met#pubsub"]);
    assert.equal(conflict.attrs.type, "cancel");

    const bundle = xml("bundle", { xmlns: "eu.siacs.conversations.axolotl" }, xml("signedPreKeyPublic", { signedPreKeyId: "1" }, "BASE64KEY"));
    await alice.iq(publishIq(undefined, BUNDLE, "current", bundle, { "pubsub#access_model": "open" }));
    for (const reader of [bob, dave]) {
      const items = resultItems(await reader.iq(itemsIq(ALICE, BUNDLE)));
      assert.equal(items.length, 1);
      assert.equal(items[0]!.getChild("bundle", "eu.siacs.conversations.axolotl")?.getChildText("signedPreKeyPublic"), "BASE64KEY");
    }
  });

  test("an explicit subscriber to an open node gets the last item and later notifications", async () => {
    const sub = await dave.iq(xml("iq", { type: "set", to: ALICE }, xml("pubsub", { xmlns: PUBSUB }, xml("subscribe", { node: DEVICELIST, jid: dave.jid }))));
    assert.equal(sub.getChild("pubsub", PUBSUB)?.getChild("subscription")?.attrs.subscription, "subscribed");
    await dave.waitFor((el) => eventOf(el, DEVICELIST)?.getChild("item")?.attrs.id === "current", "last devicelist item");
    const devices = xml("list", { xmlns: "eu.siacs.conversations.axolotl" }, xml("device", { id: "4223" }), xml("device", { id: "77" }));
    await alice.iq(publishIq(undefined, DEVICELIST, "current", devices, { "pubsub#access_model": "open" }));
    const update = await dave.waitFor((el) => (eventOf(el, DEVICELIST)?.getChild("item")?.getChild("list", "eu.siacs.conversations.axolotl")?.getChildren("device").length ?? 0) === 2, "devicelist update");
    assert.equal(update.attrs.from, ALICE);
    assert.equal(update.getChild("addresses", "http://jabber.org/protocol/address"), undefined, "no replyto for an entity without a presence subscription");
  });

  test("a server module publishes through the PEP API and contacts are notified as for a client publish", async () => {
    const events: PepItemPublishedEvent[] = [];
    t.server.host.bus.on<PepItemPublishedEvent>(PEP_ITEM_PUBLISHED, (ev) => {
      events.push(ev);
      return undefined;
    });
    const result = pepPublish(t.server.host.bus, { username: "alice", node: AVATAR, id: "from-server", payload: x("metadata", { xmlns: AVATAR }) });
    assert.equal(result.ok, true);
    await bob.waitFor((el) => eventOf(el, AVATAR)?.getChild("item")?.attrs.id === "from-server", "notification of the server-side publish");
    assert.ok(events.some((e) => e.username === "alice" && e.node === AVATAR && e.item.id === "from-server" && e.byServer));
    const read = pepItems(t.server.host.bus, { username: "alice", node: AVATAR, requester: "dave@localhost" });
    assert.equal(read.ok, false, "dave has no presence subscription to alice");
    const own = pepItems(t.server.host.bus, { username: "alice", node: AVATAR });
    assert.ok(own.ok && own.items[0]?.payload?.name === "metadata");
  });

  test("a client whose caps hash does not match its disco#info answer gets no notifications", async () => {
    const erin = await connectWithCaps({ port: port(), username: "erin", password: "pw", wrongVer: true }, [AVATAR]);
    try {
      await makeContacts(alice, erin);
      await erin.asked;
      await roundTrip(erin);
      await alice.iq(publishIq(undefined, AVATAR, "av3", avatar("av3")));
      await bob.waitFor((el) => eventOf(el, AVATAR)?.getChild("item")?.attrs.id === "av3", "bob still gets it");
      await roundTrip(erin);
      assert.equal(erin.received.filter((el) => eventOf(el, AVATAR)).length, 0);
    } finally {
      await erin.stop();
    }
  });

  test("only the account publishes to its PEP service", async () => {
    assert.deepEqual(conditions(await iqError(bob, publishIq(ALICE, AVATAR, "evil", avatar("evil")))), ["forbidden"]);
    assert.deepEqual(conditions(await iqError(bob, publishIq(ALICE, "urn:example:new", "x", xml("n", { xmlns: "urn:example:new" })))), ["forbidden"]);
  });
});
