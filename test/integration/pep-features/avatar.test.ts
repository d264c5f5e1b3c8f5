// XEP-0398 end to end over real sockets: a vCard photo becomes a PEP avatar (XEP-0084) that a
// contact is notified of and can fetch, a PEP avatar becomes the vCard PHOTO (XEP-0153), and the
// server stamps the photo hash into the user's presence.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { connect, xml, type TestClient, type XmppElement } from "../helpers/client.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { JPEG_STUB, PNG_1X1 } from "../../unit/pep-features/fixtures.js";
import { befriend, connectWithCaps, eventItems, itemsQuery, publish, resultItems, sync } from "./helpers.js";

const AVATAR_DATA = "urn:xmpp:avatar:data";
const AVATAR_METADATA = "urn:xmpp:avatar:metadata";
const VCARD = "vcard-temp";
const VCARD_UPDATE = "vcard-temp:x:update";
const DISCO_INFO = "http://jabber.org/protocol/disco#info";

function vcardSet(...fields: XmppElement[]): XmppElement {
  return xml("iq", { type: "set" }, xml("vCard", { xmlns: VCARD }, ...fields));
}

function photoField(type: string, base64: string): XmppElement {
  return xml("PHOTO", {}, xml("TYPE", {}, type), xml("BINVAL", {}, base64));
}

async function vcardGet(c: TestClient): Promise<XmppElement> {
  const res = await c.iq(xml("iq", { type: "get" }, xml("vCard", { xmlns: VCARD })));
  return res.getChild("vCard", VCARD)!;
}

function photoHashIn(presence: XmppElement): string | undefined {
  return presence.getChild("x", VCARD_UPDATE)?.getChild("photo")?.text();
}

describe("avatar conversion (XEP-0398)", () => {
  let t: TestServer;
  const clients: TestClient[] = [];
  const login = async (username: string, resource = "r") => {
    const c = await connect({ port: t.port, username, password: "pw-" + username, resource });
    clients.push(c);
    return c;
  };

  before(async () => {
    t = await startTestServer();
    for (const u of ["alice", "bob", "carol", "dave"]) t.addUser(u, "pw-" + u);
  });
  after(async () => {
    for (const c of clients) await c.stop();
    await t.stop();
  });

  test("the account advertises the conversion (§2)", async () => {
    const dave = await login("dave");
    const info = await dave.iq(xml("iq", { type: "get", to: "dave@localhost" }, xml("query", { xmlns: DISCO_INFO })));
    const features = info.getChild("query", DISCO_INFO)!.getChildren("feature").map((f) => f.attrs.var);
    assert.ok(features.includes("urn:xmpp:pep-vcard-conversion:0"), features.join(" "));
  });

  test("a vCard photo is published as a PEP avatar: a +notify contact gets the metadata, fetches the data, and sees the hash in presence", async () => {
    const bob = await connectWithCaps({ port: t.port, username: "bob", password: "pw-bob", resource: "desk" }, [AVATAR_METADATA]);
    clients.push(bob);
    const alice = await login("alice", "phone");
    await befriend(alice, bob);
    await bob.discoAsked;
    await sync(bob);

    const stored = await alice.iq(vcardSet(xml("FN", {}, "Alice"), photoField("image/png", PNG_1X1.base64)));
    assert.equal(stored.attrs.type, "result");

    const event = await bob.waitFor((el) => !!eventItems(el, AVATAR_METADATA), "avatar metadata notification");
    // Conversions run before the vCard result is sent; after a round trip of bob's every
    // notification has arrived. Exactly one: the conversion did not echo back and forth.
    await sync(bob);
    assert.equal(bob.received.filter((el) => !!eventItems(el, AVATAR_METADATA)).length, 1);
    assert.equal(event.attrs.from, "alice@localhost");
    const item = eventItems(event, AVATAR_METADATA)!.getChild("item")!;
    assert.equal(item.attrs.id, PNG_1X1.sha1);
    const info = item.getChild("metadata", AVATAR_METADATA)!.getChild("info")!;
    assert.equal(info.attrs.id, PNG_1X1.sha1);
    assert.equal(info.attrs.type, "image/png");
    assert.equal(info.attrs.bytes, String(PNG_1X1.bytes));

    const data = await bob.iq(itemsQuery(AVATAR_DATA, "alice@localhost", [PNG_1X1.sha1]));
    const [dataItem] = resultItems(data);
    assert.equal(dataItem?.attrs.id, PNG_1X1.sha1);
    const bytes = Buffer.from(dataItem!.getChild("data", AVATAR_DATA)!.text(), "base64");
    assert.equal(createHash("sha1").update(bytes).digest("hex"), PNG_1X1.sha1, "the fetched bytes hash to the announced id");

    // §4: the server adds the hash to the presence the client sends without one.
    await alice.send(xml("presence", {}, xml("status", {}, "new picture")));
    const presence = await bob.waitFor((el) => el.is("presence") && el.getChildText("status") === "new picture", "alice's presence update");
    assert.equal(photoHashIn(presence), PNG_1X1.sha1);
    // …and to directed presence (§4: "such as MUC joins").
    await alice.send(xml("presence", { to: bob.jid }, xml("status", {}, "directed")));
    const directed = await bob.waitFor((el) => el.is("presence") && el.getChildText("status") === "directed", "directed presence");
    assert.equal(photoHashIn(directed), PNG_1X1.sha1);

    // The vCard itself is what alice stored (the conversion did not rewrite it).
    const vcard = await vcardGet(alice);
    assert.equal(vcard.getChildText("FN"), "Alice");
    assert.equal(vcard.getChild("PHOTO")?.getChildText("BINVAL"), PNG_1X1.base64);
  });

  test("an XEP-0084 avatar published by a client becomes the vCard PHOTO, and disabling it removes the PHOTO", async () => {
    const carol = await login("carol", "mobile");
    await carol.iq(vcardSet(xml("FN", {}, "Carol"), xml("NICKNAME", {}, "caro")));

    await carol.iq(publish(AVATAR_DATA, JPEG_STUB.sha1, xml("data", { xmlns: AVATAR_DATA }, JPEG_STUB.base64)));
    await carol.iq(
      publish(AVATAR_METADATA, JPEG_STUB.sha1, xml("metadata", { xmlns: AVATAR_METADATA }, xml("info", { id: JPEG_STUB.sha1, type: "image/jpeg", bytes: String(JPEG_STUB.bytes) }))),
    );
    const vcard = await vcardGet(carol);
    assert.equal(vcard.getChildText("FN"), "Carol", "the other fields stay");
    assert.equal(vcard.getChildText("NICKNAME"), "caro");
    assert.equal(vcard.getChild("PHOTO")?.getChildText("TYPE"), "image/jpeg");
    assert.equal(vcard.getChild("PHOTO")?.getChildText("BINVAL"), JPEG_STUB.base64);

    // The presence hash follows the converted photo.
    await carol.send(xml("presence", {}, xml("status", {}, "with avatar")));
    const echo = await carol.waitFor((el) => el.is("presence") && el.getChildText("status") === "with avatar", "own presence echo");
    assert.equal(photoHashIn(echo), JPEG_STUB.sha1);

    // XEP-0084 §4.5: empty metadata disables the avatar.
    await carol.iq(publish(AVATAR_METADATA, "disabled", xml("metadata", { xmlns: AVATAR_METADATA })));
    const cleared = await vcardGet(carol);
    assert.equal(cleared.getChild("PHOTO"), undefined);
    assert.equal(cleared.getChildText("FN"), "Carol");
    await carol.send(xml("presence", {}, xml("status", {}, "no avatar")));
    const none = await carol.waitFor((el) => el.is("presence") && el.getChildText("status") === "no avatar", "own presence echo");
    assert.equal(photoHashIn(none), "", "XEP-0153: an empty photo means no avatar");
  });

  test("metadata whose data does not hash to the announced id leaves the vCard alone (§3.1 SHOULD verify) until the right data arrives", async () => {
    const dave = await login("dave", "laptop");
    await dave.iq(vcardSet(xml("FN", {}, "Dave")));
    await dave.iq(publish(AVATAR_DATA, PNG_1X1.sha1, xml("data", { xmlns: AVATAR_DATA }, JPEG_STUB.base64)));
    await dave.iq(publish(AVATAR_METADATA, PNG_1X1.sha1, xml("metadata", { xmlns: AVATAR_METADATA }, xml("info", { id: PNG_1X1.sha1, type: "image/png", bytes: "70" }))));
    const vcard = await vcardGet(dave);
    assert.equal(vcard.getChild("PHOTO"), undefined);
    assert.equal(vcard.getChildText("FN"), "Dave");

    // The correct bytes published after the metadata complete the conversion.
    await dave.iq(publish(AVATAR_DATA, PNG_1X1.sha1, xml("data", { xmlns: AVATAR_DATA }, PNG_1X1.base64)));
    const fixed = await vcardGet(dave);
    assert.equal(fixed.getChild("PHOTO")?.getChildText("BINVAL"), PNG_1X1.base64);
    assert.equal(fixed.getChild("PHOTO")?.getChildText("TYPE"), "image/png");
  });

  test("an empty photo the client sends is left as it is", async () => {
    const alice = await login("alice", "tablet");
    await alice.send(xml("presence", {}, xml("status", {}, "hidden avatar"), xml("x", { xmlns: VCARD_UPDATE }, xml("photo"))));
    const echo = await alice.waitFor((el) => el.is("presence") && el.getChildText("status") === "hidden avatar" && el.attrs.from === alice.jid, "own presence echo");
    assert.equal(photoHashIn(echo), "");
    // Without one, the stored photo's hash is added (alice's vCard photo from the test above).
    await alice.send(xml("presence", {}, xml("status", {}, "shown avatar")));
    const shown = await alice.waitFor((el) => el.is("presence") && el.getChildText("status") === "shown avatar" && el.attrs.from === alice.jid, "own presence echo");
    assert.equal(photoHashIn(shown), PNG_1X1.sha1);
  });
});
