// Presence addressed to an occupant JID (XEP-0045 §7.2 enter, §7.6 nick change, §7.7 presence
// update, §7.14 exit), dispatched to the concern that handles it.
import type { Jid } from "../../jid/jid.js";
import type { StanzaEvent } from "../../router/events.js";
import type { Occupant } from "../../services/muc-room.js";
import { StanzaError } from "../../stanza/errors.js";
import { presenceType } from "../../stanza/stanza.js";
import type { Element } from "../../xml/element.js";
import type { MucEnv, MucRoom } from "./env.js";
import { refusalError, sendPresenceError } from "./errors.js";
import { onJoin, onPresenceUpdate, onRejoin } from "./join.js";
import { MUC_NS } from "./ns.js";
import { availablePresence, selfCodes, sendTo, sendToOccupant, Status, unavailablePresence } from "./occupants.js";

export function onOccupantPresence(env: MucEnv, ev: StanzaEvent): true {
  const type = presenceType(ev.stanza);
  const room = env.rooms.get(ev.to.local);
  const occupant = room?.occupantByJid(ev.from.toString());
  if (type === "available") {
    if (!room || !occupant) onJoin(env, ev.stanza, ev.from, ev.to.local, ev.to.resource);
    else if (occupant.nick === ev.to.resource && ev.stanza.getChild("x", MUC_NS.MUC)) onRejoin(env, room, occupant, ev.from, ev.stanza);
    else if (occupant.nick === ev.to.resource) onPresenceUpdate(env, room, occupant, ev.from, ev.stanza);
    else changeNick(env, room, occupant, ev.stanza, ev.to.resource);
  } else if ((type === "unavailable" || type === "error") && room && occupant) {
    // An error presence from an occupant's client means it is gone (RFC 6121 §4.6.3 bounces).
    leave(env, room, ev.from, ev.stanza);
  }
  return true;
}

/** §7.2.1 note: entering needs a nickname; presence to the bare room JID is refused. */
export function onRoomPresence(env: MucEnv, ev: StanzaEvent): true {
  if (presenceType(ev.stanza) === "available") sendPresenceError(env, ev.stanza, new StanzaError("jid-malformed", "A nickname is required to enter a room"));
  return true;
}

/** §7.14: one session leaves. The others hear it when that was the occupant's last session. */
export function leave(env: MucEnv, room: MucRoom, from: Jid, stanza: Element): void {
  const left = room.leave(from.toString());
  if (!left) return;
  const status = stanza.getChildText("status");
  const opts = { realJid: from.toString(), ...(status !== undefined ? { status } : {}) };
  sendTo(env, from.toString(), unavailablePresence(room, left.occupant, left.occupant, [Status.SELF], opts));
  if (left.gone) {
    for (const viewer of room.occupants.values()) sendToOccupant(env, viewer, unavailablePresence(room, left.occupant, viewer, [], opts));
  }
  env.rooms.dropIfUnused(room);
}

/** §7.6: unavailable from the old nick with 303 and the new nick, then available from the new one. */
function changeNick(env: MucEnv, room: MucRoom, occupant: Occupant<Element>, stanza: Element, nick: string): void {
  const holder = room.occupants.get(nick);
  if (holder && holder !== occupant) {
    sendPresenceError(env, stanza, refusalError("conflict"));
    return;
  }
  for (const viewer of room.occupants.values()) {
    const codes = viewer === occupant ? [Status.NICK_CHANGED, Status.SELF] : [Status.NICK_CHANGED];
    sendToOccupant(env, viewer, unavailablePresence(room, occupant, viewer, codes, { extras: { nick } }));
  }
  room.changeNick(occupant, nick);
  const from = stanza.attrs.from;
  if (from !== undefined) {
    occupant.sessions.delete(from);
    occupant.sessions.set(from, { jid: from, presence: stanza });
  }
  for (const viewer of room.occupants.values()) {
    sendToOccupant(env, viewer, availablePresence(room, occupant, viewer, viewer === occupant ? selfCodes(room) : []));
  }
}
