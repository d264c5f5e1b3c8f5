// What the presence handlers share: the host context, the roster, per-session directed-presence
// lists (module-owned, never fields on the session: STYLE-ANCHORS §4.5-1) and small stanza helpers.
import { Jid } from "../../jid/jid.js";
import type { ModuleContext } from "../../server/module-api.js";
import { ROSTER_ITEM_CHANGED, ROSTER_STORE, ROSTER_VERSION_STORE, RosterService, type RosterChange, type RosterItem } from "../../services/roster.js";
import { errorReply, type StanzaError } from "../../stanza/errors.js";
import type { KeyValueStore } from "../../storage/types.js";
import type { Session } from "../../stream/session.js";
import { type Element, x } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";

/**
 * The last-logout record the last-activity module (XEP-0012) keeps in its "lastlogout" keyval
 * store; probe answers for an offline account read it (RFC 6121 §4.3.2).
 */
interface LastLogout {
  at?: unknown;
  status?: unknown;
}
const LAST_LOGOUT_STORE = "lastlogout";

export class PresenceEnv {
  readonly roster: RosterService;
  private readonly lastLogout: KeyValueStore;
  /** Entities each session sent directed available presence to (RFC 6121 §4.6). */
  private readonly directed = new WeakMap<Session, Set<string>>();

  constructor(readonly ctx: ModuleContext) {
    this.roster = new RosterService(ctx.map(ROSTER_STORE), ctx.keyval(ROSTER_VERSION_STORE));
    this.lastLogout = ctx.keyval(LAST_LOGOUT_STORE);
  }

  /** The account's bare JID on this host. */
  account(user: string): Jid {
    return Jid.of(user, this.ctx.host);
  }

  /** Resources that sent initial presence and have not gone unavailable (§4.2: "available resources"). */
  available(user: string): Session[] {
    return this.ctx.sessions.forUser(user).filter((s) => s.presence !== undefined);
  }

  /** Writes a roster record; the roster module pushes the change when clients can see it. */
  saveItem(user: string, contact: string, item: RosterItem | undefined): void {
    const change = this.roster.put(user, contact, item);
    if (change) this.ctx.fire<RosterChange>(ROSTER_ITEM_CHANGED, change);
  }

  directedTargets(session: Session): Set<string> {
    let set = this.directed.get(session);
    if (!set) {
      set = new Set();
      this.directed.set(session, set);
    }
    return set;
  }

  /** Takes (and forgets) a session's directed-presence list. */
  takeDirected(session: Session): Set<string> {
    const set = this.directed.get(session) ?? new Set<string>();
    this.directed.delete(session);
    return set;
  }

  /** Sends each available resource's current presence to `to` (§3.1.5, §4.3.2). */
  sendCurrentPresence(user: string, to: Jid, send: (el: Element) => void = (el) => this.ctx.route(el)): number {
    let n = 0;
    for (const s of this.available(user)) {
      if (!s.jid || !s.presence) continue;
      send(addressed(s.presence, s.jid, to));
      n++;
    }
    return n;
  }

  /** Unavailable presence from each available resource to `to`, when `to` loses its subscription (§3.2.2, §3.3.3). */
  sendUnavailable(user: string, to: Jid): void {
    for (const s of this.available(user)) {
      if (s.jid) this.ctx.route(x("presence", { type: "unavailable", from: s.jid.toString(), to: to.toString() }));
    }
  }

  /** §4.3.2: what an account with no available resource answers a probe with. */
  lastUnavailable(user: string, to: Jid): Element {
    const pres = x("presence", { type: "unavailable", from: this.account(user).toString(), to: to.toString() });
    const last = this.lastLogout.get(user) as LastLogout | null | undefined;
    if (last && typeof last === "object") {
      if (typeof last.status === "string" && last.status !== "") pres.append(x("status", null, last.status));
      if (typeof last.at === "number" && Number.isFinite(last.at)) {
        pres.append(x("delay", { xmlns: NS.DELAY, from: this.ctx.host, stamp: new Date(last.at).toISOString() }));
      }
    }
    return pres;
  }

  /** An error reply for a stanza one of our own clients sent (RFC 6120 §8.3). */
  replyError(session: Session, stanza: Element, err: StanzaError): void {
    if (stanza.attrs.type === "error") return;
    const reply = errorReply(stanza, err);
    if (reply.attrs.from === undefined) delete reply.attrs.from;
    session.send(reply);
  }

  /** An error reply routed back to whoever sent a stanza to one of our accounts. */
  bounce(stanza: Element, err: StanzaError): void {
    if (stanza.attrs.type === "error" || stanza.attrs.from === undefined || stanza.attrs.to === undefined) return;
    this.ctx.route(errorReply(stanza, err));
  }
}

/** A copy of a stanza with new addresses (the payload is never altered: RFC 6120 §8.1.2). */
export function addressed(stanza: Element, from: Jid, to: Jid | string): Element {
  const copy = stanza.clone();
  copy.attrs.from = from.toString();
  copy.attrs.to = to.toString();
  return copy;
}

/** A child in the content namespace (no xmlns of its own), as <priority/> and <status/> are. */
export function clientChildren(el: Element, name: string): Element[] {
  return el.getChildren(name).filter((c) => c.attrs.xmlns === undefined || c.attrs.xmlns === NS.CLIENT);
}

/**
 * RFC 6121 §4.7.2.3: an integer from -128 to +127, 0 when absent. Out-of-range values are
 * clamped and unparsable ones read as 0 rather than costing the client its presence.
 */
export function parsePriority(pres: Element): number {
  const el = clientChildren(pres, "priority")[0];
  if (!el) return 0;
  const text = el.getText().trim();
  if (!/^[+-]?\d+$/.test(text)) return 0;
  return Math.max(-128, Math.min(127, Number(text)));
}
