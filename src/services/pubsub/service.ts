// The publish-subscribe service (XEP-0060) without XML. One instance serves many "services": the
// pubsub component is one service (named after its domain), and PEP (XEP-0163) is one service per
// account (named after the username), all in the same two stores. Every method takes the acting
// entity's bare JID and enforces the affiliation table (§4.1) and access models (§4.5); refusals
// are PubSubError values the adapters turn into stanza errors. Changes subscribers must hear about
// are handed to `onEvent` after they are stored.
import { randomBytes } from "node:crypto";
import type { MapStore } from "../../storage/types.js";
import { checkAccess, mayAccess, mayPublish, mayRetract } from "./access.js";
import { applyConfig, checkPreconditions, defaultNodeConfig, itemLimit } from "./config.js";
import { PubSubStore } from "./store.js";
import {
  PubSubError,
  type Affiliation,
  type ContactRelation,
  type Item,
  type NodeConfig,
  type NodeRecord,
  type PubSubEvent,
  type PubSubLimits,
  type RelationLookup,
  type Subscription,
} from "./types.js";

export interface PubSubServiceOptions {
  nodes: MapStore;
  items: MapStore;
  limits: PubSubLimits;
  /** The configuration new nodes of `service` start from. */
  defaults?: (service: string) => NodeConfig;
  /** The account that owns every node of `service` (PEP); undefined for a shared service. */
  implicitOwner?: (service: string) => string | undefined;
  /** Presence/roster relation of a requester to an owner (for the presence and roster access models). */
  relation?: RelationLookup;
  onEvent?: (ev: PubSubEvent) => void;
  /** Runs fn atomically (the storage backend's transaction): an item and its trimming commit together. */
  transaction?: <T>(fn: () => T) => T;
  now?: () => number;
}

export interface PublishRequest {
  /** The item id; generated when absent (§7.1.2). */
  id?: string;
  /** The serialized payload element (undefined: a notification without payload). */
  payload?: string;
  /** publish-options fields (§7.1.5): preconditions on an existing node, configuration of a new one. */
  options?: ReadonlyMap<string, string[]>;
  /** Create the node when it does not exist (the auto-create feature). */
  autoCreate?: boolean;
  /** The publishing resource, passed on with the event (XEP-0163 §4.3.1 replyto). */
  publisherFull?: string;
}

export interface PublishResult {
  node: NodeRecord;
  item: Item;
  created: boolean;
}

export interface ItemsQuery {
  /** At most this many of the newest items (§6.5.7). */
  max?: number;
  /** Only these items (§6.5.8); unknown ids are skipped. */
  ids?: readonly string[];
}

function newId(): string {
  return randomBytes(9).toString("base64url");
}

export class PubSubService {
  readonly store: PubSubStore;
  readonly limits: PubSubLimits;
  private lastSeq = 0;

  constructor(private readonly opts: PubSubServiceOptions) {
    this.store = new PubSubStore(opts.nodes, opts.items);
    this.limits = opts.limits;
  }

  // ---- Reading -----------------------------------------------------------------------------------

  defaults(service: string): NodeConfig {
    return this.opts.defaults?.(service) ?? defaultNodeConfig();
  }

  getNode(service: string, name: string): NodeRecord | undefined {
    return this.store.getNode(service, name, this.defaults(service));
  }

  listNodes(service: string): NodeRecord[] {
    return this.store.listNodes(service, this.defaults(service));
  }

  /** The requester's affiliation with a node: the implicit owner is always "owner". */
  affiliation(service: string, node: NodeRecord, jid: string): Affiliation {
    if (this.opts.implicitOwner?.(service) === jid) return "owner";
    return node.affiliations[jid] ?? "none";
  }

  /** The relation that decides the presence/roster access models: towards any owner of the node. */
  relationTo(service: string, node: NodeRecord, requester: string): ContactRelation | undefined {
    const owners = this.owners(service, node);
    let best: ContactRelation | undefined;
    for (const owner of owners) {
      const r = this.opts.relation?.(owner, requester);
      if (!r) continue;
      if (!best) best = { presence: r.presence, groups: r.groups ? [...r.groups] : undefined };
      else {
        best.presence ||= r.presence;
        if (r.groups) best.groups = [...(best.groups ?? []), ...r.groups];
      }
    }
    return best;
  }

  owners(service: string, node: NodeRecord): string[] {
    const out = Object.entries(node.affiliations).filter(([, a]) => a === "owner").map(([j]) => j);
    const implicit = this.opts.implicitOwner?.(service);
    if (implicit && !out.includes(implicit)) out.unshift(implicit);
    return out;
  }

  /** May `requester` see the node's items (retrieve, notifications, disco of the node)? */
  mayRetrieve(service: string, node: NodeRecord, requester: string): boolean {
    return mayAccess(node, this.affiliation(service, node, requester), this.relationTo(service, node, requester));
  }

  /** The same question when the caller already knows the relation (PEP reads the whole roster once per publish). */
  mayRetrieveWith(service: string, node: NodeRecord, requester: string, relation: ContactRelation | undefined): boolean {
    return mayAccess(node, this.affiliation(service, node, requester), relation);
  }

  /** §6.5: the items of a node, oldest first, subject to the access model. */
  getItems(service: string, nodeName: string, requester: string, query: ItemsQuery = {}): { node: NodeRecord; items: Item[] } {
    const node = this.requireNode(service, nodeName);
    checkAccess(node, this.affiliation(service, node, requester), this.relationTo(service, node, requester));
    let items = this.store.listItems(service, node);
    if (query.ids) {
      const wanted = new Set(query.ids);
      items = items.filter((i) => wanted.has(i.id));
    }
    if (query.max !== undefined) items = items.slice(Math.max(0, items.length - query.max));
    return { node, items };
  }

  /** The most recently published item, if any (no access check: callers decide who gets it). */
  lastItem(service: string, node: NodeRecord): Item | undefined {
    const items = this.store.listItems(service, node);
    return items[items.length - 1];
  }

  // ---- Owner use cases ---------------------------------------------------------------------------

  /** §8.1: creates a node (a generated name for an instant node), optionally configured. */
  createNode(service: string, name: string | undefined, actor: string, config?: ReadonlyMap<string, string[]>): NodeRecord {
    const implicit = this.opts.implicitOwner?.(service);
    if (implicit !== undefined && implicit !== actor) throw new PubSubError("forbidden");
    const nodeName = name ?? newId();
    if (nodeName === "") throw new PubSubError("bad-request", "nodeid-required");
    if (this.store.getNode(service, nodeName, this.defaults(service))) throw new PubSubError("conflict");
    if (this.countOwnedNodes(service, actor) >= this.limits.maxNodesPerOwner) throw new PubSubError("not-allowed", "max-nodes-exceeded");
    const base = this.defaults(service);
    const node: NodeRecord = {
      name: nodeName,
      config: config ? applyConfig(base, config, this.limits) : base,
      affiliations: implicit === actor ? {} : { [actor]: "owner" },
      subscriptions: [],
      created: this.now(),
      creator: actor,
    };
    this.store.putNode(service, node);
    return node;
  }

  /** §8.2.1: the node's configuration, for its owner. */
  getConfig(service: string, nodeName: string, actor: string): NodeRecord {
    const node = this.requireNode(service, nodeName);
    this.requireOwner(service, node, actor);
    return node;
  }

  /** §8.2.4: applies submitted configuration fields. */
  configure(service: string, nodeName: string, actor: string, values: ReadonlyMap<string, string[]>): NodeRecord {
    const node = this.requireNode(service, nodeName);
    this.requireOwner(service, node, actor);
    const before = node.config;
    node.config = applyConfig(node.config, values, this.limits);
    if (before.persistItems !== node.config.persistItems) {
      // Items move between storage and memory with the setting.
      const items = this.store.listItems(service, { ...node, config: before });
      this.store.clearItems(service, node.name);
      for (const item of items) this.store.putItem(service, node, item);
    }
    this.store.putNode(service, node);
    this.trim(service, node);
    this.emit({ kind: "config", service, node });
    return node;
  }

  /** §8.4: deletes a node; subscribers hear about it (with an optional redirect URI). */
  deleteNode(service: string, nodeName: string, actor: string, redirect?: string): NodeRecord {
    const node = this.requireNode(service, nodeName);
    this.requireOwner(service, node, actor);
    this.store.deleteNode(service, node.name);
    this.emit({ kind: "delete", service, node, redirect });
    return node;
  }

  /** §8.5: removes every item. */
  purge(service: string, nodeName: string, actor: string): NodeRecord {
    const node = this.requireNode(service, nodeName);
    this.requireOwner(service, node, actor);
    this.store.clearItems(service, node.name);
    this.emit({ kind: "purge", service, node });
    return node;
  }

  /** §8.8.1: every subscription of the node. */
  subscriptions(service: string, nodeName: string, actor: string): Subscription[] {
    const node = this.requireNode(service, nodeName);
    this.requireOwner(service, node, actor);
    return node.subscriptions.map((s) => ({ ...s }));
  }

  /** §8.8.2: sets subscription states ("none" removes). */
  setSubscriptions(service: string, nodeName: string, actor: string, changes: ReadonlyArray<{ jid: string; state: "subscribed" | "none" }>): void {
    const node = this.requireNode(service, nodeName);
    this.requireOwner(service, node, actor);
    for (const { jid, state } of changes) {
      const existing = node.subscriptions.findIndex((s) => s.jid === jid);
      if (state === "none") {
        if (existing >= 0) node.subscriptions.splice(existing, 1);
      } else if (existing < 0) node.subscriptions.push({ jid, subid: newId(), state: "subscribed" });
    }
    this.store.putNode(service, node);
  }

  /** §8.9.1: every affiliation of the node (the implicit owner included). */
  affiliations(service: string, nodeName: string, actor: string): Array<{ jid: string; affiliation: Affiliation }> {
    const node = this.requireNode(service, nodeName);
    this.requireOwner(service, node, actor);
    const out = Object.entries(node.affiliations).map(([jid, affiliation]) => ({ jid, affiliation }));
    const implicit = this.opts.implicitOwner?.(service);
    if (implicit && !out.some((a) => a.jid === implicit)) out.unshift({ jid: implicit, affiliation: "owner" });
    return out;
  }

  /**
   * §8.9.2: sets affiliations ("none" removes). A change that would leave the node without an
   * owner is refused as a whole (§8.9.2.4 leaves this to the service; an orphan node could never
   * be managed again). Outcasts lose their subscriptions.
   */
  setAffiliations(service: string, nodeName: string, actor: string, changes: ReadonlyArray<{ jid: string; affiliation: Affiliation }>): void {
    const node = this.requireNode(service, nodeName);
    this.requireOwner(service, node, actor);
    const implicit = this.opts.implicitOwner?.(service);
    const next: Record<string, Affiliation> = { ...node.affiliations };
    for (const { jid, affiliation } of changes) {
      if (jid === implicit) throw new PubSubError("not-acceptable", undefined, undefined, "the account owner's affiliation cannot change");
      if (affiliation === "none") delete next[jid];
      else next[jid] = affiliation;
    }
    if (!implicit && !Object.values(next).includes("owner")) throw new PubSubError("not-acceptable", undefined, undefined, "a node needs an owner");
    node.affiliations = next;
    node.subscriptions = node.subscriptions.filter((s) => next[bareOf(s.jid)] !== "outcast");
    this.store.putNode(service, node);
  }

  // ---- Publisher use cases -----------------------------------------------------------------------

  /** §7.1: publishes (or replaces) an item, creating the node first when asked to (auto-create). */
  publish(service: string, nodeName: string, actor: string, req: PublishRequest): PublishResult {
    let node = this.getNode(service, nodeName);
    let created = false;
    if (!node) {
      if (!req.autoCreate) throw new PubSubError("item-not-found");
      node = this.createNode(service, nodeName, actor, req.options);
      created = true;
    } else if (req.options && req.options.size > 0) {
      checkPreconditions(node.config, req.options, this.limits);
    }
    const affiliation = this.affiliation(service, node, actor);
    const subscribed = node.subscriptions.some((s) => bareOf(s.jid) === actor);
    if (!mayPublish(node, affiliation, subscribed)) throw new PubSubError("forbidden");
    if (req.payload !== undefined && Buffer.byteLength(req.payload) > this.limits.maxPayloadBytes) {
      throw new PubSubError("not-acceptable", "payload-too-big");
    }
    if (req.payload === undefined && (node.config.persistItems || node.config.deliverPayloads)) {
      throw new PubSubError("bad-request", "payload-required");
    }
    const now = this.now();
    const item: Item = { id: req.id ?? newId(), publisher: actor, payload: req.payload, published: now, seq: this.nextSeq(now) };
    const store = () => {
      this.store.putItem(service, node!, item);
      this.trim(service, node!);
    };
    if (this.opts.transaction) this.opts.transaction(store);
    else store();
    this.emit({ kind: "publish", service, node, item, publisherFull: req.publisherFull });
    return { node, item, created };
  }

  /** §7.2: deletes items; `notify` is the request's notify attribute (notify_retract decides when absent). */
  retract(service: string, nodeName: string, actor: string, ids: readonly string[], notify?: boolean): NodeRecord {
    const node = this.requireNode(service, nodeName);
    const affiliation = this.affiliation(service, node, actor);
    const subscribed = node.subscriptions.some((s) => bareOf(s.jid) === actor);
    const canPublish = mayPublish(node, affiliation, subscribed);
    const found: string[] = [];
    for (const id of ids) {
      const item = this.store.getItem(service, node, id);
      if (!item) throw new PubSubError("item-not-found");
      if (!mayRetract(affiliation, item.publisher === actor, canPublish)) throw new PubSubError("forbidden");
      found.push(id);
    }
    this.store.deleteItems(service, node, found);
    if (notify ?? node.config.notifyRetract) this.emit({ kind: "retract", service, node, ids: found });
    return node;
  }

  // ---- Subscriber use cases ----------------------------------------------------------------------

  /**
   * §6.1: subscribes `jid` (bare or full; its bare JID must be the requester's, §6.1.3.1). An
   * existing subscription of the same JID is returned again rather than duplicated.
   */
  subscribe(service: string, nodeName: string, requester: string, jid: string): { node: NodeRecord; subscription: Subscription } {
    if (bareOf(jid) !== requester) throw new PubSubError("bad-request", "invalid-jid");
    const node = this.requireNode(service, nodeName);
    checkAccess(node, this.affiliation(service, node, requester), this.relationTo(service, node, requester));
    let sub = node.subscriptions.find((s) => s.jid === jid);
    if (!sub) {
      sub = { jid, subid: newId(), state: "subscribed" };
      node.subscriptions.push(sub);
      this.store.putNode(service, node);
    }
    return { node, subscription: { ...sub } };
  }

  /** §6.2: removes a subscription. */
  unsubscribe(service: string, nodeName: string, requester: string, jid: string, subid?: string): NodeRecord {
    const node = this.requireNode(service, nodeName);
    if (bareOf(jid) !== requester && this.affiliation(service, node, requester) !== "owner") throw new PubSubError("forbidden");
    const i = node.subscriptions.findIndex((s) => s.jid === jid);
    if (i < 0) throw new PubSubError("unexpected-request", "not-subscribed");
    if (subid !== undefined && node.subscriptions[i]!.subid !== subid) throw new PubSubError("not-acceptable", "invalid-subid");
    node.subscriptions.splice(i, 1);
    this.store.putNode(service, node);
    return node;
  }

  /** §5.6: the requester's subscriptions (in one node, or across the service). */
  subscriptionsOf(service: string, requester: string, nodeName?: string): Array<{ node: string; subscription: Subscription }> {
    const nodes = nodeName !== undefined ? [this.requireNode(service, nodeName)] : this.listNodes(service);
    return nodes.flatMap((n) => n.subscriptions.filter((s) => bareOf(s.jid) === requester).map((s) => ({ node: n.name, subscription: { ...s } })));
  }

  /** §5.7: the requester's affiliations. */
  affiliationsOf(service: string, requester: string, nodeName?: string): Array<{ node: string; affiliation: Affiliation }> {
    const nodes = nodeName !== undefined ? [this.requireNode(service, nodeName)] : this.listNodes(service);
    return nodes.map((n) => ({ node: n.name, affiliation: this.affiliation(service, n, requester) })).filter((a) => a.affiliation !== "none");
  }

  /** Removes everything of a service (an account deleted). */
  deleteService(service: string): void {
    this.store.deleteService(service);
  }

  // ---- Internals ---------------------------------------------------------------------------------

  requireNode(service: string, name: string): NodeRecord {
    const node = this.getNode(service, name);
    if (!node) throw new PubSubError("item-not-found");
    return node;
  }

  private requireOwner(service: string, node: NodeRecord, actor: string): void {
    if (this.affiliation(service, node, actor) !== "owner") throw new PubSubError("forbidden");
  }

  private countOwnedNodes(service: string, actor: string): number {
    if (this.opts.implicitOwner?.(service) === actor) return this.store.countNodes(service);
    return this.listNodes(service).filter((n) => n.affiliations[actor] === "owner").length;
  }

  /** Drops the oldest items beyond the node's max_items (§7.1.2: the newest win). */
  private trim(service: string, node: NodeRecord): void {
    const items = this.store.listItems(service, node);
    const limit = itemLimit(node.config, this.limits);
    if (items.length > limit) this.store.deleteItems(service, node, items.slice(0, items.length - limit).map((i) => i.id));
  }

  private nextSeq(now: number): number {
    this.lastSeq = Math.max(this.lastSeq + 1, now * 1000);
    return this.lastSeq;
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  private emit(ev: PubSubEvent): void {
    this.opts.onEvent?.(ev);
  }
}

/** The bare part of a JID string (no validation: the adapters pass prepared JIDs). */
export function bareOf(jid: string): string {
  const slash = jid.indexOf("/");
  return slash < 0 ? jid : jid.slice(0, slash);
}
