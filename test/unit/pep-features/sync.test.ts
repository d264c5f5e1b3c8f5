// The conversion engines against a recording stand-in for PEP (the pep module's bus API), to pin
// down what they publish and write: nothing twice, nothing when nothing changed.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { silentLogger } from "../../../src/log/logger.js";
import { AvatarSync } from "../../../src/modules/avatar-conversion/sync.js";
import { AVATAR_NS } from "../../../src/modules/avatar-conversion/namespaces.js";
import { BookmarkSync } from "../../../src/modules/bookmarks-compat/sync.js";
import { BOOKMARKS_NS } from "../../../src/modules/bookmarks-compat/namespaces.js";
import { PEP_ITEMS, PEP_PUBLISH, PEP_RETRACT, type PepItem, type PepItemsRequest, type PepPublishRequest, type PepRetractRequest } from "../../../src/modules/pep/api.js";
import type { ModuleContext } from "../../../src/server/module-api.js";
import { StanzaError } from "../../../src/stanza/errors.js";
import { openMemoryStorage } from "../../../src/storage/memory/index.js";
import type { KeyValueStore } from "../../../src/storage/types.js";
import { type Element, x } from "../../../src/xml/element.js";
import { parseFragment } from "../../../src/xml/fragment.js";
import { JPEG_STUB, PNG_1X1 } from "./fixtures.js";

const DOMAIN = "example.com";

/** Nodes and items per account, answering the PEP request events; every request is recorded. */
class RecordingPep {
  readonly nodes = new Map<string, PepItem[]>();
  readonly publishes: PepPublishRequest[] = [];
  readonly retracts: PepRetractRequest[] = [];

  fire(event: string, payload: unknown): unknown {
    if (event === PEP_PUBLISH) return this.publish(payload as PepPublishRequest);
    if (event === PEP_ITEMS) return this.items(payload as PepItemsRequest);
    if (event === PEP_RETRACT) return this.retract(payload as PepRetractRequest);
    return undefined;
  }

  private key(username: string, node: string): string {
    return username + "\n" + node;
  }

  private publish(req: PepPublishRequest) {
    this.publishes.push(req);
    const id = req.id ?? String(this.publishes.length);
    const list = (this.nodes.get(this.key(req.username, req.node)) ?? []).filter((i) => i.id !== id);
    list.push({ id, publisher: `${req.username}@${DOMAIN}`, payload: req.payload.clone(), published: new Date() });
    this.nodes.set(this.key(req.username, req.node), list);
    return { ok: true, id };
  }

  private items(req: PepItemsRequest) {
    const list = this.nodes.get(this.key(req.username, req.node));
    if (!list) return { ok: false, error: new StanzaError("item-not-found") };
    let items = req.ids ? list.filter((i) => req.ids!.includes(i.id)) : list;
    if (req.max !== undefined) items = items.slice(-req.max);
    return { ok: true, items: items.map((i) => ({ ...i, payload: i.payload?.clone() })) };
  }

  private retract(req: PepRetractRequest) {
    this.retracts.push(req);
    const k = this.key(req.username, req.node);
    this.nodes.set(k, (this.nodes.get(k) ?? []).filter((i) => !req.ids.includes(i.id)));
    return { ok: true };
  }
}

function context(pep: RecordingPep): { ctx: ModuleContext; vcards: KeyValueStore<string> } {
  const storage = openMemoryStorage();
  const ctx = {
    host: DOMAIN,
    log: silentLogger(),
    fire: (event: string, payload: unknown) => pep.fire(event, payload),
    keyval: (name: string) => storage.keyval(DOMAIN, name),
    map: (name: string) => storage.map(DOMAIN, name),
  } as unknown as ModuleContext;
  return { ctx, vcards: storage.keyval<string>(DOMAIN, "vcard") };
}

function vcard(inner: string): Element {
  return parseFragment(`<vCard xmlns='vcard-temp'>${inner}</vCard>`)!;
}

const PNG_PHOTO = `<PHOTO><TYPE>image/png</TYPE><BINVAL>${PNG_1X1.base64}</BINVAL></PHOTO>`;

describe("AvatarSync", () => {
  test("a vCard photo publishes data then metadata once; the same photo again publishes nothing", () => {
    const pep = new RecordingPep();
    const sync = new AvatarSync(context(pep).ctx);
    sync.fromVcard("romeo", vcard(`<FN>R</FN>${PNG_PHOTO}`));
    assert.deepEqual(pep.publishes.map((p) => [p.node, p.id]), [
      [AVATAR_NS.DATA, PNG_1X1.sha1],
      [AVATAR_NS.METADATA, PNG_1X1.sha1],
    ]);
    sync.fromVcard("romeo", vcard(`<FN>Romeo</FN>${PNG_PHOTO}`));
    assert.equal(pep.publishes.length, 2, "unchanged photo: no second publish");
    assert.equal(sync.photoHash("romeo"), PNG_1X1.sha1);
  });

  test("a vCard without photo disables a published avatar, and publishes nothing when there was none", () => {
    const pep = new RecordingPep();
    const sync = new AvatarSync(context(pep).ctx);
    sync.fromVcard("juliet", vcard("<FN>J</FN>"));
    assert.equal(pep.publishes.length, 0);
    sync.fromVcard("juliet", vcard(PNG_PHOTO));
    sync.fromVcard("juliet", vcard("<FN>J</FN>"));
    const last = pep.publishes.at(-1)!;
    assert.equal(last.node, AVATAR_NS.METADATA);
    assert.equal(last.payload.elements.length, 0, "empty metadata");
    assert.equal(sync.photoHash("juliet"), null);
  });

  test("client metadata writes the PHOTO into the stored vCard, keeps the other fields and never publishes back", () => {
    const pep = new RecordingPep();
    const { ctx, vcards } = context(pep);
    vcards.set("romeo", "<vCard xmlns='vcard-temp'><FN>Romeo</FN></vCard>");
    const sync = new AvatarSync(ctx);
    assert.equal(sync.photoHash("romeo"), null);
    pep.fire(PEP_PUBLISH, { username: "romeo", node: AVATAR_NS.DATA, id: JPEG_STUB.sha1, payload: x("data", { xmlns: AVATAR_NS.DATA }, JPEG_STUB.base64) });
    const metadata = x("metadata", { xmlns: AVATAR_NS.METADATA }, x("info", { id: JPEG_STUB.sha1, type: "image/jpeg", bytes: "12" }));
    const before = pep.publishes.length;
    sync.fromMetadata("romeo", JPEG_STUB.sha1, metadata);
    const stored = parseFragment(vcards.get("romeo")!)!;
    assert.equal(stored.getChildText("FN"), "Romeo");
    assert.equal(stored.getChild("PHOTO")?.getChildText("BINVAL"), JPEG_STUB.base64);
    assert.equal(sync.photoHash("romeo"), JPEG_STUB.sha1, "the presence hash follows at once");
    assert.equal(pep.publishes.length, before, "PEP → vCard publishes nothing");
  });
});

describe("BookmarkSync", () => {
  const legacy = (inner: string) => parseFragment(`<storage xmlns='storage:bookmarks'>${inner}</storage>`)!;

  test("a replacement list publishes only changes and retracts what is gone", () => {
    const pep = new RecordingPep();
    const sync = new BookmarkSync(context(pep).ctx);
    assert.equal(sync.replaceFromLegacy("romeo", legacy("<conference jid='a@muc.example' name='A'/><conference jid='b@muc.example' name='B'/>")), undefined);
    assert.deepEqual(pep.publishes.map((p) => p.id), ["a@muc.example", "b@muc.example"]);
    assert.equal(pep.publishes[0]!.options?.["pubsub#access_model"], "whitelist", "XEP-0411 §5: private node");
    sync.replaceFromLegacy("romeo", legacy("<conference jid='a@muc.example' name='A'/><conference jid='b@muc.example' name='B2'/>"));
    assert.deepEqual(pep.publishes.map((p) => p.id), ["a@muc.example", "b@muc.example", "b@muc.example"]);
    sync.replaceFromLegacy("romeo", legacy("<conference jid='b@muc.example' name='B2'/>"));
    assert.deepEqual(pep.retracts.map((r) => [...r.ids]), [["a@muc.example"]]);
    assert.equal(pep.retracts[0]!.notify, true);
  });

  test("the legacy PEP item is republished only when its content changes", () => {
    const pep = new RecordingPep();
    const sync = new BookmarkSync(context(pep).ctx);
    sync.refreshLegacyPep("juliet");
    assert.equal(pep.publishes.length, 0, "no bookmarks, no legacy node");
    sync.replaceFromLegacy("juliet", legacy("<conference jid='a@muc.example' name='A'><nick>J</nick></conference><url name='w' url='https://w.example/'/>"));
    sync.refreshLegacyPep("juliet");
    const legacyPublishes = () => pep.publishes.filter((p) => p.node === BOOKMARKS_NS.LEGACY);
    assert.equal(legacyPublishes().length, 1);
    assert.equal(legacyPublishes()[0]!.id, "current");
    assert.ok(legacyPublishes()[0]!.payload.getChild("url"), "kept-aside url bookmarks are in the legacy view");
    sync.refreshLegacyPep("juliet");
    assert.equal(legacyPublishes().length, 1, "same content: not republished");
  });
});
