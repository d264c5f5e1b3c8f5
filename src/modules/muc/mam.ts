// Message Archive Management on the room JID (XEP-0313 §3.3.2, §4, §5.1.2; XEP-0479 "Advanced
// Group Chat": history from the room's archive rather than the user's). Queries are parsed, run
// and answered by the very code of the accounts' archives (mam/query.ts, results.ts, form.ts);
// what is particular to rooms is here:
// - who may read (§5.1.2): whoever may enter the room now — in a members-only room its owners,
//   admins and members; in an open room anyone not an outcast; in a password-protected room its
//   owners, admins and occupants (who gave the password). Service administrators may read any.
// - real JIDs (§5.1.2): results carry the sender's real JID in a muc#user <item jid/> only for
//   those allowed to see real JIDs now (a non-anonymous room, or moderators, owners and admins of
//   a semi-anonymous one); 'with' (which matches the real JID of the publisher, §4.1.1) is refused
//   to anyone else, as it would reveal who wrote what.
// - results come from the room's bare JID, the archived messages from the occupant JID without 'to'.
import type { Jid } from "../../jid/jid.js";
import type { IqRequest } from "../../server/module-api.js";
import { StanzaError } from "../../stanza/errors.js";
import { type Element, x } from "../../xml/element.js";
import { queryForm } from "../mam/form.js";
import { ARCHIVE_NS } from "../mam/ns.js";
import { mamOptions } from "../mam/options.js";
import { parseQuery, runQuery } from "../mam/query.js";
import { finElement, metadataElement, resultMessage } from "../mam/results.js";
import type { MucEnv, MucRoom } from "./env.js";
import { MUC_NS } from "./ns.js";

/** Serves queries, the query form and the archive metadata on every room's bare JID. */
export function registerRoomArchiveQueries(env: MucEnv): void {
  const { ctx } = env;
  const limits = mamOptions(ctx.config);

  // §4.1.5: the form of supported fields (the same as the accounts' archives).
  ctx.iq("get", "bare", ARCHIVE_NS.MAM, "query", (req) => {
    const room = readableRoom(env, req.to, req.from);
    return room instanceof StanzaError ? room : x("query", { xmlns: ARCHIVE_NS.MAM }, queryForm());
  });

  ctx.iq("set", "bare", ARCHIVE_NS.MAM, "query", (req) => onQuery(env, req, limits));

  // §5 (urn:xmpp:mam:2#extended): the first and last item.
  ctx.iq("get", "bare", ARCHIVE_NS.MAM, "metadata", (req) => {
    const room = readableRoom(env, req.to, req.from);
    if (room instanceof StanzaError) return room;
    env.archive.flush();
    const name = req.to.local;
    const [first] = env.archive.store.find(name, { limit: 1 });
    const [last] = env.archive.store.find(name, { limit: 1, reverse: true });
    return metadataElement(first, last);
  });
}

function onQuery(env: MucEnv, req: IqRequest, limits: ReturnType<typeof mamOptions>): Element | StanzaError {
  const room = readableRoom(env, req.to, req.from);
  if (room instanceof StanzaError) return room;
  const plan = parseQuery(req.payload, limits);
  if (plan instanceof StanzaError) return plan;
  const showRealJids = seesRealJidsInArchive(env, room, req.from);
  if (plan.with !== undefined && !showRealJids) {
    return new StanzaError("forbidden", "only those who may see occupants' real JIDs may filter the archive by sender");
  }
  env.archive.flush();
  const page = runQuery(env.archive.store, req.to.local, plan);
  if (page instanceof StanzaError) return page;
  const to = req.from.toString();
  const items = plan.flip ? [...page.items].reverse() : page.items;
  for (const item of items) {
    const msg = resultMessage(item, to, room.jid, plan.queryId);
    if (!msg) {
      env.ctx.log.warn({ room: room.jid, id: item.key }, "an archived stanza could not be parsed; left out of the results");
      continue;
    }
    if (showRealJids && item.with !== "") forwardedMessage(msg)?.append(x("x", { xmlns: MUC_NS.USER }, x("item", { jid: item.with })));
    env.ctx.route(msg);
  }
  return finElement(page);
}

/** The archived stanza inside a result message (<result><forwarded><message/>). */
function forwardedMessage(result: Element): Element | undefined {
  return result.getChild("result", ARCHIVE_NS.MAM)?.getChild("forwarded", ARCHIVE_NS.FORWARD)?.getChild("message");
}

/**
 * The room, if `who` may read its archive now (§5.1.2: "has the right to enter it at the time of
 * the query"); else the error to answer: item-not-found for a room that does not exist (or, still
 * locked, does not exist yet for anyone but its owner), forbidden otherwise (§8.1).
 */
export function readableRoom(env: MucEnv, roomJid: Jid, who: Jid): MucRoom | StanzaError {
  const room = env.rooms.get(roomJid.local);
  const admin = env.isServiceAdmin(who);
  const bare = who.bare().toString();
  if (!room || (room.locked && room.affiliation(bare) !== "owner" && !admin)) return new StanzaError("item-not-found", "No such room");
  if (admin) return room;
  const aff = room.affiliation(bare);
  if (aff === "outcast") return new StanzaError("forbidden", "You are banned from this room");
  if (room.config.membersOnly && aff === "none") return new StanzaError("forbidden", "Only members may read the archive of a members-only room");
  const privileged = aff === "owner" || aff === "admin";
  if (room.config.password !== "" && !privileged && room.occupantByJid(who.toString()) === undefined) {
    return new StanzaError("forbidden", "Enter this password-protected room to read its archive");
  }
  return room;
}

/** Whether `who` may learn who really sent each archived message (§5.1.2, XEP-0045 §10.2 whois). */
function seesRealJidsInArchive(env: MucEnv, room: MucRoom, who: Jid): boolean {
  if (room.config.whois === "anyone" || env.isServiceAdmin(who)) return true;
  const aff = room.affiliation(who.bare().toString());
  // Owners and admins are moderators whenever they are in the room (§5.1.2), so they may see them.
  if (aff === "owner" || aff === "admin") return true;
  return room.seesRealJids(room.occupantByJid(who.toString()));
}
