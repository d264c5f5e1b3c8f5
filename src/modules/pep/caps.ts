// Entity capabilities (XEP-0115) of clients, for PEP's notification filtering (XEP-0163 §4.2):
// which "<node>+notify" features a client advertises. A client's presence carries
// <c node ver hash/>; an unknown 'ver' is resolved once with a disco#info query to that client,
// the answer is verified against the hash (§5.4) and cached by hash:ver for every client that
// advertises the same one — in memory (bounded) and in the "pep-caps" keyval store, so a restart
// does not cost every client a new query. Only the +notify node names are kept.
import type { StanzaEvent } from "../../router/events.js";
import type { ModuleContext } from "../../server/module-api.js";
import { iqType } from "../../stanza/stanza.js";
import type { KeyValueStore } from "../../storage/types.js";
import { x, type Element } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";
import { capsVer, supportedHash } from "./caps-hash.js";

export interface CapsRef {
  node: string;
  ver: string;
  /** undefined: legacy caps (before v1.4), which cannot be verified. */
  hash: string | undefined;
}

const NOTIFY_SUFFIX = "+notify";
/** Distinct caps kept in memory (the store keeps them all). */
const MEMORY_LIMIT = 10_000;
/** A client that has not answered the disco#info by then is asked again at its next presence. */
const QUERY_TIMEOUT_MS = 30_000;

/** The <c xmlns='http://jabber.org/protocol/caps'/> of a presence, if any. */
export function capsOf(presence: Element | undefined): CapsRef | undefined {
  const c = presence?.getChild("c", NS.CAPS);
  const node = c?.attrs.node;
  const ver = c?.attrs.ver;
  if (!c || node === undefined || ver === undefined || ver === "") return undefined;
  return { node, ver, hash: c.attrs.hash };
}

/** The cache key: hash:ver for verifiable caps (shared by all clients), node#ver for legacy ones. */
export function capsKey(c: CapsRef): string {
  return c.hash !== undefined ? `${c.hash}:${c.ver}` : `legacy:${c.node}#${c.ver}`;
}

/** The +notify nodes a disco#info result advertises. */
export function notifyNodes(query: Element): string[] {
  const out: string[] = [];
  for (const f of query.getChildren("feature")) {
    const v = f.attrs.var;
    if (v !== undefined && v.endsWith(NOTIFY_SUFFIX)) out.push(v.slice(0, -NOTIFY_SUFFIX.length));
  }
  return out;
}

interface Pending {
  key: string;
  caps: CapsRef;
  timer: NodeJS.Timeout;
}

export class CapsCache {
  private readonly memory = new Map<string, ReadonlySet<string>>();
  /** Keys known to be in neither memory nor the store (a publish checks every resource's caps). */
  private readonly absent = new Set<string>();
  /** Callbacks waiting for a key being resolved. */
  private readonly waiting = new Map<string, Array<() => void>>();
  /** Outstanding disco#info queries by IQ id. */
  private readonly queries = new Map<string, Pending>();
  private seq = 0;

  constructor(
    private readonly ctx: ModuleContext,
    private readonly store: KeyValueStore,
  ) {}

  /** The +notify nodes of known caps, or undefined while unknown. */
  notifyNodes(key: string): ReadonlySet<string> | undefined {
    const hit = this.memory.get(key);
    if (hit) return hit;
    if (this.absent.has(key)) return undefined;
    const stored = this.store.get(key);
    if (!Array.isArray(stored)) {
      if (this.absent.size >= MEMORY_LIMIT) this.absent.clear();
      this.absent.add(key);
      return undefined;
    }
    const set = new Set(stored.filter((s): s is string => typeof s === "string"));
    this.remember(key, set);
    return set;
  }

  /** Does the client with these caps want notifications of `node`? (false while unknown) */
  wants(caps: CapsRef | undefined, node: string): boolean {
    return caps !== undefined && (this.notifyNodes(capsKey(caps))?.has(node) ?? false);
  }

  /**
   * Calls `then` once the caps are known: at once when cached, else after asking `jid` (the
   * client that advertised them). Several clients with the same unknown caps cause one query.
   */
  ensure(jid: string, caps: CapsRef, then: () => void): void {
    const key = capsKey(caps);
    if (this.notifyNodes(key)) {
      then();
      return;
    }
    if (caps.hash !== undefined && !supportedHash(caps.hash)) return;
    const waiters = this.waiting.get(key);
    if (waiters) {
      waiters.push(then);
      return;
    }
    this.waiting.set(key, [then]);
    const id = `caps${(++this.seq).toString(36)}`;
    const timer = setTimeout(() => this.fail(id), QUERY_TIMEOUT_MS);
    timer.unref();
    this.queries.set(id, { key, caps, timer });
    this.ctx.route(x("iq", { type: "get", id, from: this.ctx.host, to: jid }, x("query", { xmlns: NS.DISCO_INFO, node: `${caps.node}#${caps.ver}` })));
  }

  /** `iq/host` observer: claims the answers to our queries. */
  onIq(ev: StanzaEvent): true | undefined {
    const id = ev.stanza.attrs.id;
    const pending = id === undefined ? undefined : this.queries.get(id);
    if (!pending || id === undefined) return undefined;
    const type = iqType(ev.stanza);
    if (type !== "result" && type !== "error") return undefined;
    this.queries.delete(id);
    clearTimeout(pending.timer);
    const query = ev.stanza.getChild("query", NS.DISCO_INFO);
    if (type === "error" || !query) {
      this.fail(undefined, pending.key);
      return true;
    }
    // §5.4: a hash that does not match what the client answers is not cached (caps poisoning).
    if (pending.caps.hash !== undefined && capsVer(query, pending.caps.hash) !== pending.caps.ver) {
      this.ctx.log.debug({ from: ev.from.toString(), ver: pending.caps.ver }, "caps hash does not match the disco#info answer");
      this.fail(undefined, pending.key);
      return true;
    }
    const nodes = notifyNodes(query);
    this.store.set(pending.key, nodes);
    this.remember(pending.key, new Set(nodes));
    const waiters = this.waiting.get(pending.key) ?? [];
    this.waiting.delete(pending.key);
    for (const w of waiters) {
      try {
        w();
      } catch (err) {
        this.ctx.log.error({ err }, "caps waiter failed");
      }
    }
    return true;
  }

  close(): void {
    for (const p of this.queries.values()) clearTimeout(p.timer);
    this.queries.clear();
    this.waiting.clear();
  }

  private fail(id: string | undefined, key?: string): void {
    if (id !== undefined) {
      const p = this.queries.get(id);
      if (!p) return;
      this.queries.delete(id);
      key = p.key;
    }
    if (key !== undefined) this.waiting.delete(key);
  }

  private remember(key: string, set: ReadonlySet<string>): void {
    this.absent.delete(key);
    this.memory.delete(key);
    this.memory.set(key, set);
    if (this.memory.size > MEMORY_LIMIT) this.memory.delete(this.memory.keys().next().value!);
  }
}
