// The namespaces of the bookmark formats this module unifies (XEP-0402, XEP-0048, XEP-0049).
export const BOOKMARKS_NS = {
  /** XEP-0402: the PEP node, and the namespace of each item's <conference/>. */
  NATIVE: "urn:xmpp:bookmarks:1",
  /** XEP-0048: one <storage/> holding every bookmark (in private XML or a PEP item 'current'). */
  LEGACY: "storage:bookmarks",
  /** XEP-0402 §5.3: private XML (XEP-0049) and XEP-0402 see the same bookmarks. */
  COMPAT: "urn:xmpp:bookmarks:1#compat",
  /** XEP-0402 §5.3: the XEP-0048 PEP node and XEP-0402 see the same bookmarks. */
  COMPAT_PEP: "urn:xmpp:bookmarks:1#compat-pep",
} as const;

/** XEP-0048 §3.3 / XEP-0223: the one item of the legacy PEP node. */
export const LEGACY_ITEM_ID = "current";
