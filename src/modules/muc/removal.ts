// Taking occupants out of a room by authority rather than by their choice: kick (§8.2, 307), ban
// (§9.1, 301), loss of membership (§9.4, 321; §10.2, 322) and destruction (§10.9). The removed
// occupant's sessions hear it with 110; everyone left hears the same codes.
import type { Occupant } from "../../services/muc-room.js";
import { x, type Element } from "../../xml/element.js";
import type { MucEnv, MucRoom } from "./env.js";
import { MUC_NS } from "./ns.js";
import { type ItemExtras, sendToOccupant, Status, unavailablePresence } from "./occupants.js";

export function removeOccupant(env: MucEnv, room: MucRoom, occupant: Occupant<Element>, code: number, extras: ItemExtras = {}): void {
  // Built while the occupant is still in the room, so its item shows its last affiliation.
  const toSelf = unavailablePresence(room, occupant, occupant, [Status.SELF, code], { extras });
  room.remove(occupant.nick);
  sendToOccupant(env, occupant, toSelf);
  for (const viewer of room.occupants.values()) sendToOccupant(env, viewer, unavailablePresence(room, occupant, viewer, [code], { extras }));
}

export interface Destruction {
  /** An alternative venue (§10.9). */
  venue?: string;
  reason?: string;
  password?: string;
}

/** §10.9: every occupant leaves with a <destroy/> notice; the room and its stored state go. */
export function destroyRoom(env: MucEnv, room: MucRoom, d: Destruction): void {
  const notice = x(
    "destroy",
    { jid: d.venue },
    d.reason !== undefined ? x("reason", {}, d.reason) : undefined,
    d.password !== undefined ? x("password", {}, d.password) : undefined,
  );
  for (const o of [...room.occupants.values()]) {
    const pres = x("presence", { from: `${room.jid}/${o.nick}`, type: "unavailable" }, x("x", { xmlns: MUC_NS.USER }, x("item", { affiliation: "none", role: "none" }), notice));
    sendToOccupant(env, o, pres);
    room.remove(o.nick);
  }
  room.clearHistory();
  env.rooms.remove(room);
}
