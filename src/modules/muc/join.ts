// Entering a room (XEP-0045 §7.2), and creating it when it does not exist (§10.1). The order of
// what the new occupant receives matters to clients: the other occupants' presence, then its own
// (status 110, 201 when it created the room), then the discussion history, then the subject.
import type { Jid } from "../../jid/jid.js";
import type { Occupant } from "../../services/muc-room.js";
import { StanzaError } from "../../stanza/errors.js";
import type { Element } from "../../xml/element.js";
import type { MucEnv, MucRoom } from "./env.js";
import { refusalError, sendPresenceError } from "./errors.js";
import { parseHistoryRequest, sendHistory } from "./history.js";
import { MUC_NS } from "./ns.js";
import { availablePresence, selfCodes, sendTo, sendToOccupant, Status } from "./occupants.js";
import { sendSubject } from "./subject.js";

/** §10.1.1 / service policy: whether this user may create a room here. */
function mayCreate(env: MucEnv, from: Jid): boolean {
  switch (env.options.roomCreation) {
    case "anyone":
      return true;
    case "local":
      return from.domain === env.ctx.config.domain;
    case "admin":
      return env.ctx.config.admin.jids.includes(from.bare().toString());
  }
}

export function onJoin(env: MucEnv, stanza: Element, from: Jid, roomName: string, nick: string): void {
  const join = stanza.getChild("x", MUC_NS.MUC);
  let room = env.rooms.get(roomName);
  let created = false;
  if (!room) {
    if (!mayCreate(env, from)) {
      sendPresenceError(env, stanza, new StanzaError("not-allowed", "Room creation is restricted"));
      return;
    }
    room = env.rooms.create(roomName, from.bare().toString());
    // §10.1.2: a MUC client gets a locked room to configure; a groupchat-1.0 client (no <x/>)
    // cannot configure, so its room is instant.
    room.locked = join !== undefined;
    created = true;
  }
  const result = room.join({ jid: from.toString(), bareJid: from.bare().toString(), nick, password: join?.getChildText("password", MUC_NS.MUC) ?? join?.getChildText("password") }, stanza);
  if (!result.ok) {
    sendPresenceError(env, stanza, refusalError(result.refusal));
    if (created) env.rooms.remove(room);
    return;
  }
  sendRoomState(env, room, result.occupant, from.toString(), join, result.newOccupant, created);
  if (created) env.rooms.save(room);
}

/**
 * A session already in the room sends a join again (its client lost track, e.g. after a failed
 * self-ping, XEP-0410 §3): it gets the whole room state again, and nobody else hears anything new.
 */
export function onRejoin(env: MucEnv, room: MucRoom, occupant: Occupant<Element>, from: Jid, stanza: Element): void {
  const key = from.toString();
  occupant.sessions.delete(key);
  occupant.sessions.set(key, { jid: key, presence: stanza });
  sendRoomState(env, room, occupant, key, stanza.getChild("x", MUC_NS.MUC), false, false);
}

function sendRoomState(env: MucEnv, room: MucRoom, me: Occupant<Element>, to: string, join: Element | undefined, announce: boolean, created: boolean): void {
  // 1. Everyone already there.
  for (const other of room.occupants.values()) {
    if (other !== me) sendTo(env, to, availablePresence(room, other, me, []));
  }
  // 2. The others learn about the newcomer; 3. the newcomer gets its self-presence.
  if (announce) {
    for (const other of room.occupants.values()) {
      if (other !== me) sendToOccupant(env, other, availablePresence(room, me, other, []));
    }
  }
  const codes = selfCodes(room);
  if (created) codes.push(Status.CREATED);
  sendTo(env, to, availablePresence(room, me, me, codes));
  // 4. History, 5. subject.
  sendHistory(env, room, to, parseHistoryRequest(join));
  sendSubject(env, room, to);
}

/** An occupant's presence update (same nick, still available): everyone sees the new presence. */
export function onPresenceUpdate(env: MucEnv, room: MucRoom, occupant: Occupant<Element>, from: Jid, stanza: Element): void {
  const key = from.toString();
  // Re-insert so this session's presence is the most recent (occupants.currentSession).
  occupant.sessions.delete(key);
  occupant.sessions.set(key, { jid: key, presence: stanza });
  for (const viewer of room.occupants.values()) {
    sendToOccupant(env, viewer, availablePresence(room, occupant, viewer, viewer === occupant ? selfCodes(room).slice(0, 1) : []));
  }
}
