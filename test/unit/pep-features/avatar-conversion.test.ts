// XEP-0398 conversions between vCard PHOTO (XEP-0153) and PEP avatars (XEP-0084), and the
// presence hash the server stamps (XEP-0398 §4).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decodeBase64 } from "../../../src/modules/avatar-conversion/avatar.js";
import { AVATAR_NS } from "../../../src/modules/avatar-conversion/namespaces.js";
import { avatarFromData, dataPayload, metadataIntent, metadataPayload } from "../../../src/modules/avatar-conversion/pep-avatar.js";
import { stampPhotoHash } from "../../../src/modules/avatar-conversion/presence-hash.js";
import { vcardPhoto, withPhoto } from "../../../src/modules/avatar-conversion/vcard-photo.js";
import { x } from "../../../src/xml/element.js";
import { parseFragment } from "../../../src/xml/fragment.js";
import { JPEG_STUB, PNG_1X1 } from "./fixtures.js";

function vcard(xml: string) {
  return parseFragment(`<vCard xmlns='vcard-temp'>${xml}</vCard>`)!;
}

describe("vCard PHOTO → avatar", () => {
  test("a PHOTO with TYPE and line-folded BINVAL gives the bytes, type and SHA-1 id", () => {
    const folded = PNG_1X1.base64.slice(0, 40) + "\n  " + PNG_1X1.base64.slice(40);
    const avatar = vcardPhoto(vcard(`<FN>Romeo</FN><PHOTO><TYPE>image/png</TYPE><BINVAL>${folded}</BINVAL></PHOTO>`));
    assert.ok(avatar);
    assert.equal(avatar.id, PNG_1X1.sha1);
    assert.equal(avatar.type, "image/png");
    assert.equal(avatar.bytes.length, PNG_1X1.bytes);
  });

  test("a PHOTO without TYPE gets its type from the image's magic number", () => {
    assert.equal(vcardPhoto(vcard(`<PHOTO><BINVAL>${PNG_1X1.base64}</BINVAL></PHOTO>`))?.type, "image/png");
    assert.equal(vcardPhoto(vcard(`<PHOTO><BINVAL>${JPEG_STUB.base64}</BINVAL></PHOTO>`))?.type, "image/jpeg");
  });

  test("no PHOTO, an EXTVAL-only PHOTO, an empty or non-base64 BINVAL are all 'no avatar'", () => {
    assert.equal(vcardPhoto(vcard("<FN>Romeo</FN>")), undefined);
    assert.equal(vcardPhoto(vcard("<PHOTO><EXTVAL>https://example.com/a.png</EXTVAL></PHOTO>")), undefined);
    assert.equal(vcardPhoto(vcard("<PHOTO><TYPE>image/png</TYPE><BINVAL></BINVAL></PHOTO>")), undefined);
    assert.equal(vcardPhoto(vcard("<PHOTO><TYPE>image/png</TYPE><BINVAL>not*base64!</BINVAL></PHOTO>")), undefined);
    assert.equal(vcardPhoto(undefined), undefined);
  });

  test("strict base64: wrong padding or alphabet is refused", () => {
    assert.equal(decodeBase64("abc"), undefined);
    assert.equal(decodeBase64("ab=c"), undefined);
    assert.equal(decodeBase64("YWJj")?.toString(), "abc");
  });
});

describe("avatar → vCard PHOTO", () => {
  test("withPhoto replaces the PHOTO and keeps every other field", () => {
    const before = vcard(`<FN>Romeo</FN><PHOTO><TYPE>image/jpeg</TYPE><BINVAL>${JPEG_STUB.base64}</BINVAL></PHOTO><NICKNAME>R</NICKNAME>`);
    const png = vcardPhoto(vcard(`<PHOTO><TYPE>image/png</TYPE><BINVAL>${PNG_1X1.base64}</BINVAL></PHOTO>`))!;
    const after = withPhoto(before, png);
    assert.equal(after.getChildText("FN"), "Romeo");
    assert.equal(after.getChildText("NICKNAME"), "R");
    assert.equal(after.getChildren("PHOTO").length, 1);
    assert.equal(after.getChild("PHOTO")!.getChildText("TYPE"), "image/png");
    assert.equal(after.getChild("PHOTO")!.getChildText("BINVAL"), PNG_1X1.base64);
    assert.equal(vcardPhoto(after)?.id, PNG_1X1.sha1, "round trip");
    assert.equal(before.getChild("PHOTO")!.getChildText("TYPE"), "image/jpeg", "the input is not modified");
  });

  test("withPhoto(undefined avatar) removes the PHOTO; with no vCard a new one is made", () => {
    const cleared = withPhoto(vcard(`<FN>R</FN><PHOTO><BINVAL>${PNG_1X1.base64}</BINVAL></PHOTO>`), undefined);
    assert.equal(cleared.getChild("PHOTO"), undefined);
    assert.equal(cleared.getChildText("FN"), "R");
    const fresh = withPhoto(undefined, vcardPhoto(vcard(`<PHOTO><BINVAL>${PNG_1X1.base64}</BINVAL></PHOTO>`)));
    assert.equal(fresh.name, "vCard");
    assert.equal(fresh.attrs.xmlns, "vcard-temp");
  });
});

describe("XEP-0084 payloads", () => {
  const png = () => vcardPhoto(vcard(`<PHOTO><TYPE>image/png</TYPE><BINVAL>${PNG_1X1.base64}</BINVAL></PHOTO>`))!;

  test("data and metadata payloads carry the base64 bytes and one info with bytes, id and type", () => {
    const data = dataPayload(png());
    assert.equal(data.attrs.xmlns, AVATAR_NS.DATA);
    assert.equal(data.getText(), PNG_1X1.base64);
    const info = metadataPayload(png()).getChild("info")!;
    assert.deepEqual(info.attrs, { bytes: String(PNG_1X1.bytes), id: PNG_1X1.sha1, type: "image/png" });
    assert.equal(metadataPayload(undefined).elements.length, 0, "no avatar: empty metadata (XEP-0084 §4.5)");
  });

  test("metadataIntent picks the info without url, preferring the one the item id names", () => {
    const meta = parseFragment(
      `<metadata xmlns='${AVATAR_NS.METADATA}'>` +
        `<info id='${JPEG_STUB.sha1}' bytes='12' type='image/jpeg' url='https://cdn.example/a.jpg'/>` +
        `<info id='${JPEG_STUB.sha1.replace("e", "a")}' bytes='12' type='image/gif'/>` +
        `<info id='${PNG_1X1.sha1}' bytes='70' type='image/png'/></metadata>`,
    )!;
    assert.deepEqual(metadataIntent(meta, PNG_1X1.sha1), { kind: "inline", info: { id: PNG_1X1.sha1, type: "image/png" } });
    assert.equal((metadataIntent(meta, "other") as { info: { type: string } }).info.type, "image/gif", "first inline when the item id names none");
  });

  test("metadataIntent: empty metadata disables, url-only infos are external, other payloads are ignored", () => {
    assert.deepEqual(metadataIntent(x("metadata", { xmlns: AVATAR_NS.METADATA }), "x"), { kind: "disabled" });
    const external = x("metadata", { xmlns: AVATAR_NS.METADATA }, x("info", { id: PNG_1X1.sha1, url: "https://e/a.png", type: "image/png", bytes: "70" }));
    assert.deepEqual(metadataIntent(external, PNG_1X1.sha1), { kind: "external-only" });
    assert.equal(metadataIntent(x("nick", { xmlns: "http://jabber.org/protocol/nick" }), "x"), undefined);
  });

  test("avatarFromData accepts the bytes only when their SHA-1 is the announced id", () => {
    const data = x("data", { xmlns: AVATAR_NS.DATA }, PNG_1X1.base64);
    assert.equal(avatarFromData(data, { id: PNG_1X1.sha1, type: "image/png" })?.bytes.length, PNG_1X1.bytes);
    assert.equal(avatarFromData(data, { id: JPEG_STUB.sha1, type: "image/jpeg" }), undefined, "hash mismatch");
    assert.equal(avatarFromData(x("data", { xmlns: AVATAR_NS.DATA }, "%%%"), { id: PNG_1X1.sha1, type: "image/png" }), undefined);
  });
});

describe("presence hash (XEP-0398 §4)", () => {
  const update = (p: ReturnType<typeof x>) => p.getChild("x", AVATAR_NS.VCARD_UPDATE)?.getChild("photo")?.getText();

  test("a presence without an update element gets one with the hash, or an empty photo when there is no avatar", () => {
    const p = x("presence", null, x("show", null, "away"));
    assert.equal(stampPhotoHash(p, PNG_1X1.sha1), true);
    assert.equal(update(p), PNG_1X1.sha1);
    const q = x("presence");
    stampPhotoHash(q, null);
    assert.equal(update(q), "");
  });

  test("an update element without photo is completed (MUST overwrite)", () => {
    const p = x("presence", null, x("x", { xmlns: AVATAR_NS.VCARD_UPDATE }));
    stampPhotoHash(p, PNG_1X1.sha1);
    assert.equal(update(p), PNG_1X1.sha1);
  });

  test("an empty photo from the client is never touched", () => {
    const p = x("presence", null, x("x", { xmlns: AVATAR_NS.VCARD_UPDATE }, x("photo")));
    assert.equal(stampPhotoHash(p, PNG_1X1.sha1), false);
    assert.equal(update(p), "");
  });

  test("a stale hash is replaced by the stored one; with nothing stored the client's hash stands", () => {
    const stale = x("presence", null, x("x", { xmlns: AVATAR_NS.VCARD_UPDATE }, x("photo", null, JPEG_STUB.sha1)));
    assert.equal(stampPhotoHash(stale, PNG_1X1.sha1), true);
    assert.equal(update(stale), PNG_1X1.sha1);
    const only = x("presence", null, x("x", { xmlns: AVATAR_NS.VCARD_UPDATE }, x("photo", null, JPEG_STUB.sha1)));
    assert.equal(stampPhotoHash(only, null), false);
    assert.equal(update(only), JPEG_STUB.sha1);
    assert.equal(only.getChildren("x").length, 1, "never a second update element");
  });
});
