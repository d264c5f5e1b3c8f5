// One bookmark list per account, kept in the XEP-0402 node (urn:xmpp:bookmarks:1, one item per
// room). The legacy views are derived from it: private XML storage:bookmarks (XEP-0049) is
// answered from it, and the XEP-0048 PEP node (storage:bookmarks, item 'current') is republished
// whenever it changes. Entries XEP-0402 cannot hold (<url/> bookmarks) are kept aside so a legacy
// client gets back what it stored.
import type { ModuleContext } from "../../server/module-api.js";
import { isStanzaError, type StanzaError } from "../../stanza/errors.js";
import { type Element, x } from "../../xml/element.js";
import { parseFragment } from "../../xml/fragment.js";
import { pepItems, pepPublish, pepRetract, type PepOptions, type PepResult } from "../pep/api.js";
import { type Bookmark, diffBookmarks, legacyStorage, nativePayload, parseLegacy, parseNative } from "./convert.js";
import { BOOKMARKS_NS, LEGACY_ITEM_ID } from "./namespaces.js";

/** XEP-0402 §3.2 publish-options: private (XEP-0223), persistent, as many items as rooms. */
const NATIVE_OPTIONS: PepOptions = {
  "pubsub#persist_items": "true",
  "pubsub#max_items": "max",
  "pubsub#send_last_published_item": "never",
  "pubsub#access_model": "whitelist",
};
/** XEP-0048 §3.3 publish-options for the one-item legacy node. */
const LEGACY_OPTIONS: PepOptions = { "pubsub#persist_items": "true", "pubsub#access_model": "whitelist" };
/**
 * On a node a client created with other (equally private) settings, the only precondition that
 * matters is privacy (XEP-0411 §5: the user must be the only one with access).
 */
const PRIVATE_ONLY: PepOptions = { "pubsub#access_model": "whitelist" };

/** Where bookmarks stored before this module existed lie: the private module's store and key. */
const PRIVATE_STORE = "private";
const PRIVATE_BOOKMARKS_KEY = `${BOOKMARKS_NS.LEGACY}:storage`;
/** username → serialized <storage/> of the entries XEP-0402 cannot hold. */
const EXTRAS_STORE = "bookmarks-legacy-extras";

export class BookmarkSync {
  private readonly extras;
  private readonly privateXml;

  constructor(private readonly ctx: ModuleContext) {
    this.extras = ctx.keyval<string>(EXTRAS_STORE);
    this.privateXml = ctx.map<string>(PRIVATE_STORE);
  }

  /** The XEP-0402 bookmarks of an account (none when the node does not exist yet). */
  bookmarks(username: string): Bookmark[] | StanzaError {
    const res = pepItems(this.ctx, { username, node: BOOKMARKS_NS.NATIVE });
    if (!res.ok) return res.error.condition === "item-not-found" ? [] : res.error;
    const out: Bookmark[] = [];
    for (const item of res.items) {
      const b = parseNative(item.id, item.payload);
      if (b) out.push(b);
    }
    return out;
  }

  /** The XEP-0048 <storage/> a legacy client reads (§5.3.1). */
  legacyView(username: string): Element | StanzaError {
    const bookmarks = this.bookmarks(username);
    if (!Array.isArray(bookmarks)) return bookmarks;
    return legacyStorage(bookmarks, this.keptAside(username));
  }

  /**
   * A legacy client replaced its whole list (§5.3.2): publish what is new or changed, retract
   * what is gone (notifying the account's XEP-0402 clients), keep the url entries aside.
   */
  replaceFromLegacy(username: string, storage: Element): StanzaError | undefined {
    const current = this.bookmarks(username);
    if (!Array.isArray(current)) return current;
    const wanted = parseLegacy(storage);
    const changes = diffBookmarks(current, wanted.bookmarks);
    for (const b of changes.upsert) {
      const res = this.publishNative(username, b);
      if (!res.ok) return res.error;
    }
    if (changes.remove.length > 0) {
      const res = pepRetract(this.ctx, { username, node: BOOKMARKS_NS.NATIVE, ids: changes.remove, notify: true });
      if (!res.ok) return res.error;
    }
    this.extras.set(username, wanted.others.length ? x("storage", { xmlns: BOOKMARKS_NS.LEGACY }, wanted.others).toString() : undefined);
    return undefined;
  }

  /**
   * Republishes the XEP-0048 PEP item when it no longer matches (#compat-pep). Unchanged content
   * is not republished, which is also what ends the echo of our own publish.
   */
  refreshLegacyPep(username: string): void {
    const view = this.legacyView(username);
    if (isStanzaError(view)) return;
    const existing = pepItems(this.ctx, { username, node: BOOKMARKS_NS.LEGACY, ids: [LEGACY_ITEM_ID] });
    const before = existing.ok ? existing.items[0]?.payload : undefined;
    if (before && sameLegacy(before, view)) return;
    // Nothing to mirror and no legacy node yet: do not create one just to hold an empty list.
    if (!before && view.elements.length === 0) return;
    const res = publishWithFallback((options) => pepPublish(this.ctx, { username, node: BOOKMARKS_NS.LEGACY, id: LEGACY_ITEM_ID, payload: view, options }), LEGACY_OPTIONS);
    if (!res.ok) this.ctx.log.warn({ username, condition: res.error.condition }, "legacy PEP bookmarks not updated");
  }

  /**
   * Bookmarks stored through private XML before this module ran are moved into XEP-0402 once,
   * merged with what is there (XEP-0411 §4: before the first login, so PEP clients see them).
   */
  migratePrivateXml(username: string): void {
    const xml = this.privateXml.get(username, PRIVATE_BOOKMARKS_KEY);
    if (xml === undefined) return;
    const storage = parseFragment(xml);
    const current = this.bookmarks(username);
    if (!storage || !Array.isArray(current)) return;
    const legacy = parseLegacy(storage);
    const known = new Set(current.map((b) => b.jid));
    for (const b of legacy.bookmarks) {
      if (known.has(b.jid)) continue;
      const res = this.publishNative(username, b);
      if (!res.ok) {
        this.ctx.log.warn({ username, room: b.jid, condition: res.error.condition }, "legacy bookmark not migrated; will retry");
        return;
      }
    }
    if (legacy.others.length && this.extras.get(username) === undefined) {
      this.extras.set(username, x("storage", { xmlns: BOOKMARKS_NS.LEGACY }, legacy.others).toString());
    }
    this.privateXml.set(username, PRIVATE_BOOKMARKS_KEY, undefined);
    this.refreshLegacyPep(username);
  }

  forget(username: string): void {
    this.extras.set(username, undefined);
  }

  private publishNative(username: string, b: Bookmark): PepResult<{ id: string }> {
    return publishWithFallback((options) => pepPublish(this.ctx, { username, node: BOOKMARKS_NS.NATIVE, id: b.jid, payload: nativePayload(b), options }), NATIVE_OPTIONS);
  }

  private keptAside(username: string): Element[] {
    const xml = this.extras.get(username);
    return (xml && parseFragment(xml)?.elements) || [];
  }
}

/**
 * Publishes with the full options (they configure a node the publish creates); when an existing
 * node differs in some setting (precondition-not-met), once more requiring only privacy.
 */
function publishWithFallback(publish: (options: PepOptions) => PepResult<{ id: string }>, options: PepOptions): PepResult<{ id: string }> {
  const first = publish(options);
  if (first.ok || first.error.condition !== "conflict") return first;
  return publish(PRIVATE_ONLY);
}

function sameLegacy(a: Element, b: Element): boolean {
  return a.toString() === b.toString();
}
