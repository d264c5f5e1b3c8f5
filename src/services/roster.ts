// Rosters and presence subscription states without XML (RFC 6121 §2, §3, Appendix A).
//
// One roster per account, kept in the "roster" map store keyed by the contact's bare JID, and a
// version counter per account in the "roster-version" keyval store (RFC 6121 §2.6, XEP-0237). The
// roster and presence modules both work through RosterService; the subscription state machine is
// a set of pure functions over four flags, which is all Appendix A's tables encode:
//   to         the user receives the contact's presence   (subscription "to" or "both")
//   from       the contact receives the user's presence   (subscription "from" or "both")
//   pendingOut the user asked the contact and awaits an answer (ask="subscribe")
//   pendingIn  the contact asked the user and awaits an answer (never visible to clients)
import type { Json, KeyValueStore, MapStore } from "../storage/types.js";

export type Subscription = "none" | "to" | "from" | "both";

export interface RosterItem {
  name?: string;
  subscription: Subscription;
  /** Pending out (RFC 6121 §2.1.2.2). */
  ask?: "subscribe";
  /** Subscription pre-approval (§3.4). chatctl does not offer it, so this is only ever read back. */
  approved?: boolean;
  groups: string[];
  /** An inbound subscription request the user has not answered yet (§3.1.3). */
  pendingIn?: boolean;
  /** That request as the presence module stored it, to re-deliver at each initial presence (opaque here). */
  pendingStanza?: Json;
  /**
   * The record exists only to remember an inbound request: the user never added the contact, so
   * it is not part of the roster clients see (§3.1.3, "None + Pending In" without a roster item).
   */
  hidden?: boolean;
}

/** What a client sees changing: pushed to interested resources as `roster-item-changed`. */
export interface RosterChange {
  username: string;
  /** The contact's bare JID. */
  jid: string;
  /** The item as now visible, or undefined when it left the visible roster (push subscription="remove"). */
  item: RosterItem | undefined;
  /** The roster version after the change. */
  version: string;
}

/** Fired on the host bus after every visible roster change (payload RosterChange). */
export const ROSTER_ITEM_CHANGED = "roster-item-changed";

export const ROSTER_STORE = "roster";
export const ROSTER_VERSION_STORE = "roster-version";

/** The version of a roster nothing was ever written to. */
const EMPTY_VERSION = "0";

export class RosterService {
  constructor(
    private readonly items: MapStore,
    private readonly versions: KeyValueStore,
  ) {}

  get(user: string, contact: string): RosterItem | undefined {
    const raw = this.items.get(user, contact);
    return raw === undefined ? undefined : decodeItem(raw);
  }

  /** Every record, hidden ones included. */
  all(user: string): Map<string, RosterItem> {
    const out = new Map<string, RosterItem>();
    for (const [jid, raw] of this.items.getAll(user)) {
      const item = decodeItem(raw);
      if (item) out.set(jid, item);
    }
    return out;
  }

  /** The roster as clients see it (§2.1.3: no records of unanswered requests from strangers). */
  visible(user: string): Array<[string, RosterItem]> {
    return [...this.all(user)].filter(([, item]) => !item.hidden);
  }

  version(user: string): string {
    const v = this.versions.get(user);
    return typeof v === "number" ? String(v) : EMPTY_VERSION;
  }

  /**
   * Writes (undefined deletes) and returns the change clients must be told about, or undefined when
   * nothing they see changed (hidden records, pending-in bookkeeping). Only visible changes move
   * the version, so a cached roster stays valid across invisible ones.
   */
  put(user: string, contact: string, item: RosterItem | undefined): RosterChange | undefined {
    const before = this.get(user, contact);
    this.items.set(user, contact, item === undefined ? undefined : encodeItem(item));
    const seenBefore = before && !before.hidden ? visibleKey(before) : undefined;
    const seenAfter = item && !item.hidden ? visibleKey(item) : undefined;
    if (seenBefore === seenAfter) return undefined;
    return { username: user, jid: contact, item: seenAfter === undefined ? undefined : item, version: this.bump(user) };
  }

  deleteUser(user: string): void {
    this.items.deleteUser(user);
    this.versions.set(user, undefined);
  }

  /**
   * Versions only grow. A roster without a stored counter starts from the clock, so an account
   * deleted and created again never hands out a version a client cached for the old one.
   */
  private bump(user: string): string {
    const prev = this.versions.get(user);
    const next = typeof prev === "number" ? prev + 1 : Math.max(1, Date.now());
    this.versions.set(user, next);
    return String(next);
  }
}

/** A fresh item for a contact the user had no record of. */
export function newItem(): RosterItem {
  return { subscription: "none", groups: [] };
}

// ---- Subscription state machine (RFC 6121 Appendix A) ------------------------------------------

export type SubscriptionType = "subscribe" | "subscribed" | "unsubscribe" | "unsubscribed";

interface Flags {
  to: boolean;
  from: boolean;
  pendingOut: boolean;
  pendingIn: boolean;
}

function flags(item: RosterItem | undefined): Flags {
  const sub = item?.subscription ?? "none";
  return {
    to: sub === "to" || sub === "both",
    from: sub === "from" || sub === "both",
    pendingOut: item?.ask === "subscribe",
    pendingIn: item?.pendingIn === true,
  };
}

function subscriptionOf(f: Flags): Subscription {
  return f.to ? (f.from ? "both" : "to") : f.from ? "from" : "none";
}

/** Applies new flags to an item; undefined when nothing is left worth keeping (a hidden record with no request). */
function withFlags(item: RosterItem | undefined, f: Flags, show: boolean): RosterItem | undefined {
  const next: RosterItem = { ...(item ?? newItem()), subscription: subscriptionOf(f) };
  if (f.pendingOut) next.ask = "subscribe";
  else delete next.ask;
  if (f.pendingIn) next.pendingIn = true;
  else {
    delete next.pendingIn;
    delete next.pendingStanza;
  }
  if (f.from) delete next.approved; // a granted subscription needs no pre-approval
  if (show) delete next.hidden;
  else if (item === undefined) next.hidden = true;
  if (next.hidden && !f.pendingIn && !f.pendingOut && next.subscription === "none") return undefined;
  return next;
}

export interface OutboundResult {
  /** The record afterwards (undefined: delete it). */
  item: RosterItem | undefined;
  /** Whether the record changed at all. */
  changed: boolean;
  /** Route the stanza to the contact (Appendix A.2 "route?"). */
  route: boolean;
  /** The contact no longer receives the user's presence: send it unavailable from every available resource (§3.2.2). */
  lostFrom: boolean;
}

/**
 * The user's server processing a subscription stanza its own client sent (Appendix A.2; §3.1.2,
 * §3.1.5, §3.2.2, §3.3.2). Pre-approval is not offered, so a "subscribed" without a pending
 * request changes nothing and is not routed (§3.4.1: a server without pre-approval ignores it).
 */
export function outbound(type: SubscriptionType, item: RosterItem | undefined): OutboundResult {
  const f = flags(item);
  const n = { ...f };
  let route = true;
  let show = false;
  switch (type) {
    case "subscribe":
      // A.2.1: always routed (the contact's server may have lost its state); adds the contact.
      if (!f.to) n.pendingOut = true;
      show = true;
      break;
    case "unsubscribe":
      // A.2.2: always routed.
      n.to = false;
      n.pendingOut = false;
      break;
    case "subscribed":
      // A.2.3: only an answer to a pending request does anything; approving adds the contact.
      if (f.pendingIn && !f.from) {
        n.from = true;
        n.pendingIn = false;
        show = true;
      } else route = false;
      break;
    case "unsubscribed":
      // A.2.4: cancels a granted subscription or denies a pending request.
      if (f.from || f.pendingIn) {
        n.from = false;
        n.pendingIn = false;
      } else if (item?.approved) {
        // §3.4.3: cancelling a pre-approval is not routed.
        const { approved: _cancelled, ...rest } = item;
        return { item: rest, changed: true, route: false, lostFrom: false };
      } else route = false;
      break;
  }
  return settle(item, f, n, show, route);
}

export interface InboundResult extends OutboundResult {
  /** Deliver the stanza to the user's available resources (Appendix A.3 "deliver?"). */
  deliver: boolean;
  /** Answer "subscribed" on the user's behalf: the contact already has a subscription (§3.1.3). */
  autoReply: boolean;
}

/**
 * The user's server processing a subscription stanza a contact sent to the user (Appendix A.3;
 * §3.1.3, §3.1.6, §3.2.3, §3.3.3). `route` is always false here.
 */
export function inbound(type: SubscriptionType, item: RosterItem | undefined): InboundResult {
  const f = flags(item);
  const n = { ...f };
  let deliver = false;
  let autoReply = false;
  switch (type) {
    case "subscribe":
      // A.3.1: already approved → answer for the user; already pending → nothing new to show.
      if (f.from) autoReply = true;
      else if (!f.pendingIn) {
        n.pendingIn = true;
        deliver = true;
      }
      break;
    case "subscribed":
      // A.3.3: only an answer to the user's pending request counts.
      if (f.pendingOut) {
        n.to = true;
        n.pendingOut = false;
        deliver = true;
      }
      break;
    case "unsubscribe":
      // A.3.2: the contact withdraws its request or cancels its subscription.
      if (f.from || f.pendingIn) {
        n.from = false;
        n.pendingIn = false;
        deliver = true;
      }
      break;
    case "unsubscribed":
      // A.3.4: the contact denies the user's request or cancels the user's subscription.
      if (f.to || f.pendingOut) {
        n.to = false;
        n.pendingOut = false;
        deliver = true;
      }
      break;
  }
  return { ...settle(item, f, n, false, false), deliver, autoReply };
}

function settle(item: RosterItem | undefined, f: Flags, n: Flags, show: boolean, route: boolean): OutboundResult {
  const same = f.to === n.to && f.from === n.from && f.pendingOut === n.pendingOut && f.pendingIn === n.pendingIn;
  const lostFrom = f.from && !n.from;
  if (same && !(show && item?.hidden)) return { item, changed: false, route, lostFrom };
  return { item: withFlags(item, n, show), changed: true, route, lostFrom };
}

// ---- Storage encoding ---------------------------------------------------------------------------

const SUBSCRIPTIONS: readonly string[] = ["none", "to", "from", "both"];

export function isSubscription(s: string | undefined): s is Subscription {
  return s !== undefined && SUBSCRIPTIONS.includes(s);
}

function encodeItem(item: RosterItem): Json {
  const out: { [key: string]: Json } = { subscription: item.subscription, groups: [...item.groups] };
  if (item.name !== undefined) out.name = item.name;
  if (item.ask) out.ask = item.ask;
  if (item.approved) out.approved = true;
  if (item.pendingIn) out.pendingIn = true;
  if (item.pendingStanza !== undefined) out.pendingStanza = item.pendingStanza;
  if (item.hidden) out.hidden = true;
  return out;
}

/** Reads a stored record defensively: a damaged record must not take the roster down. */
function decodeItem(raw: Json): RosterItem | undefined {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return undefined;
  const sub = typeof raw.subscription === "string" && isSubscription(raw.subscription) ? raw.subscription : "none";
  const groups = Array.isArray(raw.groups) ? raw.groups.filter((g): g is string => typeof g === "string") : [];
  const item: RosterItem = { subscription: sub, groups };
  if (typeof raw.name === "string") item.name = raw.name;
  if (raw.ask === "subscribe") item.ask = "subscribe";
  if (raw.approved === true) item.approved = true;
  if (raw.pendingIn === true) item.pendingIn = true;
  if (raw.pendingStanza !== undefined) item.pendingStanza = raw.pendingStanza;
  if (raw.hidden === true) item.hidden = true;
  return item;
}

/** What clients can see of an item; equal keys mean no push is due. */
function visibleKey(item: RosterItem): string {
  return JSON.stringify([item.name ?? null, item.subscription, item.ask ?? null, item.approved === true, item.groups]);
}
