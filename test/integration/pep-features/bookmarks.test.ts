// XEP-0402 §5.3 end to end: a client on private XML (XEP-0049 + XEP-0048), a client on PEP
// Native Bookmarks (XEP-0402) and a client on the XEP-0048 PEP node see one bookmark list.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { connect, xml, type TestClient, type XmppElement } from "../helpers/client.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { connectWithCaps, eventItems, itemsQuery, NS_PUBSUB, publish, resultItems, sync } from "./helpers.js";

const PRIVATE = "jabber:iq:private";
const LEGACY = "storage:bookmarks";
const NATIVE = "urn:xmpp:bookmarks:1";
const DISCO_INFO = "http://jabber.org/protocol/disco#info";
/** XEP-0402 §3.2 publish-options. */
const NATIVE_OPTIONS = {
  "pubsub#persist_items": "true",
  "pubsub#max_items": "max",
  "pubsub#send_last_published_item": "never",
  "pubsub#access_model": "whitelist",
};

function privateSet(storage: XmppElement): XmppElement {
  return xml("iq", { type: "set" }, xml("query", { xmlns: PRIVATE }, storage));
}

async function privateGet(c: TestClient): Promise<XmppElement> {
  const res = await c.iq(xml("iq", { type: "get" }, xml("query", { xmlns: PRIVATE }, xml("storage", { xmlns: LEGACY }))));
  return res.getChild("query", PRIVATE)!.getChild("storage", LEGACY)!;
}

function legacyConference(storage: XmppElement, jid: string): XmppElement | undefined {
  return storage.getChildren("conference").find((c) => c.attrs.jid === jid);
}

async function nativeItems(c: TestClient): Promise<Map<string, XmppElement>> {
  const res = await c.iq(itemsQuery(NATIVE));
  return new Map(resultItems(res).map((i) => [i.attrs.id!, i.getChild("conference", NATIVE)!]));
}

describe("bookmarks compatibility (XEP-0402 §5.3)", () => {
  let t: TestServer;
  const clients: TestClient[] = [];
  const login = async (username: string, resource: string) => {
    const c = await connect({ port: t.port, username, password: "pw-" + username, resource });
    clients.push(c);
    return c;
  };

  before(async () => {
    t = await startTestServer();
    for (const u of ["alice", "bob", "carol", "erin"]) t.addUser(u, "pw-" + u);
  });
  after(async () => {
    for (const c of clients) await c.stop();
    await t.stop();
  });

  test("the account advertises #compat and #compat-pep (§6)", async () => {
    const carol = await login("carol", "r");
    const info = await carol.iq(xml("iq", { type: "get", to: "carol@localhost" }, xml("query", { xmlns: DISCO_INFO })));
    const features = info.getChild("query", DISCO_INFO)!.getChildren("feature").map((f) => f.attrs.var);
    assert.ok(features.includes("urn:xmpp:bookmarks:1#compat"), features.join(" "));
    assert.ok(features.includes("urn:xmpp:bookmarks:1#compat-pep"), features.join(" "));
  });

  test("private XML bookmarks and XEP-0402 items are the same list, both ways, with every field", async () => {
    const modern = await connectWithCaps({ port: t.port, username: "alice", password: "pw-alice", resource: "modern" }, [NATIVE]);
    clients.push(modern);
    const legacy = await login("alice", "legacy");
    await sync(modern);

    // A legacy client stores its list through private XML.
    await legacy.iq(
      privateSet(
        xml(
          "storage",
          { xmlns: LEGACY },
          xml("conference", { jid: "council@conference.underhill.org", name: "Council of Oberon", autojoin: "true" }, xml("nick", {}, "Puck"), xml("password", {}, "titania")),
          xml("conference", { jid: "orchard@conference.shakespeare.lit", name: "The Orchard" }),
          xml("url", { name: "Complete Works", url: "http://the-tech.mit.edu/Shakespeare/" }),
        ),
      ),
    );
    const items = await nativeItems(modern);
    assert.deepEqual([...items.keys()].sort(), ["council@conference.underhill.org", "orchard@conference.shakespeare.lit"]);
    const council = items.get("council@conference.underhill.org")!;
    assert.equal(council.attrs.name, "Council of Oberon");
    assert.ok(council.attrs.autojoin === "true" || council.attrs.autojoin === "1");
    assert.equal(council.getChildText("nick"), "Puck");
    assert.equal(council.getChildText("password"), "titania");
    const notified = await modern.waitFor((el) => !!eventItems(el, NATIVE)?.getChildren("item").some((i) => i.attrs.id === "council@conference.underhill.org"), "XEP-0402 notification of the legacy change");
    assert.equal(notified.attrs.from, "alice@localhost");

    // A XEP-0402 client adds one: the legacy client reads it back, beside what it stored.
    const added = await modern.iq(
      publish("urn:xmpp:bookmarks:1", "theplay@conference.shakespeare.lit", xml("conference", { xmlns: NATIVE, name: "The Play's the Thing", autojoin: "true" }, xml("nick", {}, "JC")), NATIVE_OPTIONS),
    );
    assert.equal(added.attrs.type, "result");
    const storage = await privateGet(legacy);
    const play = legacyConference(storage, "theplay@conference.shakespeare.lit");
    assert.ok(play, storage.toString());
    assert.equal(play.attrs.name, "The Play's the Thing");
    assert.ok(play.attrs.autojoin === "true" || play.attrs.autojoin === "1");
    assert.equal(play.getChildText("nick"), "JC");
    assert.equal(legacyConference(storage, "council@conference.underhill.org")?.getChildText("password"), "titania");
    assert.equal(storage.getChild("url")?.attrs.url, "http://the-tech.mit.edu/Shakespeare/", "url bookmarks survive");

    // Retracting through XEP-0402 removes it from private XML too.
    await modern.iq(xml("iq", { type: "set" }, xml("pubsub", { xmlns: NS_PUBSUB }, xml("retract", { node: NATIVE, notify: "true" }, xml("item", { id: "orchard@conference.shakespeare.lit" })))));
    assert.equal(legacyConference(await privateGet(legacy), "orchard@conference.shakespeare.lit"), undefined);

    // A legacy replacement list that drops a room retracts its item (and notifies).
    const current = await privateGet(legacy);
    await legacy.iq(privateSet(xml("storage", { xmlns: LEGACY }, ...current.getChildren("conference").filter((c) => c.attrs.jid !== "council@conference.underhill.org"))));
    assert.deepEqual([...(await nativeItems(modern)).keys()], ["theplay@conference.shakespeare.lit"]);
    await modern.waitFor((el) => !!eventItems(el, NATIVE)?.getChild("retract"), "retraction notification");
  });

  test("the XEP-0048 PEP node follows, and a XEP-0048 PEP client's list updates the XEP-0402 items (#compat-pep)", async () => {
    const bob = await login("bob", "modern");
    await bob.iq(publish(NATIVE, "lobby@conference.example.org", xml("conference", { xmlns: NATIVE, name: "Lobby" }, xml("nick", {}, "bobby")), NATIVE_OPTIONS));

    const legacyPep = resultItems(await bob.iq(itemsQuery(LEGACY)));
    assert.equal(legacyPep.length, 1);
    assert.equal(legacyPep[0]!.attrs.id, "current");
    const lobby = legacyConference(legacyPep[0]!.getChild("storage", LEGACY)!, "lobby@conference.example.org");
    assert.equal(lobby?.attrs.name, "Lobby");
    assert.equal(lobby?.getChildText("nick"), "bobby");

    // An old PEP client publishes its whole list (XEP-0048 §3.3 'current' item).
    const oldPep = await login("bob", "old-pep");
    await oldPep.iq(
      publish(
        LEGACY,
        "current",
        xml(
          "storage",
          { xmlns: LEGACY },
          xml("conference", { jid: "lobby@conference.example.org", name: "Lobby" }, xml("nick", {}, "bobby")),
          xml("conference", { jid: "dev@conference.example.org", name: "Developers", autojoin: "1" }, xml("password", {}, "s3cret")),
        ),
        { "pubsub#persist_items": "true", "pubsub#access_model": "whitelist" },
      ),
    );
    const items = await nativeItems(bob);
    assert.deepEqual([...items.keys()].sort(), ["dev@conference.example.org", "lobby@conference.example.org"]);
    assert.equal(items.get("dev@conference.example.org")!.getChildText("password"), "s3cret");
    assert.equal(items.get("dev@conference.example.org")!.attrs.name, "Developers");
    // …and private XML agrees.
    assert.ok(legacyConference(await privateGet(bob), "dev@conference.example.org"));
  });

  test("other private XML namespaces stored with the bookmarks still reach private storage", async () => {
    const carol = await login("carol", "mixed");
    await carol.iq(
      xml(
        "iq",
        { type: "set" },
        xml("query", { xmlns: PRIVATE }, xml("storage", { xmlns: LEGACY }, xml("conference", { jid: "x@conference.example.org", name: "X" })), xml("prefs", { xmlns: "urn:example:prefs" }, xml("theme", {}, "dark"))),
      ),
    );
    const prefs = await carol.iq(xml("iq", { type: "get" }, xml("query", { xmlns: PRIVATE }, xml("prefs", { xmlns: "urn:example:prefs" }))));
    assert.equal(prefs.getChild("query", PRIVATE)!.getChild("prefs", "urn:example:prefs")?.getChildText("theme"), "dark");
    assert.ok((await nativeItems(carol)).has("x@conference.example.org"));
  });

  test("bookmarks stored through private XML before the conversion existed are moved to XEP-0402 at login (XEP-0411 §4)", async () => {
    // What the private module stored for erin on an earlier version of the server.
    t.server.host.storage
      .map(t.domain, "private")
      .set("erin", "storage:bookmarks:storage", "<storage xmlns='storage:bookmarks'><conference jid='old@conference.example.org' name='Old Room' autojoin='true'><nick>erin</nick></conference></storage>");
    const erin = await login("erin", "first");
    const items = await nativeItems(erin);
    assert.equal(items.get("old@conference.example.org")?.attrs.name, "Old Room");
    assert.equal(items.get("old@conference.example.org")?.getChildText("nick"), "erin");
    assert.ok(legacyConference(await privateGet(erin), "old@conference.example.org"), "and private XML still shows it");
  });

  test("an oversized legacy list is refused with not-acceptable and the bookmarks stay as they were", async () => {
    const carol = await login("carol", "big");
    const before = [...(await nativeItems(carol)).keys()].sort();
    const rooms = Array.from({ length: 800 }, (_, i) => xml("conference", { jid: `room${i}@conference.example.org`, name: "a fairly long room name " + i }));
    await assert.rejects(carol.iq(privateSet(xml("storage", { xmlns: LEGACY }, ...rooms))), (err: Error & { condition?: string }) => err.condition === "not-acceptable");
    assert.deepEqual([...(await nativeItems(carol)).keys()].sort(), before);
  });
});
