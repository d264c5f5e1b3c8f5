// Where nodes and items live. One map store per kind:
//   pubsub-nodes  user = the service (component domain, or the PEP account's username), key = node name
//   pubsub-items  user = service + "\n" + node, key = item id
// A newline can appear in neither a domain nor a username (nodeprep forbids control characters),
// so the items key is unambiguous and one node's items are read with one getAll. Items of nodes
// configured with persist_items=false stay in memory only.
import type { Json, MapStore } from "../../storage/types.js";
import { decodeConfig } from "./config.js";
import { AFFILIATIONS, type Affiliation, type Item, type NodeConfig, type NodeRecord, type Subscription } from "./types.js";

export const NODES_STORE = "pubsub-nodes";
export const ITEMS_STORE = "pubsub-items";

export function itemsKey(service: string, node: string): string {
  return `${service}\n${node}`;
}

export class PubSubStore {
  /** Items of non-persistent nodes: items key → id → item. */
  private readonly volatile = new Map<string, Map<string, Item>>();

  constructor(
    private readonly nodes: MapStore,
    private readonly items: MapStore,
  ) {}

  getNode(service: string, name: string, defaults: NodeConfig): NodeRecord | undefined {
    const raw = this.nodes.get(service, name);
    return raw === undefined ? undefined : decodeNode(name, raw, defaults);
  }

  listNodes(service: string, defaults: NodeConfig): NodeRecord[] {
    const out: NodeRecord[] = [];
    for (const [name, raw] of this.nodes.getAll(service)) {
      const node = decodeNode(name, raw, defaults);
      if (node) out.push(node);
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  countNodes(service: string): number {
    return this.nodes.getAll(service).size;
  }

  putNode(service: string, node: NodeRecord): void {
    this.nodes.set(service, node.name, encodeNode(node));
  }

  deleteNode(service: string, name: string): void {
    this.nodes.set(service, name, undefined);
    this.clearItems(service, name);
  }

  /** Every item of a node, oldest first. */
  listItems(service: string, node: NodeRecord): Item[] {
    const key = itemsKey(service, node.name);
    const out: Item[] = [];
    const persistent = this.items.getAll(key);
    for (const [id, raw] of persistent) {
      const item = decodeItem(id, raw);
      if (item) out.push(item);
    }
    for (const item of this.volatile.get(key)?.values() ?? []) if (!persistent.has(item.id)) out.push(item);
    return out.sort((a, b) => a.seq - b.seq);
  }

  getItem(service: string, node: NodeRecord, id: string): Item | undefined {
    const key = itemsKey(service, node.name);
    const raw = this.items.get(key, id);
    if (raw !== undefined) return decodeItem(id, raw);
    return this.volatile.get(key)?.get(id);
  }

  putItem(service: string, node: NodeRecord, item: Item): void {
    const key = itemsKey(service, node.name);
    if (node.config.persistItems) {
      this.items.set(key, item.id, encodeItem(item));
      this.volatile.get(key)?.delete(item.id);
    } else {
      let m = this.volatile.get(key);
      if (!m) this.volatile.set(key, (m = new Map()));
      m.set(item.id, item);
    }
  }

  deleteItems(service: string, node: NodeRecord, ids: readonly string[]): void {
    const key = itemsKey(service, node.name);
    if (ids.length === 0) return;
    this.items.setMany(key, ids.map((id) => [id, undefined] as [string, Json | undefined]));
    const m = this.volatile.get(key);
    if (m) for (const id of ids) m.delete(id);
  }

  clearItems(service: string, name: string): void {
    const key = itemsKey(service, name);
    this.items.deleteUser(key);
    this.volatile.delete(key);
  }

  /** Removes a whole service (an account's PEP when the account is deleted). */
  deleteService(service: string): void {
    for (const name of this.nodes.getAll(service).keys()) this.clearItems(service, name);
    this.nodes.deleteUser(service);
  }
}

function encodeNode(node: NodeRecord): Json {
  return {
    config: { ...node.config, rosterGroupsAllowed: [...node.config.rosterGroupsAllowed] } as unknown as Json,
    affiliations: { ...node.affiliations },
    subscriptions: node.subscriptions.map((s) => ({ jid: s.jid, subid: s.subid, state: s.state })),
    created: node.created,
    creator: node.creator,
  };
}

function decodeNode(name: string, raw: Json, defaults: NodeConfig): NodeRecord | undefined {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return undefined;
  const affiliations: Record<string, Affiliation> = {};
  const rawAff = raw.affiliations;
  if (rawAff && typeof rawAff === "object" && !Array.isArray(rawAff)) {
    for (const [jid, a] of Object.entries(rawAff)) {
      if (typeof a === "string" && (AFFILIATIONS as readonly string[]).includes(a) && a !== "none") affiliations[jid] = a as Affiliation;
    }
  }
  const subscriptions: Subscription[] = [];
  if (Array.isArray(raw.subscriptions)) {
    for (const s of raw.subscriptions) {
      if (s && typeof s === "object" && !Array.isArray(s) && typeof s.jid === "string" && typeof s.subid === "string") {
        subscriptions.push({ jid: s.jid, subid: s.subid, state: "subscribed" });
      }
    }
  }
  return {
    name,
    config: decodeConfig(raw.config, defaults),
    affiliations,
    subscriptions,
    created: typeof raw.created === "number" ? raw.created : 0,
    creator: typeof raw.creator === "string" ? raw.creator : "",
  };
}

function encodeItem(item: Item): Json {
  const out: { [k: string]: Json } = { publisher: item.publisher, published: item.published, seq: item.seq };
  if (item.payload !== undefined) out.payload = item.payload;
  return out;
}

function decodeItem(id: string, raw: Json): Item | undefined {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return undefined;
  return {
    id,
    publisher: typeof raw.publisher === "string" ? raw.publisher : "",
    payload: typeof raw.payload === "string" ? raw.payload : undefined,
    published: typeof raw.published === "number" ? raw.published : 0,
    seq: typeof raw.seq === "number" ? raw.seq : 0,
  };
}
