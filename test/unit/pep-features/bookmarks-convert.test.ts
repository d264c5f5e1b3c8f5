// XEP-0402 §5.3 conversions between XEP-0048 <storage/> and XEP-0402 items, with name, autojoin,
// nick, password and client extensions preserved in both directions.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { diffBookmarks, legacyStorage, nativePayload, parseLegacy, parseNative, type Bookmark } from "../../../src/modules/bookmarks-compat/convert.js";
import { BOOKMARKS_NS } from "../../../src/modules/bookmarks-compat/namespaces.js";
import { x } from "../../../src/xml/element.js";
import { parseFragment } from "../../../src/xml/fragment.js";

const LEGACY = parseFragment(
  `<storage xmlns='storage:bookmarks'>` +
    `<conference name='The Play&apos;s the Thing' autojoin='true' jid='ThePlay@Conference.Shakespeare.lit'>` +
    `<nick>JC</nick><password>secret</password><minimize xmlns='xmpp:gajim.org/bookmarks'>1</minimize></conference>` +
    `<conference name='Orchard' autojoin='0' jid='orchard@conference.shakespeare.lit'/>` +
    `<conference name='no jid'/>` +
    `<conference name='duplicate' jid='theplay@conference.shakespeare.lit'/>` +
    `<url name='Complete Works' url='http://the-tech.mit.edu/Shakespeare/'/>` +
    `</storage>`,
)!;

function bookmark(partial: Partial<Bookmark> & { jid: string }): Bookmark {
  return { autojoin: false, extensions: [], ...partial };
}

describe("XEP-0048 storage → bookmarks", () => {
  test("each conference becomes a bookmark keyed by its prepared bare JID with every field", () => {
    const { bookmarks } = parseLegacy(LEGACY);
    assert.deepEqual(bookmarks.map((b) => b.jid), ["theplay@conference.shakespeare.lit", "orchard@conference.shakespeare.lit"]);
    const play = bookmarks[0]!;
    assert.equal(play.name, "The Play's the Thing");
    assert.equal(play.autojoin, true);
    assert.equal(play.nick, "JC");
    assert.equal(play.password, "secret");
    assert.equal(play.extensions.length, 1);
    assert.equal(play.extensions[0]!.attrs.xmlns, "xmpp:gajim.org/bookmarks");
    assert.equal(bookmarks[1]!.autojoin, false, "'0' is false");
    assert.equal(bookmarks[1]!.nick, undefined);
  });

  test("url bookmarks and conferences without a JID are kept aside, a repeated JID keeps its first entry", () => {
    const { bookmarks, others } = parseLegacy(LEGACY);
    assert.deepEqual(others.map((o) => o.name + ":" + (o.attrs.name ?? "")), ["conference:no jid", "url:Complete Works"]);
    assert.equal(bookmarks.find((b) => b.name === "duplicate"), undefined);
  });
});

describe("bookmarks → XEP-0402 items", () => {
  test("the payload is a bookmarks:1 conference with name, autojoin, nick, password and extensions", () => {
    const [play] = parseLegacy(LEGACY).bookmarks;
    const payload = nativePayload(play!);
    assert.equal(payload.attrs.xmlns, BOOKMARKS_NS.NATIVE);
    assert.equal(payload.attrs.name, "The Play's the Thing");
    assert.equal(payload.attrs.autojoin, "true");
    assert.equal(payload.getChildText("nick"), "JC");
    assert.equal(payload.getChildText("password"), "secret");
    assert.equal(payload.getChild("extensions")?.getChild("minimize", "xmpp:gajim.org/bookmarks")?.getText(), "1");
    assert.equal(payload.attrs.jid, undefined, "XEP-0402 §5.1: the JID is only the item id");
  });

  test("an item read back equals the bookmark written (round trip)", () => {
    const [play] = parseLegacy(LEGACY).bookmarks;
    const back = parseNative(play!.jid, nativePayload(play!));
    assert.deepEqual(nativePayload(back!).toString(), nativePayload(play!).toString());
  });

  test("parseNative rejects an id that is not a JID and a payload that is not a bookmarks:1 conference", () => {
    assert.equal(parseNative("not a jid@@", x("conference", { xmlns: BOOKMARKS_NS.NATIVE })), undefined);
    assert.equal(parseNative("room@muc.example", x("conference", { xmlns: BOOKMARKS_NS.LEGACY })), undefined);
    assert.equal(parseNative("room@muc.example", undefined), undefined);
    const minimal = parseNative("Room@MUC.example", x("conference", { xmlns: BOOKMARKS_NS.NATIVE }))!;
    assert.equal(minimal.jid, "room@muc.example", "XEP-0402 §2: the minimalist conference is legal");
    assert.equal(minimal.autojoin, false);
    assert.equal(minimal.name, undefined);
  });
});

describe("XEP-0402 items → XEP-0048 storage (§5.3.1)", () => {
  test("items become conferences with the item id as jid, and the kept url entries follow", () => {
    const { bookmarks, others } = parseLegacy(LEGACY);
    const storage = legacyStorage(bookmarks, others);
    assert.equal(storage.attrs.xmlns, BOOKMARKS_NS.LEGACY);
    const conf = storage.getChildren("conference");
    assert.equal(conf[0]!.attrs.jid, "theplay@conference.shakespeare.lit");
    assert.equal(conf[0]!.attrs.autojoin, "true");
    assert.equal(conf[0]!.getChildText("nick"), "JC");
    assert.equal(conf[0]!.getChildText("password"), "secret");
    assert.ok(conf[0]!.getChild("minimize", "xmpp:gajim.org/bookmarks"), "extensions come back as conference children");
    assert.equal(storage.getChild("url")?.attrs.url, "http://the-tech.mit.edu/Shakespeare/");
    assert.deepEqual(parseLegacy(storage).bookmarks, bookmarks, "legacy round trip");
  });

  test("an extension without its own namespace keeps the one it inherited", () => {
    const native = parseFragment(`<conference xmlns='${BOOKMARKS_NS.NATIVE}'><extensions><pinned/></extensions></conference>`)!;
    const b = parseNative("room@muc.example", native)!;
    const conf = legacyStorage([b]).getChild("conference")!;
    assert.equal(conf.getChild("pinned")?.attrs.xmlns, BOOKMARKS_NS.NATIVE);
  });
});

describe("replacing the list (§5.3.2)", () => {
  const a = bookmark({ jid: "a@muc.example", name: "A" });
  const b = bookmark({ jid: "b@muc.example", name: "B", nick: "me" });

  test("only new or changed bookmarks are published and missing ones retracted", () => {
    const changes = diffBookmarks([a, b], [a, { ...b, nick: "other" }, bookmark({ jid: "c@muc.example" })]);
    assert.deepEqual(changes.upsert.map((u) => u.jid), ["b@muc.example", "c@muc.example"]);
    assert.deepEqual(changes.remove, []);
    assert.deepEqual(diffBookmarks([a, b], [b]), { upsert: [], remove: ["a@muc.example"] });
    assert.deepEqual(diffBookmarks([a, b], [a, b]), { upsert: [], remove: [] }, "unchanged list: nothing to notify");
  });

  test("a legacy client that drops unknown elements does not erase another client's extensions", () => {
    const withExt = { ...a, extensions: [x("pinned", { xmlns: "urn:xmpp:bookmarks-pinning:0" })] };
    assert.deepEqual(diffBookmarks([withExt], [a]), { upsert: [], remove: [] });
    const renamed = diffBookmarks([withExt], [{ ...a, name: "A2" }]).upsert[0]!;
    assert.equal(renamed.extensions.length, 1);
  });
});
