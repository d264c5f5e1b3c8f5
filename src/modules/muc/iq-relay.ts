// IQs addressed to an occupant JID. XEP-0410 §3: a ping to one's own occupant JID is answered by
// the service itself — a result while that session is joined, <not-acceptable/> when it is not (the
// client then rejoins). Any other IQ from an occupant to an occupant (a vCard request, a ping) is
// relayed to the target's client from the requester's occupant JID, and its answer relayed back,
// so real JIDs stay hidden (XEP-0045 §7.5 applied to IQs, as established servers do).
import { randomBytes } from "node:crypto";
import type { StanzaEvent } from "../../router/events.js";
import { StanzaError } from "../../stanza/errors.js";
import { iqResult, iqType } from "../../stanza/stanza.js";
import { x } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";
import type { MucEnv } from "./env.js";
import { currentSession, occupantJid } from "./occupants.js";

interface Pending {
  /** Who asked (real full JID) and under which id. */
  requester: string;
  id: string;
  /** The occupant JID the answer comes from. */
  from: string;
}

/** Relayed IQs awaiting an answer; bounded so unanswered requests cannot grow without limit. */
const MAX_PENDING = 1000;

export class IqRelay {
  private readonly pending = new Map<string, Pending>();
  private readonly prefix = randomBytes(4).toString("hex");
  private seq = 0;

  constructor(private readonly env: MucEnv) {}

  onOccupantIq(ev: StanzaEvent): true | StanzaError {
    const type = iqType(ev.stanza);
    if (type === "result" || type === "error") return this.answer(ev);
    if (type !== "get" && type !== "set") return true;
    const room = this.env.rooms.get(ev.to.local);
    const sender = room?.occupantByJid(ev.from.toString());
    // XEP-0410 §3.2: errors name the room in `by`, so the client knows the room itself answered.
    const by = ev.to.bare().toString();
    if (!room || !sender) return new StanzaError("not-acceptable", "You are not an occupant of this room", undefined, undefined, by);
    const target = room.occupants.get(ev.to.resource);
    if (!target) return new StanzaError("item-not-found", "No such occupant", undefined, undefined, by);
    const payload = ev.stanza.elements[0];
    if (target === sender && type === "get" && payload?.name === "ping" && payload.attrs.xmlns === NS.PING) {
      this.env.ctx.route(iqResult(ev.stanza));
      return true;
    }
    const session = currentSession(target);
    if (!session || !payload) return new StanzaError("service-unavailable");
    const id = `${this.prefix}-${(this.seq++).toString(36)}`;
    this.pending.set(id, { requester: ev.from.toString(), id: ev.stanza.attrs.id ?? "", from: ev.to.toString() });
    if (this.pending.size > MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
    this.env.ctx.route(x("iq", { type, id, from: occupantJid(room, sender.nick), to: session.jid }, payload.clone()));
    return true;
  }

  /** An answer from a client to a relayed IQ goes back to whoever asked. */
  private answer(ev: StanzaEvent): true {
    const id = ev.stanza.attrs.id;
    const p = id === undefined ? undefined : this.pending.get(id);
    if (!p || id === undefined) return true;
    this.pending.delete(id);
    const reply = ev.stanza.clone();
    reply.attrs.id = p.id;
    reply.attrs.from = p.from;
    reply.attrs.to = p.requester;
    this.env.ctx.route(reply);
    return true;
  }
}
