// Occupant presence as every client sees it (XEP-0045 §7.2.3–§7.2.5): the occupant's own
// presence payload, from its occupant JID, with a muc#user <item/> carrying affiliation and role
// (and the real JID for viewers allowed to see it, §7.2.3 / §7.2.4), plus status codes.
import type { Occupant } from "../../services/muc-room.js";
import { x, type Element } from "../../xml/element.js";
import type { MucEnv, MucRoom } from "./env.js";
import { MUC_NS } from "./ns.js";

/** §15.6 status codes this service sends. */
export const Status = {
  /** Real JIDs are visible to everyone (§7.2.3 non-anonymous room). */
  NON_ANONYMOUS: 100,
  /** Self-presence. */
  SELF: 110,
  /** Room logging is on (§7.2.12). */
  LOGGED: 170,
  /** Room logging was switched off (§10.2.1). */
  NOT_LOGGED: 171,
  /** The room became non-anonymous (§10.2.1). */
  NOW_NON_ANONYMOUS: 172,
  /** The room became semi-anonymous (§10.2.1). */
  NOW_SEMI_ANONYMOUS: 173,
  /** A room configuration change (§10.2). */
  CONFIG_CHANGED: 104,
  /** The room was created by this join (§10.1.1). */
  CREATED: 201,
  /** Banned (§9.1). */
  BANNED: 301,
  /** New nickname (§7.6). */
  NICK_CHANGED: 303,
  /** Kicked (§8.2). */
  KICKED: 307,
  /** Removed by an affiliation change in a members-only room (§9.4). */
  AFFILIATION_CHANGED: 321,
  /** Removed because the room became members-only (§10.2). */
  MEMBERS_ONLY: 322,
} as const;

export interface ItemExtras {
  /** §7.6: the new nick in the unavailable presence of a nick change. */
  nick?: string;
  /** §8.2: who did it (their nick). */
  actor?: string;
  reason?: string;
}

export function userX(children: Array<Element | undefined>, codes: readonly number[] = []): Element {
  return x("x", { xmlns: MUC_NS.USER }, children.filter((c): c is Element => c !== undefined), codes.map((c) => x("status", { code: String(c) })));
}

/** The muc#user item describing `occupant` to `viewer` (real JID only when the viewer may see it). */
export function occupantItem(room: MucRoom, occupant: Occupant<Element>, viewer: Occupant<Element> | undefined, realJid: string | undefined, extras: ItemExtras = {}): Element {
  const showJid = viewer === occupant || room.seesRealJids(viewer);
  return x(
    "item",
    { affiliation: room.affiliation(occupant.bareJid), role: occupant.role, jid: showJid ? realJid : undefined, nick: extras.nick },
    extras.actor !== undefined ? x("actor", { nick: extras.actor }) : undefined,
    extras.reason !== undefined ? x("reason", {}, extras.reason) : undefined,
  );
}

/** The session whose presence currently speaks for the occupant (the most recently updated). */
export function currentSession(occupant: Occupant<Element>): { jid: string; presence: Element } | undefined {
  let last: { jid: string; presence: Element } | undefined;
  for (const s of occupant.sessions.values()) last = s;
  return last;
}

/** The client's presence payload without any MUC protocol element (the service adds its own). */
export function presencePayload(stanza: Element): Element[] {
  return stanza.elements.filter((el) => el.attrs.xmlns !== MUC_NS.MUC && el.attrs.xmlns !== MUC_NS.USER).map((el) => el.clone());
}

export function occupantJid(room: MucRoom, nick: string): string {
  return `${room.jid}/${nick}`;
}

/** The available presence of `occupant` as `viewer` sees it. */
export function availablePresence(room: MucRoom, occupant: Occupant<Element>, viewer: Occupant<Element> | undefined, codes: readonly number[]): Element {
  const session = currentSession(occupant);
  const pres = x("presence", { from: occupantJid(room, occupant.nick) }, session ? presencePayload(session.presence) : []);
  pres.append(userX([occupantItem(room, occupant, viewer, session?.jid)], codes));
  return pres;
}

/** The unavailable presence announcing that `occupant` left (or was removed), as `viewer` sees it. */
export function unavailablePresence(
  room: MucRoom,
  occupant: Occupant<Element>,
  viewer: Occupant<Element> | undefined,
  codes: readonly number[],
  opts: { extras?: ItemExtras; status?: string; realJid?: string; extra?: Element } = {},
): Element {
  const realJid = opts.realJid ?? currentSession(occupant)?.jid;
  const item = occupantItem(room, occupant, viewer, realJid, opts.extras);
  // §7.6: a nick change keeps the occupant's role in the room; every other exit ends it.
  if (opts.extras?.nick === undefined) item.attrs.role = "none";
  return x(
    "presence",
    { from: occupantJid(room, occupant.nick), type: "unavailable" },
    opts.status !== undefined ? x("status", {}, opts.status) : undefined,
    userX([item, opts.extra], codes),
  );
}

/** Sends a stanza to every session of an occupant. */
export function sendToOccupant(env: MucEnv, occupant: Occupant<Element>, stanza: Element): void {
  for (const s of occupant.sessions.values()) sendTo(env, s.jid, stanza);
}

export function sendTo(env: MucEnv, jid: string, stanza: Element): void {
  const el = stanza.clone();
  el.attrs.to = jid;
  env.ctx.route(el);
}

/**
 * Tells everyone in the room about `subject`'s presence, each viewer seeing what it may see;
 * `self` codes go to the subject itself (110 added), `others` to everyone else.
 */
export function broadcastPresence(
  env: MucEnv,
  room: MucRoom,
  subject: Occupant<Element>,
  build: (viewer: Occupant<Element>, isSelf: boolean) => Element,
): void {
  for (const viewer of room.occupants.values()) {
    sendToOccupant(env, viewer, build(viewer, viewer === subject));
  }
}

/** The codes a presence about an occupant's own entry carries (§7.2.3, §7.2.12). */
export function selfCodes(room: MucRoom): number[] {
  const codes: number[] = [Status.SELF];
  if (room.config.whois === "anyone") codes.push(Status.NON_ANONYMOUS);
  if (room.config.archiving) codes.push(Status.LOGGED);
  return codes;
}
