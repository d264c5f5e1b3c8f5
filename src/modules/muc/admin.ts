// Affiliations and roles through muc#admin (XEP-0045 §8 moderator use cases: kick §8.2, voice
// §8.3–§8.4, role lists §8.5; §9 admin use cases: ban §9.1, members §9.3–§9.4, moderators §9.6,
// affiliation lists §9.2/§9.5; §10.3–§10.8 owners and admins). A set carries one or more items;
// all are checked before any is applied, so a refused item changes nothing.
import { Jid } from "../../jid/jid.js";
import type { IqRequest } from "../../server/module-api.js";
import { type Affiliation, isAffiliation, isRole, type Occupant, type Role } from "../../services/muc-room.js";
import { StanzaError } from "../../stanza/errors.js";
import { x, type Element } from "../../xml/element.js";
import type { MucEnv, MucRoom } from "./env.js";
import { refusalError } from "./errors.js";
import { MUC_NS } from "./ns.js";
import { availablePresence, currentSession, type ItemExtras, sendToOccupant, Status } from "./occupants.js";
import { removeOccupant } from "./removal.js";

export function onAdminGet(env: MucEnv, req: IqRequest): Element | StanzaError {
  const room = env.rooms.get(req.to.local);
  if (!room) return new StanzaError("item-not-found", "No such room");
  const item = req.payload.getChild("item");
  const actorBare = req.from.bare().toString();
  if (isAffiliation(item?.attrs.affiliation)) {
    const aff = item.attrs.affiliation;
    if (aff === "none") return new StanzaError("bad-request", "There is no list of unaffiliated users");
    if (!room.mayListAffiliations(actorBare) && !env.isServiceAdmin(req.from)) return new StanzaError("forbidden");
    return x("query", { xmlns: MUC_NS.ADMIN }, room.withAffiliation(aff).map((jid) => x("item", { affiliation: aff, jid })));
  }
  if (isRole(item?.attrs.role)) {
    const role = item.attrs.role;
    // §8.5: moderators list roles (and service administrators, §5.2, from outside the room).
    if (room.occupantByJid(req.from.toString())?.role !== "moderator" && !env.isServiceAdmin(req.from)) return new StanzaError("forbidden");
    const items = [...room.occupants.values()]
      .filter((o) => o.role === role)
      .map((o) => x("item", { role, affiliation: room.affiliation(o.bareJid), nick: o.nick, jid: currentSession(o)?.jid }));
    return x("query", { xmlns: MUC_NS.ADMIN }, items);
  }
  return new StanzaError("bad-request", "Expected an item with an affiliation or a role");
}

type Change =
  | { kind: "role"; target: Occupant<Element>; role: Role; extras: ItemExtras }
  | { kind: "affiliation"; bareJid: string; affiliation: Affiliation; extras: ItemExtras };

export function onAdminSet(env: MucEnv, req: IqRequest): true | StanzaError {
  const room = env.rooms.get(req.to.local);
  if (!room) return new StanzaError("item-not-found", "No such room");
  const actorBare = req.from.bare().toString();
  const actor = room.occupantByJid(req.from.toString());
  const changes: Change[] = [];
  for (const item of req.payload.getChildren("item")) {
    const reason = item.getChildText("reason");
    const extras: ItemExtras = { ...(actor ? { actor: actor.nick } : {}), ...(reason !== undefined ? { reason } : {}) };
    const change = parseChange(room, item, extras);
    if (change instanceof StanzaError) return change;
    const refusal =
      change.kind === "role" ? room.roleChangeRefusal(actorBare, actor, change.target, change.role) : room.affiliationChangeRefusal(actorBare, change.bareJid, change.affiliation);
    if (refusal) return refusalError(refusal, `Not allowed to make this change`);
    changes.push(change);
  }
  if (changes.length === 0) return new StanzaError("bad-request", "No items");
  for (const change of changes) {
    if (change.kind === "role") applyRole(env, room, change.target, change.role, change.extras);
    else applyAffiliation(env, room, change.bareJid, change.affiliation, change.extras);
  }
  return true;
}

function parseChange(room: MucRoom, item: Element, extras: ItemExtras): Change | StanzaError {
  const { role, affiliation, nick, jid } = item.attrs;
  if (affiliation !== undefined) {
    if (!isAffiliation(affiliation)) return new StanzaError("bad-request", "Unknown affiliation");
    let bareJid: string | undefined;
    if (jid !== undefined) bareJid = Jid.tryParse(jid)?.bare().toString();
    else if (nick !== undefined) bareJid = room.occupants.get(nick)?.bareJid;
    if (bareJid === undefined) return new StanzaError(jid !== undefined ? "jid-malformed" : "item-not-found", "No such user");
    return { kind: "affiliation", bareJid, affiliation, extras };
  }
  if (role !== undefined) {
    if (!isRole(role)) return new StanzaError("bad-request", "Unknown role");
    const target = nick !== undefined ? room.occupants.get(nick) : undefined;
    if (!target) return new StanzaError("item-not-found", "No such occupant");
    return { kind: "role", target, role, extras };
  }
  return new StanzaError("bad-request", "An item needs an affiliation or a role");
}

function applyRole(env: MucEnv, room: MucRoom, target: Occupant<Element>, role: Role, extras: ItemExtras): void {
  if (role === "none") {
    removeOccupant(env, room, target, Status.KICKED, extras); // §8.2
    env.rooms.dropIfUnused(room);
    return;
  }
  target.role = role;
  broadcastChange(env, room, target);
}

function applyAffiliation(env: MucEnv, room: MucRoom, bareJid: string, affiliation: Affiliation, extras: ItemExtras): void {
  room.setAffiliation(bareJid, affiliation);
  env.rooms.save(room);
  for (const o of [...room.occupants.values()]) {
    if (o.bareJid !== bareJid) continue;
    if (affiliation === "outcast") removeOccupant(env, room, o, Status.BANNED, extras); // §9.1
    else if (affiliation === "none" && room.config.membersOnly) removeOccupant(env, room, o, Status.AFFILIATION_CHANGED, extras); // §9.4
    else broadcastChange(env, room, o);
  }
  env.rooms.dropIfUnused(room);
}

/** The occupant's new role or affiliation, told to everyone (§8.3, §9.3). */
function broadcastChange(env: MucEnv, room: MucRoom, target: Occupant<Element>): void {
  for (const viewer of room.occupants.values()) {
    sendToOccupant(env, viewer, availablePresence(room, target, viewer, viewer === target ? [Status.SELF] : []));
  }
}
