// Discussion history (XEP-0045 §7.2.15): what a joining client asked for in
// <x xmlns='http://jabber.org/protocol/muc'><history maxstanzas maxchars seconds since/></x>, and
// how a groupchat message is kept for later joiners (stamped with XEP-0203 delay from the room).
import type { HistoryRequest } from "../../services/muc-room.js";
import { x, type Element } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";
import type { MucEnv, MucRoom } from "./env.js";
import { MUC_NS } from "./ns.js";
import { sendTo } from "./occupants.js";

function nonNegativeInt(v: string | undefined): number | undefined {
  if (v === undefined || !/^\d{1,9}$/.test(v)) return undefined;
  return Number(v);
}

/** The client's history limits; unparseable attributes are ignored, as if absent. */
export function parseHistoryRequest(join: Element | undefined): HistoryRequest {
  const h = join?.getChild("history", MUC_NS.MUC) ?? join?.getChild("history");
  const req: HistoryRequest = {};
  if (!h) return req;
  const maxstanzas = nonNegativeInt(h.attrs.maxstanzas);
  const maxchars = nonNegativeInt(h.attrs.maxchars);
  const seconds = nonNegativeInt(h.attrs.seconds);
  if (maxstanzas !== undefined) req.maxstanzas = maxstanzas;
  if (maxchars !== undefined) req.maxchars = maxchars;
  if (seconds !== undefined) req.seconds = seconds;
  if (h.attrs.since !== undefined) {
    const since = new Date(h.attrs.since);
    if (!Number.isNaN(since.getTime())) req.since = since;
  }
  return req;
}

/** Keeps a reflected groupchat message (as sent, `to` removed) for later joiners. */
export function remember(room: MucRoom, reflected: Element, when: Date): void {
  const kept = reflected.clone();
  delete kept.attrs.to;
  // §7.2.15: history carries the original timestamp, from the room itself.
  kept.append(x("delay", { xmlns: NS.DELAY, from: room.jid, stamp: when.toISOString() }));
  room.addHistory({ message: kept, when, chars: kept.toString().length });
}

/** Sends the requested history to one session of a joining occupant. */
export function sendHistory(env: MucEnv, room: MucRoom, to: string, req: HistoryRequest): void {
  for (const entry of room.historyFor(req, new Date(), room.config.historyLength)) sendTo(env, to, entry.message);
}
