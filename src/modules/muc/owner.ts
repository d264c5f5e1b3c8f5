// The owner's use cases (XEP-0045 §10): the configuration form (§10.2; an empty submit is the
// instant room of §10.1.2, a cancel of a new room destroys it, §10.1.3) and destruction (§10.9).
import type { IqRequest } from "../../server/module-api.js";
import { StanzaError } from "../../stanza/errors.js";
import { x, type Element } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";
import { applyConfigForm, configForm } from "./config-form.js";
import type { MucEnv, MucRoom } from "./env.js";
import { MUC_NS } from "./ns.js";
import { sendToOccupant, Status, userX } from "./occupants.js";
import { destroyRoom, removeOccupant } from "./removal.js";

function ownedRoom(env: MucEnv, req: IqRequest): MucRoom | StanzaError {
  const room = env.rooms.get(req.to.local);
  if (!room) return new StanzaError("item-not-found", "No such room");
  // §5.2: a service administrator may do whatever an owner may.
  if (room.affiliation(req.from.bare().toString()) !== "owner" && !env.isServiceAdmin(req.from)) return new StanzaError("forbidden", "Only owners may do this");
  return room;
}

export function onOwnerGet(env: MucEnv, req: IqRequest): Element | StanzaError {
  const room = ownedRoom(env, req);
  if (room instanceof StanzaError) return room;
  return x("query", { xmlns: MUC_NS.OWNER }, configForm(room.jid, room.config));
}

export function onOwnerSet(env: MucEnv, req: IqRequest): true | StanzaError {
  const room = ownedRoom(env, req);
  if (room instanceof StanzaError) return room;
  const destroy = req.payload.getChild("destroy");
  if (destroy) {
    const venue = destroy.attrs.jid;
    const reason = destroy.getChildText("reason");
    const password = destroy.getChildText("password");
    destroyRoom(env, room, { ...(venue !== undefined ? { venue } : {}), ...(reason !== undefined ? { reason } : {}), ...(password !== undefined ? { password } : {}) });
    return true;
  }
  const form = req.payload.getChild("x", NS.DATA_FORMS);
  if (!form) return new StanzaError("bad-request", "Expected a data form or <destroy/>");
  if (form.attrs.type === "cancel") {
    // §10.1.3: cancelling the configuration of a room just created destroys it.
    if (room.locked) destroyRoom(env, room, {});
    return true;
  }
  if (form.attrs.type !== "submit") return new StanzaError("bad-request", "Expected a submitted form");
  const applied = applyConfigForm(room.config, form, env.options);
  if ("error" in applied) return new StanzaError("not-acceptable", applied.error);
  const wasLocked = room.locked;
  const previous = room.config;
  const becameMembersOnly = applied.config.membersOnly && !room.config.membersOnly;
  room.config = applied.config;
  room.locked = false;
  if (becameMembersOnly) {
    // §10.2: occupants who are not members leave with 322.
    for (const o of [...room.occupants.values()]) {
      if (room.affiliation(o.bareJid) === "none") removeOccupant(env, room, o, Status.MEMBERS_ONLY);
    }
  }
  env.rooms.save(room);
  if (!wasLocked) {
    // §10.2.1: occupants are told that the configuration changed, and how privacy changed with it.
    const codes: number[] = [Status.CONFIG_CHANGED];
    if (previous.whois !== room.config.whois) codes.push(room.config.whois === "anyone" ? Status.NOW_NON_ANONYMOUS : Status.NOW_SEMI_ANONYMOUS);
    if (previous.archiving !== room.config.archiving) codes.push(room.config.archiving ? Status.LOGGED : Status.NOT_LOGGED);
    const notice = x("message", { type: "groupchat", from: room.jid }, userX([], codes));
    for (const o of room.occupants.values()) sendToOccupant(env, o, notice);
  }
  env.rooms.dropIfUnused(room);
  return true;
}
