// What the PEP handlers share: the domain service (one pubsub service per account, keyed by
// username), the caps cache, the presence interest index, and the two questions every
// notification asks — who gets it (XEP-0163 §4) and what a newly-available resource is owed
// (§4.3.4, the last published items).
import type { ModuleContext } from "../../server/module-api.js";
import { defaultNodeConfig } from "../../services/pubsub/config.js";
import { bareOf, PubSubService } from "../../services/pubsub/service.js";
import { ITEMS_STORE, NODES_STORE } from "../../services/pubsub/store.js";
import type { NodeRecord, PubSubEvent } from "../../services/pubsub/types.js";
import { ROSTER_STORE, ROSTER_VERSION_STORE, RosterService } from "../../services/roster.js";
import { x, type Element } from "../../xml/element.js";
import { parseFragment } from "../../xml/fragment.js";
import { eventElement, notification, publishEvent } from "../pubsub/items.js";
import { pubsubLimits } from "../pubsub/limits.js";
import { PUBSUB_NS } from "../pubsub/ns.js";
import { rosterRelation } from "../pubsub/relation.js";
import {
  PEP_ITEM_PUBLISHED,
  PEP_ITEMS_RETRACTED,
  PEP_NODE_CLEARED,
  type PepItemPublishedEvent,
  type PepItemsRetractedEvent,
  type PepNodeClearedEvent,
} from "./api.js";
import { AudienceCache } from "./audience.js";
import { CapsCache, capsKey, capsOf, type CapsRef } from "./caps.js";
import { PresenceInterest } from "./interest.js";

export const CAPS_STORE = "pep-caps";

export class PepEnv {
  readonly service: PubSubService;
  readonly roster: RosterService;
  readonly caps: CapsCache;
  readonly interest = new PresenceInterest();
  readonly audience: AudienceCache;
  /** Set while a server module acts through the API (observers see byServer). */
  serverActing = false;

  constructor(readonly ctx: ModuleContext) {
    this.roster = new RosterService(ctx.map(ROSTER_STORE), ctx.keyval(ROSTER_VERSION_STORE));
    this.caps = new CapsCache(ctx, ctx.keyval(CAPS_STORE));
    this.audience = new AudienceCache(this.roster);
    this.service = new PubSubService({
      nodes: ctx.map(NODES_STORE),
      items: ctx.map(ITEMS_STORE),
      limits: pubsubLimits(ctx.config),
      // XEP-0163 §5: presence access, last item on subscription and presence, payloads delivered.
      defaults: () => defaultNodeConfig({ accessModel: "presence", sendLastPublishedItem: "on_sub_and_presence", maxItems: 1 }),
      implicitOwner: (user) => this.ownerJid(user),
      relation: rosterRelation(this.roster, ctx.host),
      onEvent: (ev) => this.onEvent(ev),
      transaction: (fn) => ctx.storage.transaction(fn),
    });
  }

  ownerJid(user: string): string {
    return `${user}@${this.ctx.host}`;
  }

  /** Does the resource want `node` (non-negative priority and +notify in its caps)? */
  private sessionWants(presence: Element | undefined, priority: number, node: string): boolean {
    return presence !== undefined && priority >= 0 && this.caps.wants(capsOf(presence), node);
  }

  /**
   * §4.3.2: where a notification about `node` goes, each recipient with whether it shares
   * presence with the owner: the owner's interested resources, the interested resources of
   * contacts with a presence subscription that the access model admits, and explicit
   * subscriptions (a bare one only when none of its resources got it already).
   */
  recipients(user: string, node: NodeRecord): Map<string, { presence: boolean }> {
    const out = new Map<string, { presence: boolean }>();
    const covered = new Set<string>();
    const owner = this.ownerJid(user);
    for (const s of this.ctx.sessions.forUser(user)) {
      if (s.jid && this.sessionWants(s.presence, s.priority, node.name)) {
        out.set(s.jid.toString(), { presence: true });
        covered.add(owner);
      }
    }
    for (const { jid: contact, groups } of this.audience.get(user)) {
      if (!this.service.mayRetrieveWith(user, node, contact, { presence: true, groups })) continue;
      for (const full of this.interestedResources(user, contact, node.name)) {
        out.set(full, { presence: true });
        covered.add(contact);
      }
    }
    for (const sub of node.subscriptions) {
      const bare = bareOf(sub.jid);
      if ((sub.jid === bare && covered.has(bare)) || out.has(sub.jid)) continue;
      if (this.service.mayRetrieve(user, node, bare)) out.set(sub.jid, { presence: covered.has(bare) });
    }
    return out;
  }

  /** A contact's resources that want `node`: local sessions as they are, remote ones as their presence told us. */
  private interestedResources(user: string, contact: string, node: string): string[] {
    const out: string[] = [];
    // Roster keys are prepared bare JIDs, so a suffix test tells local contacts without re-preparing.
    const localSuffix = "@" + this.ctx.host;
    if (contact.endsWith(localSuffix)) {
      const local = contact.slice(0, -localSuffix.length);
      if (!this.ctx.sessions.isOnline(local)) return out;
      for (const s of this.ctx.sessions.forUser(local)) {
        if (s.jid && this.sessionWants(s.presence, s.priority, node)) out.push(s.jid.toString());
      }
    } else {
      for (const [full, caps] of this.interest.resources(user, contact)) if (this.caps.wants(caps, node)) out.push(full);
    }
    return out;
  }

  /**
   * §4.3.4: a resource just became available (or changed its caps): send it the last item of
   * every node it wants and may see, when the node sends last items on presence.
   */
  sendLastItems(user: string, full: string, caps: CapsRef): void {
    const nodes = this.caps.notifyNodes(capsKey(caps));
    if (!nodes) return;
    const requester = bareOf(full);
    const owner = this.ownerJid(user);
    for (const name of nodes) {
      const node = this.service.getNode(user, name);
      if (!node || node.config.sendLastPublishedItem !== "on_sub_and_presence" || !node.config.deliverNotifications) continue;
      if (!this.service.mayRetrieve(user, node, requester)) continue;
      const last = this.service.lastItem(user, node);
      if (last) this.ctx.route(notification(owner, full, publishEvent(node, last), node, last));
    }
  }

  private onEvent(ev: PubSubEvent): void {
    const user = ev.service;
    const event = eventElement(ev);
    if (event) {
      const from = this.ownerJid(user);
      // §4.3.1: entities sharing presence with the owner learn which resource published (XEP-0033 replyto).
      const replyTo = ev.kind === "publish" && ev.publisherFull ? replyToAddress(ev.publisherFull) : undefined;
      for (const [to, { presence }] of this.recipients(user, ev.node)) {
        const msg = notification(from, to, event.clone(), ev.node);
        if (replyTo && presence) msg.append(replyTo.clone());
        this.ctx.route(msg);
      }
    }
    this.observe(ev);
  }

  /** Tells the other modules (api.ts observations). */
  private observe(ev: PubSubEvent): void {
    const byServer = this.serverActing;
    const username = ev.service;
    const node = ev.node.name;
    switch (ev.kind) {
      case "publish": {
        const payload = ev.item.payload === undefined ? undefined : parseFragment(ev.item.payload);
        const item = { id: ev.item.id, publisher: ev.item.publisher, payload, published: new Date(ev.item.published) };
        this.ctx.fire<PepItemPublishedEvent>(PEP_ITEM_PUBLISHED, { username, node, item, byServer });
        break;
      }
      case "retract":
        this.ctx.fire<PepItemsRetractedEvent>(PEP_ITEMS_RETRACTED, { username, node, ids: [...ev.ids], byServer });
        break;
      case "purge":
      case "delete":
        this.ctx.fire<PepNodeClearedEvent>(PEP_NODE_CLEARED, { username, node, deleted: ev.kind === "delete", byServer });
        break;
      case "config":
        break;
    }
  }
}

function replyToAddress(jid: string): Element {
  return x("addresses", { xmlns: PUBSUB_NS.ADDRESS }, x("address", { type: "replyto", jid }));
}
