// Mediated invitations (XEP-0045 §7.8.2) and declines (§7.8.3): an occupant asks the room to invite
// someone; the room sends the invitee a message from the room's JID. A direct invitation (XEP-0249)
// is an ordinary message between users and never reaches the room; the room adds the XEP-0249
// element to its own invitations for clients that only understand that form.
import { Jid } from "../../jid/jid.js";
import type { StanzaEvent } from "../../router/events.js";
import { StanzaError } from "../../stanza/errors.js";
import { x, type Element } from "../../xml/element.js";
import type { MucEnv, MucRoom } from "./env.js";
import { MUC_NS } from "./ns.js";

export function onInvitations(env: MucEnv, room: MucRoom, ev: StanzaEvent, userX: Element): true | StanzaError {
  for (const decline of userX.getChildren("decline")) {
    const to = Jid.tryParse(decline.attrs.to);
    if (!to) return new StanzaError("jid-malformed");
    const reason = decline.getChildText("reason");
    env.ctx.route(
      x("message", { from: room.jid, to: to.toString() }, x("x", { xmlns: MUC_NS.USER }, x("decline", { from: ev.from.bare().toString() }, reason !== undefined ? x("reason", {}, reason) : undefined))),
    );
  }
  const invites = userX.getChildren("invite");
  if (invites.length === 0) return true;
  const sender = room.occupantByJid(ev.from.toString());
  if (!sender) return new StanzaError("not-acceptable", "Only occupants may invite");
  if (!room.mayInvite(sender)) return new StanzaError("forbidden", "You may not invite others to this room");
  const senderAff = room.affiliation(sender.bareJid);
  for (const invite of invites) {
    const to = Jid.tryParse(invite.attrs.to);
    if (!to) return new StanzaError("jid-malformed", "Invalid invitee address");
    const invitee = to.bare().toString();
    // §9.3 note: an admin's invitation into a members-only room makes the invitee a member.
    if (room.config.membersOnly && (senderAff === "owner" || senderAff === "admin") && room.affiliation(invitee) === "none") {
      room.setAffiliation(invitee, "member");
      env.rooms.save(room);
    }
    const reason = invite.getChildText("reason");
    const password = room.config.password !== "" ? room.config.password : undefined;
    env.ctx.route(
      x(
        "message",
        { from: room.jid, to: to.toString(), id: ev.stanza.attrs.id },
        x("body", {}, `${ev.from.bare().toString()} invites you to the room ${room.jid}${reason ? ` (${reason})` : ""}`),
        x(
          "x",
          { xmlns: MUC_NS.USER },
          x("invite", { from: ev.from.toString() }, reason !== undefined ? x("reason", {}, reason) : undefined),
          password !== undefined ? x("password", {}, password) : undefined,
        ),
        x("x", { xmlns: MUC_NS.CONFERENCE, jid: room.jid, reason, password }),
      ),
    );
  }
  return true;
}
