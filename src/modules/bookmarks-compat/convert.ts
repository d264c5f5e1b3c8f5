// Conversions between the two bookmark shapes:
//   XEP-0048  <storage xmlns='storage:bookmarks'><conference jid=… name=… autojoin=…>
//               <nick/><password/></conference><url/>…</storage>   (one element, all bookmarks)
//   XEP-0402  item id = room JID, <conference xmlns='urn:xmpp:bookmarks:1' name=… autojoin=…>
//               <nick/><password/><extensions/></conference>       (one item per room)
// XEP-0402 §5.3.1 describes the first direction ("casting them into the 'storage:bookmarks'
// namespace and setting the jid attribute to the item id"); §5.3.2 the second.
import { Jid } from "../../jid/jid.js";
import { type Element, x } from "../../xml/element.js";
import { BOOKMARKS_NS } from "./namespaces.js";

export interface Bookmark {
  /** The room's bare JID: the XEP-0402 item id, the XEP-0048 'jid' attribute. */
  jid: string;
  name?: string;
  autojoin: boolean;
  nick?: string;
  password?: string;
  /**
   * XEP-0402 <extensions/> children (client data to preserve). In XEP-0048 they are the
   * conference's children other than <nick/> and <password/>.
   */
  extensions: Element[];
}

export interface LegacyStorage {
  bookmarks: Bookmark[];
  /** <url/> bookmarks and anything else XEP-0402 has no place for, kept as they came. */
  others: Element[];
}

/** A XEP-0048 <storage xmlns='storage:bookmarks'/> element. */
export function isLegacyStorage(el: Element): boolean {
  return el.name === "storage" && el.attrs.xmlns === BOOKMARKS_NS.LEGACY;
}

/** XML Schema boolean (XEP-0402 and XEP-0048 both say "true" or "1"). */
function parseBoolean(value: string | undefined): boolean {
  return value === "true" || value === "1";
}

/** A room address as an item id: prepared, bare. undefined when it is not a JID. */
export function roomJid(value: string | undefined): string | undefined {
  const jid = Jid.tryParse(value?.trim());
  return jid ? jid.bare().toString() : undefined;
}

/**
 * Reads a XEP-0048 <storage/>. A conference without a usable 'jid' cannot become an XEP-0402 item
 * (its id is the JID) and is kept verbatim among `others`; a repeated JID keeps its first entry.
 */
export function parseLegacy(storage: Element): LegacyStorage {
  const bookmarks: Bookmark[] = [];
  const others: Element[] = [];
  const seen = new Set<string>();
  for (const child of storage.elements) {
    const jid = child.name === "conference" && (child.attrs.xmlns === undefined || child.attrs.xmlns === BOOKMARKS_NS.LEGACY) ? roomJid(child.attrs.jid) : undefined;
    if (!jid) {
      others.push(child.clone());
      continue;
    }
    if (seen.has(jid)) continue;
    seen.add(jid);
    bookmarks.push({
      jid,
      name: child.attrs.name,
      autojoin: parseBoolean(child.attrs.autojoin),
      nick: child.getChildText("nick"),
      password: child.getChildText("password"),
      extensions: child.elements.filter((c) => !isOwnField(c)).map((c) => inNamespace(c, BOOKMARKS_NS.LEGACY)),
    });
  }
  return { bookmarks, others };
}

/** <nick/> and <password/> in the bookmark's own namespace (not an extension that shares the name). */
function isOwnField(el: Element): boolean {
  return (el.name === "nick" || el.name === "password") && el.attrs.xmlns === undefined;
}

/**
 * A copy that names the namespace it inherited: an extension moves between a storage:bookmarks and
 * an urn:xmpp:bookmarks:1 parent, and must not silently change namespace on the way.
 */
function inNamespace(el: Element, inherited: string): Element {
  const copy = el.clone();
  if (copy.attrs.xmlns === undefined) copy.attrs = { xmlns: inherited, ...copy.attrs };
  return copy;
}

/** Builds a XEP-0048 <storage/> from bookmarks (XEP-0402 §5.3.1) and the entries kept aside. */
export function legacyStorage(bookmarks: readonly Bookmark[], others: readonly Element[] = []): Element {
  const storage = x("storage", { xmlns: BOOKMARKS_NS.LEGACY });
  for (const b of bookmarks) {
    storage.append(
      x(
        "conference",
        { jid: b.jid, name: b.name, autojoin: b.autojoin ? "true" : "false" },
        b.nick !== undefined && x("nick", null, b.nick),
        b.password !== undefined && x("password", null, b.password),
        b.extensions.map((e) => e.clone()),
      ),
    );
  }
  storage.append(...others.map((e) => e.clone()));
  return storage;
}

/** Reads one XEP-0402 item. undefined when the id is not a JID or the payload is not a bookmark. */
export function parseNative(itemId: string | undefined, conference: Element | undefined): Bookmark | undefined {
  const jid = roomJid(itemId);
  if (!jid || !conference || conference.name !== "conference" || conference.attrs.xmlns !== BOOKMARKS_NS.NATIVE) return undefined;
  return {
    jid,
    name: conference.attrs.name,
    autojoin: parseBoolean(conference.attrs.autojoin),
    nick: conference.getChildText("nick"),
    password: conference.getChildText("password"),
    extensions: (conference.getChild("extensions")?.elements ?? []).map((e) => inNamespace(e, BOOKMARKS_NS.NATIVE)),
  };
}

/** The XEP-0402 item payload of a bookmark (its id is `bookmark.jid`). */
export function nativePayload(b: Bookmark): Element {
  return x(
    "conference",
    { xmlns: BOOKMARKS_NS.NATIVE, name: b.name, autojoin: b.autojoin ? "true" : "false" },
    b.nick !== undefined && x("nick", null, b.nick),
    b.password !== undefined && x("password", null, b.password),
    b.extensions.length > 0 && x("extensions", null, b.extensions.map((e) => e.clone())),
  );
}

export interface BookmarkChanges {
  /** New or changed bookmarks, to publish. */
  upsert: Bookmark[];
  /** Room JIDs no longer bookmarked, to retract. */
  remove: string[];
}

/**
 * What turns `current` (the XEP-0402 items) into `wanted` (a replacement list from a legacy
 * client). Unchanged bookmarks are left out: XEP-0402 §5.3.2 "SHOULD NOT send notifications for
 * unchanged items". A legacy client that strips unknown elements would otherwise erase other
 * clients' extensions, so a wanted bookmark without any keeps the current ones.
 */
export function diffBookmarks(current: readonly Bookmark[], wanted: readonly Bookmark[]): BookmarkChanges {
  const byJid = new Map(current.map((b) => [b.jid, b]));
  const upsert: Bookmark[] = [];
  for (const w of wanted) {
    const existing = byJid.get(w.jid);
    const merged = existing && w.extensions.length === 0 ? { ...w, extensions: existing.extensions } : w;
    if (!existing || !sameBookmark(existing, merged)) upsert.push(merged);
  }
  const keep = new Set(wanted.map((b) => b.jid));
  const remove = current.filter((b) => !keep.has(b.jid)).map((b) => b.jid);
  return { upsert, remove };
}

export function sameBookmark(a: Bookmark, b: Bookmark): boolean {
  return a.jid === b.jid && nativePayload(a).toString() === nativePayload(b).toString();
}
