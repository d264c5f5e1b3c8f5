// Roster items on the wire (RFC 6121 §2.1.2): rendering stored items, and reading the single item
// of a roster set with the error conditions of §2.3.3.
import { Jid } from "../../jid/jid.js";
import { isSubscription, type RosterItem } from "../../services/roster.js";
import { StanzaError } from "../../stanza/errors.js";
import { type Element, x } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";

/** The "server-configured limit" of §2.3.3 for item names and group names, in UTF-8 bytes. */
export const MAX_NAME_BYTES = 1024;

/** An item as a client sees it; without an item, the "remove" push of §2.5.2. */
export function renderItem(jid: string, item: RosterItem | undefined): Element {
  if (!item) return x("item", { jid, subscription: "remove" });
  return x(
    "item",
    { jid, name: item.name, subscription: item.subscription, ask: item.ask, approved: item.approved ? "true" : undefined },
    item.groups.map((g) => x("group", null, g)),
  );
}

export type RosterSet =
  | { kind: "remove"; jid: Jid }
  | { kind: "update"; jid: Jid; name: string | undefined; groups: string[] };

/** Reads a roster set's <query/>, or the StanzaError §2.3.3 prescribes. */
export function parseRosterSet(query: Element): RosterSet | StanzaError {
  const items = inRosterNs(query, "item");
  if (items.length !== 1) return new StanzaError("bad-request", "a roster set carries exactly one item");
  const item = items[0]!;
  const jidAttr = item.attrs.jid;
  if (jidAttr === undefined) return new StanzaError("bad-request", "the item has no 'jid'");
  const parsed = Jid.tryParse(jidAttr);
  if (!parsed) return new StanzaError("jid-malformed", "the item's 'jid' is not a valid JID");
  // Items are kept per bare JID: that is what subscriptions and presence are about.
  const jid = parsed.bare();

  const sub = item.attrs.subscription;
  if (sub === "remove") return { kind: "remove", jid };
  // §2.1.2.5: a roster set may only remove; the state values are ignored (clients echo them back),
  // anything else is not a subscription value at all.
  if (sub !== undefined && !isSubscription(sub)) return new StanzaError("bad-request", "'subscription' may only be 'remove' in a roster set");

  const name = item.attrs.name === "" ? undefined : item.attrs.name;
  if (name !== undefined && Buffer.byteLength(name) > MAX_NAME_BYTES) return new StanzaError("not-acceptable", "the item name is too long");

  const groups: string[] = [];
  for (const g of inRosterNs(item, "group")) {
    const text = g.getText();
    if (text === "") return new StanzaError("bad-request", "empty group name");
    if (Buffer.byteLength(text) > MAX_NAME_BYTES) return new StanzaError("not-acceptable", "a group name is too long");
    if (groups.includes(text)) return new StanzaError("bad-request", "duplicate group");
    groups.push(text);
  }
  return { kind: "update", jid, name, groups };
}

/** Children in the roster namespace (inherited, or declared again). */
function inRosterNs(el: Element, name: string): Element[] {
  return el.getChildren(name).filter((c) => c.attrs.xmlns === undefined || c.attrs.xmlns === NS.ROSTER);
}
