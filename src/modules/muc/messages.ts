// Messages to a room (XEP-0045 §7.4 groupchat, §8.1 subject) and to an occupant (§7.5 private
// messages). Groupchat is reflected to every occupant — the sender included — from the sender's
// occupant JID, kept as discussion history and, in an archived room, in the room's archive (whose
// id is the reflected <stanza-id/>, XEP-0313 §3.5). Private messages are never archived (§5.1.2).
import { randomUUID } from "node:crypto";
import type { StanzaEvent } from "../../router/events.js";
import { StanzaError } from "../../stanza/errors.js";
import { messageType } from "../../stanza/stanza.js";
import { x, type Element } from "../../xml/element.js";
import { worthArchiving } from "./archive.js";
import type { MucEnv, MucRoom } from "./env.js";
import { remember } from "./history.js";
import { onInvitations } from "./invite.js";
import { MUC_NS } from "./ns.js";
import { occupantJid, sendToOccupant } from "./occupants.js";
import { localpart } from "./rooms.js";

export function onRoomMessage(env: MucEnv, ev: StanzaEvent): true | StanzaError {
  const type = messageType(ev.stanza);
  if (type === "error") return true;
  const room = env.rooms.get(ev.to.local);
  if (!room) return new StanzaError("item-not-found", "No such room");
  const userX = ev.stanza.getChild("x", MUC_NS.USER);
  if (userX && (userX.getChild("invite") || userX.getChild("decline"))) return onInvitations(env, room, ev, userX);
  if (type !== "groupchat") return true;
  const sender = room.occupantByJid(ev.from.toString());
  // §7.4: only occupants may send to everyone.
  if (!sender) return new StanzaError("not-acceptable", "Only occupants may send messages to the room");
  const subject = ev.stanza.getChild("subject");
  if (subject && ev.stanza.getChild("body") === undefined) {
    // §8.1: moderators, or participants when the room allows it.
    if (!room.mayChangeSubject(sender)) return new StanzaError("forbidden", "You are not allowed to change the subject");
    room.subject = { text: subject.getText(), nick: sender.nick };
    env.rooms.save(room);
    broadcast(env, room, ev, sender.nick);
    return true;
  }
  // §7.4 / §5.1.3: a visitor in a moderated room has no voice.
  if (!room.mayTalk(sender)) return new StanzaError("forbidden", "You have no voice in this room");
  const reflected = broadcast(env, room, ev, sender.nick);
  if (reflected.getChild("body") !== undefined) remember(room, reflected, new Date());
  return true;
}

function broadcast(env: MucEnv, room: MucRoom, ev: StanzaEvent, nick: string): Element {
  const reflected = ev.stanza.clone();
  reflected.attrs.from = occupantJid(room, nick);
  delete reflected.attrs.to;
  // XEP-0359 §4: a stanza-id claiming to be by this room can only be one the room wrote.
  reflected.removeChildren((el) => el.name === "stanza-id" && el.attrs.xmlns === MUC_NS.SID && el.attrs.by === room.jid);
  // Archived once here, not per occupant (XEP-0313 §5.1.2); the archive id is the stanza-id.
  const id = room.config.archiving && worthArchiving(reflected) ? env.archive.append(localpart(room), reflected, ev.from.toString()) : randomUUID();
  reflected.append(x("stanza-id", { xmlns: MUC_NS.SID, id, by: room.jid }));
  for (const o of room.occupants.values()) sendToOccupant(env, o, reflected);
  return reflected;
}

/** §7.5: a private message to one occupant, from the sender's occupant JID. */
export function onOccupantMessage(env: MucEnv, ev: StanzaEvent): true | StanzaError {
  const type = messageType(ev.stanza);
  if (type === "error") return true;
  const room = env.rooms.get(ev.to.local);
  if (!room) return new StanzaError("item-not-found", "No such room");
  const sender = room.occupantByJid(ev.from.toString());
  if (!sender) return new StanzaError("not-acceptable", "Only occupants may send private messages");
  if (type === "groupchat") return new StanzaError("bad-request", "Private messages are not of type groupchat");
  const target = room.occupants.get(ev.to.resource);
  if (!target) return new StanzaError("item-not-found", "No such occupant");
  const pm = ev.stanza.clone();
  pm.attrs.from = occupantJid(room, sender.nick);
  delete pm.attrs.to;
  // §7.5: marks the message as a private message in a room for the recipient's client.
  if (!pm.getChild("x", MUC_NS.USER)) pm.append(x("x", { xmlns: MUC_NS.USER }));
  sendToOccupant(env, target, pm);
  return true;
}
