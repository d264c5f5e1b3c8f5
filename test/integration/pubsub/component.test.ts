// The pubsub service on pubsub.localhost (XEP-0060) used by real clients over real sockets: node
// life cycle, publishing and notifications, owner use cases and the specified errors.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { connect, xml, type TestClient, type XmppElement } from "../helpers/client.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { conditions, DISCO_INFO, roundTrip, DISCO_ITEMS, eventOf, form, iqError, itemsIq, OWNER, ownerIq, PUBSUB, pubsubIq, publishIq, resultItems, XDATA } from "./helpers.js";

const SERVICE = "pubsub.localhost";

describe("pubsub component", () => {
  let t: TestServer;
  let owner: TestClient;
  let reader: TestClient;
  before(async () => {
    t = await startTestServer({ "pubsub.maxItems": 5 });
    t.addUser("owner", "pw");
    t.addUser("reader", "pw");
    owner = await connect({ port: t.port, username: "owner", password: "pw" });
    reader = await connect({ port: t.port, username: "reader", password: "pw" });
  });
  after(async () => {
    await owner?.stop();
    await reader?.stop();
    await t.stop();
  });

  test("the service is discoverable with the pubsub/service identity and its features", async () => {
    const items = await owner.iq(xml("iq", { type: "get", to: "localhost" }, xml("query", { xmlns: DISCO_ITEMS })));
    assert.ok(items.getChild("query")!.getChildren("item").some((i: XmppElement) => i.attrs.jid === SERVICE));
    const info = await owner.iq(xml("iq", { type: "get", to: SERVICE }, xml("query", { xmlns: DISCO_INFO })));
    const q = info.getChild("query")!;
    assert.ok(q.getChildren("identity").some((i: XmppElement) => i.attrs.category === "pubsub" && i.attrs.type === "service"));
    const features = q.getChildren("feature").map((f: XmppElement) => f.attrs.var);
    for (const f of ["", "#publish", "#subscribe", "#publish-options", "#retrieve-items", "#purge-nodes", "#delete-nodes", "#access-whitelist"]) {
      assert.ok(features.includes(PUBSUB + f), `feature ${PUBSUB + f}`);
    }
  });

  test("a node is created and configured, items published with ids are retrieved and listed in disco", async () => {
    await owner.iq(pubsubIq("set", SERVICE, xml("create", { node: "news" }), xml("configure", {}, form(`${PUBSUB}#node_config`, { "pubsub#title": "News", "pubsub#max_items": "3" }))));
    const cfg = await owner.iq(ownerIq("get", SERVICE, xml("configure", { node: "news" })));
    const fields = cfg.getChild("pubsub", OWNER)!.getChild("configure")!.getChild("x", XDATA)!.getChildren("field");
    const value = (v: string) => fields.find((f: XmppElement) => f.attrs.var === v)?.getChildText("value");
    assert.equal(value("pubsub#title"), "News");
    assert.equal(value("pubsub#max_items"), "3");

    await owner.iq(ownerIq("set", SERVICE, xml("configure", { node: "news" }, form(`${PUBSUB}#node_config`, { "pubsub#title": "Daily news" }))));
    const published = await owner.iq(publishIq(SERVICE, "news", "first", xml("entry", { xmlns: "http://www.w3.org/2005/Atom" }, xml("title", {}, "Hello"))));
    assert.equal(published.getChild("pubsub", PUBSUB)?.getChild("publish")?.getChild("item")?.attrs.id, "first");
    const generated = await owner.iq(publishIq(SERVICE, "news", undefined, xml("entry", { xmlns: "http://www.w3.org/2005/Atom" }, xml("title", {}, "Second"))));
    const secondId = generated.getChild("pubsub", PUBSUB)?.getChild("publish")?.getChild("item")?.attrs.id;
    assert.ok(secondId && secondId !== "first");

    const items = resultItems(await reader.iq(itemsIq(SERVICE, "news")));
    assert.deepEqual(items.map((i) => i.attrs.id), ["first", secondId]);
    assert.equal(items[0]!.getChild("entry")?.getChildText("title"), "Hello");
    const one = resultItems(await reader.iq(pubsubIq("get", SERVICE, xml("items", { node: "news" }, xml("item", { id: "first" })))));
    assert.deepEqual(one.map((i) => i.attrs.id), ["first"]);
    const newest = resultItems(await reader.iq(itemsIq(SERVICE, "news", { max_items: "1" })));
    assert.deepEqual(newest.map((i) => i.attrs.id), [secondId]);

    const nodes = await reader.iq(xml("iq", { type: "get", to: SERVICE }, xml("query", { xmlns: DISCO_ITEMS })));
    const listed = nodes.getChild("query")!.getChildren("item").find((i: XmppElement) => i.attrs.node === "news");
    assert.equal(listed?.attrs.name, "Daily news");
    const nodeInfo = await reader.iq(xml("iq", { type: "get", to: SERVICE }, xml("query", { xmlns: DISCO_INFO, node: "news" })));
    assert.ok(nodeInfo.getChild("query")!.getChildren("identity").some((i: XmppElement) => i.attrs.type === "leaf"));
  });

  test("a subscriber gets notifications with payloads, retractions, the purge and the deletion", async () => {
    await owner.iq(pubsubIq("set", SERVICE, xml("create", { node: "feed" })));
    const sub = await reader.iq(pubsubIq("set", SERVICE, xml("subscribe", { node: "feed", jid: reader.jid })));
    const subscription = sub.getChild("pubsub", PUBSUB)!.getChild("subscription")!;
    assert.equal(subscription.attrs.subscription, "subscribed");
    assert.ok(subscription.attrs.subid);

    await owner.iq(publishIq(SERVICE, "feed", "i1", xml("status", { xmlns: "urn:example:status" }, "up")));
    const note = await reader.waitFor((el) => eventOf(el, "feed")?.getChild("item")?.attrs.id === "i1", "publish notification");
    assert.equal(note.attrs.from, SERVICE);
    assert.equal(eventOf(note, "feed")!.getChild("item")!.getChild("status", "urn:example:status")?.text(), "up");

    await owner.iq(pubsubIq("set", SERVICE, xml("retract", { node: "feed" }, xml("item", { id: "i1" }))));
    await reader.waitFor((el) => eventOf(el, "feed")?.getChild("retract")?.attrs.id === "i1", "retract notification");
    assert.equal(resultItems(await reader.iq(itemsIq(SERVICE, "feed"))).length, 0);

    await owner.iq(publishIq(SERVICE, "feed", "i2", xml("status", { xmlns: "urn:example:status" }, "down")));
    await reader.waitFor((el) => eventOf(el, "feed")?.getChild("item")?.attrs.id === "i2", "second publish");
    await owner.iq(ownerIq("set", SERVICE, xml("purge", { node: "feed" })));
    await reader.waitFor((el) => eventOf(el, "feed")?.name === "purge", "purge notification");
    assert.equal(resultItems(await reader.iq(itemsIq(SERVICE, "feed"))).length, 0);

    await owner.iq(ownerIq("set", SERVICE, xml("delete", { node: "feed" })));
    await reader.waitFor((el) => eventOf(el, "feed")?.name === "delete", "delete notification");
    const gone = await iqError(reader, itemsIq(SERVICE, "feed"));
    assert.deepEqual(conditions(gone), ["item-not-found"]);
  });

  test("a new subscriber gets the last published item, and unsubscribing stops notifications", async () => {
    await owner.iq(pubsubIq("set", SERVICE, xml("create", { node: "weather" })));
    await owner.iq(publishIq(SERVICE, "weather", "now", xml("temp", { xmlns: "urn:example:weather" }, "21")));
    await reader.iq(pubsubIq("set", SERVICE, xml("subscribe", { node: "weather", jid: reader.jid })));
    const last = await reader.waitFor((el) => eventOf(el, "weather")?.getChild("item")?.attrs.id === "now", "last published item");
    assert.ok(last.getChild("delay", "urn:xmpp:delay"), "the last item carries its publication time");

    await reader.iq(pubsubIq("set", SERVICE, xml("unsubscribe", { node: "weather", jid: reader.jid })));
    await owner.iq(publishIq(SERVICE, "weather", "later", xml("temp", { xmlns: "urn:example:weather" }, "5")));
    // Anything sent to the reader before the publish result is on its socket before this answer.
    await roundTrip(reader);
    assert.equal(reader.received.filter((el) => eventOf(el, "weather")?.getChild("item")?.attrs.id === "later").length, 0);
    const notSubscribed = await iqError(reader, pubsubIq("set", SERVICE, xml("unsubscribe", { node: "weather", jid: reader.jid })));
    assert.deepEqual(conditions(notSubscribed), ["unexpected-request", "not-subscribed#pubsub"]);
  });

  test("max_items keeps only the newest items, and \"max\" means the service limit", async () => {
    await owner.iq(pubsubIq("set", SERVICE, xml("create", { node: "bounded" }), xml("configure", {}, form(`${PUBSUB}#node_config`, { "pubsub#max_items": "2" }))));
    for (const id of ["a", "b", "c"]) await owner.iq(publishIq(SERVICE, "bounded", id, xml("n", { xmlns: "urn:example:n" }, id)));
    assert.deepEqual(resultItems(await owner.iq(itemsIq(SERVICE, "bounded"))).map((i) => i.attrs.id), ["b", "c"]);
    // Re-publishing an id replaces the item and makes it the newest.
    await owner.iq(publishIq(SERVICE, "bounded", "b", xml("n", { xmlns: "urn:example:n" }, "b2")));
    assert.deepEqual(resultItems(await owner.iq(itemsIq(SERVICE, "bounded"))).map((i) => i.attrs.id), ["c", "b"]);

    await owner.iq(ownerIq("set", SERVICE, xml("configure", { node: "bounded" }, form(`${PUBSUB}#node_config`, { "pubsub#max_items": "max" }))));
    for (const id of ["d", "e", "f", "g", "h"]) await owner.iq(publishIq(SERVICE, "bounded", id, xml("n", { xmlns: "urn:example:n" }, id)));
    assert.equal(resultItems(await owner.iq(itemsIq(SERVICE, "bounded"))).length, 5, "pubsub.maxItems is 5 in this test");
    const tooMany = await iqError(owner, ownerIq("set", SERVICE, xml("configure", { node: "bounded" }, form(`${PUBSUB}#node_config`, { "pubsub#max_items": "6" }))));
    assert.deepEqual(conditions(tooMany), ["not-acceptable"]);
  });

  test("the errors of XEP-0060: conflict, forbidden, item-not-found, invalid-jid, nodeid-required", async () => {
    await owner.iq(pubsubIq("set", SERVICE, xml("create", { node: "guarded" })));
    assert.deepEqual(conditions(await iqError(reader, pubsubIq("set", SERVICE, xml("create", { node: "guarded" })))), ["conflict"]);
    assert.deepEqual(conditions(await iqError(reader, ownerIq("get", SERVICE, xml("configure", { node: "guarded" })))), ["forbidden"]);
    assert.deepEqual(
      conditions(await iqError(reader, ownerIq("set", SERVICE, xml("configure", { node: "guarded" }, form(`${PUBSUB}#node_config`, { "pubsub#title": "mine" }))))),
      ["forbidden"],
    );
    assert.deepEqual(conditions(await iqError(reader, publishIq(SERVICE, "guarded", "x", xml("n", { xmlns: "urn:example:n" })))), ["forbidden"]);
    assert.deepEqual(conditions(await iqError(reader, ownerIq("set", SERVICE, xml("delete", { node: "guarded" })))), ["forbidden"]);
    assert.deepEqual(conditions(await iqError(reader, itemsIq(SERVICE, "no-such-node"))), ["item-not-found"]);
    assert.deepEqual(conditions(await iqError(owner, publishIq(SERVICE, "no-such-node", "x", xml("n", { xmlns: "urn:example:n" })))), ["item-not-found"]);
    assert.deepEqual(conditions(await iqError(owner, pubsubIq("set", SERVICE, xml("retract", { node: "guarded" }, xml("item", { id: "missing" }))))), ["item-not-found"]);
    assert.deepEqual(conditions(await iqError(reader, pubsubIq("set", SERVICE, xml("subscribe", { node: "guarded", jid: "owner@localhost" })))), ["bad-request", "invalid-jid#pubsub"]);
    assert.deepEqual(conditions(await iqError(reader, pubsubIq("set", SERVICE, xml("subscribe", { jid: reader.jid })))), ["bad-request", "nodeid-required#pubsub"]);
  });

  test("malformed requests get XEP-0060's errors and change nothing", async () => {
    await owner.iq(pubsubIq("set", SERVICE, xml("create", { node: "strict" })));
    const twoPayloads = pubsubIq("set", SERVICE, xml("publish", { node: "strict" }, xml("item", { id: "x" }, xml("a", { xmlns: "urn:example:a" }), xml("b", { xmlns: "urn:example:b" }))));
    assert.deepEqual(conditions(await iqError(owner, twoPayloads)), ["bad-request", "invalid-payload#pubsub"]);
    assert.deepEqual(conditions(await iqError(owner, pubsubIq("set", SERVICE, xml("publish", { node: "strict" })))), ["bad-request", "item-required#pubsub"]);
    assert.deepEqual(conditions(await iqError(owner, pubsubIq("set", SERVICE, xml("publish", { node: "strict" }, xml("item", { id: "empty" }))))), ["bad-request", "payload-required#pubsub"]);
    const wrongForm = pubsubIq(
      "set",
      SERVICE,
      xml("publish", { node: "strict" }, xml("item", { id: "y" }, xml("a", { xmlns: "urn:example:a" }))),
      xml("publish-options", {}, form(`${PUBSUB}#node_config`, { "pubsub#access_model": "open" })),
    );
    assert.deepEqual(conditions(await iqError(owner, wrongForm)), ["bad-request"]);
    const badValue = ownerIq("set", SERVICE, xml("configure", { node: "strict" }, form(`${PUBSUB}#node_config`, { "pubsub#access_model": "everyone" })));
    assert.deepEqual(conditions(await iqError(owner, badValue)), ["not-acceptable"]);
    assert.equal(resultItems(await owner.iq(itemsIq(SERVICE, "strict"))).length, 0);
  });

  test("the owner manages affiliations and subscriptions; a whitelist admits only affiliated entities", async () => {
    await owner.iq(pubsubIq("set", SERVICE, xml("create", { node: "team" }), xml("configure", {}, form(`${PUBSUB}#node_config`, { "pubsub#access_model": "whitelist" }))));
    const closed = await iqError(reader, pubsubIq("set", SERVICE, xml("subscribe", { node: "team", jid: reader.jid })));
    assert.deepEqual(conditions(closed), ["not-allowed", "closed-node#pubsub"]);

    await owner.iq(ownerIq("set", SERVICE, xml("affiliations", { node: "team" }, xml("affiliation", { jid: "reader@localhost", affiliation: "publisher" }))));
    const affs = await owner.iq(ownerIq("get", SERVICE, xml("affiliations", { node: "team" })));
    const listed = affs.getChild("pubsub", OWNER)!.getChild("affiliations")!.getChildren("affiliation").map((a: XmppElement) => `${a.attrs.jid}=${a.attrs.affiliation}`).sort();
    assert.deepEqual(listed, ["owner@localhost=owner", "reader@localhost=publisher"]);
    await reader.iq(publishIq(SERVICE, "team", "by-reader", xml("n", { xmlns: "urn:example:n" }, "hi")));
    await reader.iq(pubsubIq("set", SERVICE, xml("subscribe", { node: "team", jid: reader.jid })));

    const mine = await reader.iq(pubsubIq("get", SERVICE, xml("affiliations")));
    assert.ok(mine.getChild("pubsub", PUBSUB)!.getChild("affiliations")!.getChildren("affiliation").some((a: XmppElement) => a.attrs.node === "team" && a.attrs.affiliation === "publisher"));

    const subs = await owner.iq(ownerIq("get", SERVICE, xml("subscriptions", { node: "team" })));
    assert.deepEqual(subs.getChild("pubsub", OWNER)!.getChild("subscriptions")!.getChildren("subscription").map((s: XmppElement) => s.attrs.jid), [reader.jid]);
    await owner.iq(ownerIq("set", SERVICE, xml("subscriptions", { node: "team" }, xml("subscription", { jid: reader.jid, subscription: "none" }))));
    const after = await owner.iq(ownerIq("get", SERVICE, xml("subscriptions", { node: "team" })));
    assert.equal(after.getChild("pubsub", OWNER)!.getChild("subscriptions")!.getChildren("subscription").length, 0);

    // Outcasts can do nothing, and the node cannot lose its last owner.
    await owner.iq(ownerIq("set", SERVICE, xml("affiliations", { node: "team" }, xml("affiliation", { jid: "reader@localhost", affiliation: "outcast" }))));
    assert.deepEqual(conditions(await iqError(reader, itemsIq(SERVICE, "team"))), ["forbidden"]);
    const orphan = await iqError(owner, ownerIq("set", SERVICE, xml("affiliations", { node: "team" }, xml("affiliation", { jid: "owner@localhost", affiliation: "none" }))));
    assert.deepEqual(conditions(orphan), ["not-acceptable"]);
  });
});
