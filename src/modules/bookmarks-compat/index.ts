// Bookmarks compatibility (XEP-0402 §5.3): clients using PEP Native Bookmarks (XEP-0402), private
// XML storage:bookmarks (XEP-0048 over XEP-0049) and the XEP-0048 PEP node all see one list.
// The XEP-0402 node holds it; see sync.ts for how the legacy views follow.
//
// References:
//   https://xmpp.org/extensions/xep-0402.html   §5.3 Compatibility, §6 the #compat features
//   https://xmpp.org/extensions/xep-0048.html   storage:bookmarks
//   https://xmpp.org/extensions/xep-0049.html   jabber:iq:private
//   https://xmpp.org/extensions/xep-0411.html   (deprecated) the conversion's privacy rules
//
// Loops: what this module publishes carries `byServer` and is ignored by its own observers, and
// the legacy PEP item is only republished when its content changes.
import type { SessionEvent, StanzaEvent } from "../../router/events.js";
import { Priority } from "../../router/priority.js";
import type { ServerModule } from "../../server/module-api.js";
import { isStanzaError, StanzaError } from "../../stanza/errors.js";
import { x } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";
import {
  PEP_ITEM_PUBLISHED,
  PEP_ITEMS_RETRACTED,
  PEP_NODE_CLEARED,
  type PepItemPublishedEvent,
  type PepItemsRetractedEvent,
  type PepNodeClearedEvent,
} from "../pep/api.js";
import { isLegacyStorage } from "./convert.js";
import { answer } from "./intercept.js";
import { BOOKMARKS_NS } from "./namespaces.js";
import { BookmarkSync } from "./sync.js";

const PRIVATE_QUERY = `${NS.PRIVATE}:query`;
/** XEP-0049 storage of one element is bounded as in the private module. */
const MAX_LEGACY_BYTES = 64 * 1024;

export const bookmarksCompatModule: ServerModule = {
  name: "bookmarks-compat",
  setup(ctx) {
    const sync = new BookmarkSync(ctx);
    ctx.addAccountFeature(BOOKMARKS_NS.COMPAT);
    ctx.addAccountFeature(BOOKMARKS_NS.COMPAT_PEP);

    // XEP-0049 get of storage:bookmarks: answered from the XEP-0402 node.
    ctx.hook<StanzaEvent>(`iq-get/self/${PRIVATE_QUERY}`, (ev) => {
      const children = ev.stanza.elements[0]?.elements ?? [];
      if (children.length !== 1 || !isLegacyStorage(children[0]!)) return undefined;
      sync.migratePrivateXml(ev.from.local);
      const view = sync.legacyView(ev.from.local);
      return answer(ctx, ev, isStanzaError(view) ? view : x("query", { xmlns: NS.PRIVATE }, view));
    }, Priority.FILTER);

    // XEP-0049 set of storage:bookmarks: a replacement list (§5.3.2). Other namespaces in the same
    // set are left in the query for the private module, which then sends the reply.
    ctx.hook<StanzaEvent>(`iq-set/self/${PRIVATE_QUERY}`, (ev) => {
      const query = ev.stanza.elements[0];
      const storages = query?.elements.filter(isLegacyStorage) ?? [];
      if (!query || storages.length === 0) return undefined;
      // The private module's own limit for one stored element, which this path bypasses.
      if (storages.some((el) => Buffer.byteLength(el.toString()) > MAX_LEGACY_BYTES)) return new StanzaError("not-acceptable", "too large");
      const user = ev.from.local;
      sync.migratePrivateXml(user);
      const failed = sync.replaceFromLegacy(user, storages.at(-1)!);
      if (failed) return failed;
      sync.refreshLegacyPep(user);
      if (storages.length === query.elements.length) return answer(ctx, ev, true);
      query.removeChildren(isLegacyStorage);
      return undefined;
    }, Priority.FILTER);

    // XEP-0402 changes made by clients: the XEP-0048 PEP node follows (#compat-pep).
    const nativeChanged = (ev: { username: string; node: string; byServer: boolean }) => {
      if (ev.node === BOOKMARKS_NS.NATIVE && !ev.byServer) observe(() => sync.refreshLegacyPep(ev.username));
      return undefined;
    };
    ctx.hook<PepItemPublishedEvent>(PEP_ITEM_PUBLISHED, (ev) => {
      // A XEP-0048 PEP client published its whole list: update the XEP-0402 items to match.
      if (ev.node === BOOKMARKS_NS.LEGACY && !ev.byServer && ev.item.payload && isLegacyStorage(ev.item.payload)) {
        const storage = ev.item.payload;
        observe(() => {
          const failed = sync.replaceFromLegacy(ev.username, storage);
          if (failed) ctx.log.warn({ username: ev.username, condition: failed.condition }, "legacy PEP bookmarks not converted");
        });
        return undefined;
      }
      return nativeChanged(ev);
    });
    ctx.hook<PepItemsRetractedEvent>(PEP_ITEMS_RETRACTED, nativeChanged);
    ctx.hook<PepNodeClearedEvent>(PEP_NODE_CLEARED, nativeChanged);

    // XEP-0411 §4: move bookmarks stored before this module ran before a PEP client asks for them.
    ctx.hook<SessionEvent>("resource-bind", ({ session }) => {
      if (session.jid) observe(() => sync.migratePrivateXml(session.jid!.local));
      return undefined;
    });
    ctx.hook<{ username: string }>("user-deleted", ({ username }) => {
      sync.forget(username);
      return undefined;
    });

    /** Observers run inside other modules' handlers: a failure here must not fail their request. */
    function observe(fn: () => void): void {
      try {
        fn();
      } catch (err) {
        ctx.log.error({ err }, "bookmark conversion failed");
      }
    }
  },
};

