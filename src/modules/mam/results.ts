// What a query sends back (XEP-0313 §4.2, §4.3): one <message/> per archived item, wrapping the
// original in a XEP-0297 <forwarded/> with its XEP-0203 <delay/>, then the IQ result's <fin/>
// with the XEP-0059 <set/>; and the archive metadata (§5).
import { randomBytes } from "node:crypto";
import type { ArchiveItem } from "../../storage/types.js";
import { type Element, x } from "../../xml/element.js";
import { parseFragment } from "../../xml/fragment.js";
import { NS } from "../../xml/ns.js";
import { ARCHIVE_NS } from "./ns.js";
import type { Page } from "./query.js";

/**
 * The result message for one item, or undefined when the stored stanza cannot be read back.
 * `from` is the archive's address as the client addressed it (absent for its own account).
 */
export function resultMessage(item: ArchiveItem, to: string, from: string | undefined, queryId: string | undefined): Element | undefined {
  const original = parseFragment(item.value);
  if (!original) return undefined;
  // Inside <forwarded/> the stanza would otherwise inherit urn:xmpp:forward:0 (and one that came
  // over a server-to-server stream is shown to the client in the client namespace).
  delete original.attrs.xmlns;
  original.attrs = { xmlns: NS.CLIENT, ...original.attrs };
  return x(
    "message",
    { to, from, id: randomBytes(9).toString("base64url") },
    x(
      "result",
      { xmlns: ARCHIVE_NS.MAM, queryid: queryId, id: item.key },
      x("forwarded", { xmlns: ARCHIVE_NS.FORWARD }, x("delay", { xmlns: NS.DELAY, stamp: item.when.toISOString() }), original),
    ),
  );
}

/** The IQ result payload: complete='true' only on the last page in the paging direction. */
export function finElement(page: Page): Element {
  const first = page.items[0];
  const last = page.items[page.items.length - 1];
  return x(
    "fin",
    { xmlns: ARCHIVE_NS.MAM, complete: page.complete ? "true" : undefined },
    x(
      "set",
      { xmlns: ARCHIVE_NS.RSM },
      first && x("first", { index: page.firstIndex === undefined ? undefined : String(page.firstIndex) }, first.key),
      last && x("last", null, last.key),
      page.count !== undefined && x("count", null, String(page.count)),
    ),
  );
}

/** §5 archive metadata: the first and last item (an empty archive has neither). */
export function metadataElement(first: ArchiveItem | undefined, last: ArchiveItem | undefined): Element {
  const point = (name: string, item: ArchiveItem | undefined) => item && x(name, { id: item.key, timestamp: item.when.toISOString() });
  return x("metadata", { xmlns: ARCHIVE_NS.MAM }, point("start", first), point("end", last));
}
