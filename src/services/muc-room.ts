// A multi-user chat room without XML (XEP-0045): its configuration, affiliations, occupants and
// discussion history, and the permission rules of §5 (roles and affiliations), §7.2 (who may
// enter), §8 (moderator use cases) and §9/§10 (admin and owner use cases). The muc module is the
// XML adapter around it (STYLE-ANCHORS §1.7, §4.4 rule 5). Stanza payloads are opaque here: the
// adapter stores each session's presence (P) and each history entry's message (M).

export type Affiliation = "owner" | "admin" | "member" | "none" | "outcast";
export type Role = "moderator" | "participant" | "visitor" | "none";

export const AFFILIATIONS: readonly Affiliation[] = ["owner", "admin", "member", "none", "outcast"];
export const ROLES: readonly Role[] = ["moderator", "participant", "visitor", "none"];

export function isAffiliation(s: string | undefined): s is Affiliation {
  return s !== undefined && (AFFILIATIONS as readonly string[]).includes(s);
}
export function isRole(s: string | undefined): s is Role {
  return s !== undefined && (ROLES as readonly string[]).includes(s);
}

/** §5.2: affiliations ranked for "higher than" comparisons. */
const AFFILIATION_RANK: Record<Affiliation, number> = { outcast: -1, none: 0, member: 1, admin: 2, owner: 3 };

export interface RoomConfig {
  name: string;
  description: string;
  persistent: boolean;
  /** Listed in disco#items of the service (§10.2 muc#roomconfig_publicroom). */
  public: boolean;
  membersOnly: boolean;
  moderated: boolean;
  /** "" means no password. */
  password: string;
  /** 0 means no limit. */
  maxOccupants: number;
  /** Who may see occupants' real JIDs (§10.2 muc#roomconfig_whois). */
  whois: "moderators" | "anyone";
  /** Whether participants (not only moderators) may change the subject. */
  changeSubject: boolean;
  /** Whether participants may invite others (§7.8). */
  allowInvites: boolean;
  /** Archiving flag (muc#roomconfig_enablearchiving): the room's messages go to its MAM archive. */
  archiving: boolean;
  /** How many messages of discussion history the room keeps (muc#maxhistoryfetch). */
  historyLength: number;
}

export function defaultRoomConfig(overrides: Partial<RoomConfig> = {}): RoomConfig {
  return {
    name: "",
    description: "",
    persistent: false,
    public: true,
    membersOnly: false,
    moderated: false,
    password: "",
    maxOccupants: 0,
    whois: "moderators",
    changeSubject: false,
    allowInvites: true,
    archiving: false,
    historyLength: 20,
    ...overrides,
  };
}

/** One session of an occupant (the same bare JID may join one nick from several clients). */
export interface OccupantSession<P> {
  /** The real full JID. */
  jid: string;
  presence: P;
}

export interface Occupant<P> {
  nick: string;
  /** Real bare JID. */
  bareJid: string;
  role: Role;
  sessions: Map<string, OccupantSession<P>>;
}

export interface HistoryEntry<M> {
  message: M;
  when: Date;
  /** Size of the message as it would be sent, for maxchars (§7.2.15). */
  chars: number;
}

/** §7.2.15: what the joining client asked for; every limit optional. */
export interface HistoryRequest {
  maxstanzas?: number;
  maxchars?: number;
  seconds?: number;
  since?: Date;
}

export interface Subject {
  text: string;
  /** Occupant nick of whoever set it; "" when the room itself did. */
  nick: string;
}

/** Why an entry (§7.2.6–§7.2.10) or a change (§8, §9) is refused, as the stanza error condition. */
export type Refusal =
  | "not-authorized"
  | "registration-required"
  | "forbidden"
  | "conflict"
  | "service-unavailable"
  | "item-not-found"
  | "not-allowed"
  | "bad-request"
  | "not-acceptable";

export interface JoinRequest {
  /** Real full JID. */
  jid: string;
  bareJid: string;
  nick: string;
  password?: string | undefined;
}

export interface RoomState {
  config: RoomConfig;
  affiliations: Record<string, Affiliation>;
  subject?: Subject;
}

export type JoinResult<P> = { ok: true; occupant: Occupant<P>; newOccupant: boolean } | { ok: false; refusal: Refusal };

export class Room<P, M> {
  readonly occupants = new Map<string, Occupant<P>>();
  private readonly history: Array<HistoryEntry<M>> = [];
  /** §10.1.2: a room created by a join stays locked until its owner configures it. */
  locked = false;
  subject: Subject | undefined;
  private readonly affiliations = new Map<string, Affiliation>();

  constructor(
    /** The room's bare JID. */
    readonly jid: string,
    public config: RoomConfig,
    state?: Omit<RoomState, "config">,
  ) {
    for (const [jid, aff] of Object.entries(state?.affiliations ?? {})) if (aff !== "none") this.affiliations.set(jid, aff);
    this.subject = state?.subject;
  }

  // ── affiliations (§5.2, §9, §10) ────────────────────────────────────────────

  affiliation(bareJid: string): Affiliation {
    return this.affiliations.get(bareJid) ?? "none";
  }

  /** Bare JIDs with this affiliation, sorted. */
  withAffiliation(aff: Affiliation): string[] {
    return [...this.affiliations].filter(([, a]) => a === aff).map(([j]) => j).sort();
  }

  setAffiliation(bareJid: string, aff: Affiliation): void {
    if (aff === "none") this.affiliations.delete(bareJid);
    else this.affiliations.set(bareJid, aff);
    // §5.1.2: the role follows the new affiliation for an occupant already in the room.
    for (const o of this.occupants.values()) {
      if (o.bareJid === bareJid) o.role = this.defaultRole(aff);
    }
  }

  /** §5.1.2: the role an occupant with this affiliation gets on entering. */
  defaultRole(aff: Affiliation): Role {
    switch (aff) {
      case "owner":
      case "admin":
        return "moderator";
      case "member":
        return "participant";
      case "none":
        return this.config.moderated ? "visitor" : "participant";
      case "outcast":
        return "none";
    }
  }

  state(): RoomState {
    const state: RoomState = { config: { ...this.config }, affiliations: Object.fromEntries(this.affiliations) };
    if (this.subject) state.subject = { ...this.subject };
    return state;
  }

  // ── occupants (§7.2 enter, §7.6 nick change, §7.14 exit) ───────────────────

  occupantByJid(fullJid: string): Occupant<P> | undefined {
    for (const o of this.occupants.values()) if (o.sessions.has(fullJid)) return o;
    return undefined;
  }

  isEmpty(): boolean {
    return this.occupants.size === 0;
  }

  /**
   * §7.2: whether this session may enter under this nick, and enters it. A second session of the
   * same bare JID under the same nick joins that occupant (multi-session nicks).
   */
  join(req: JoinRequest, presence: P): JoinResult<P> {
    const aff = this.affiliation(req.bareJid);
    const existing = this.occupants.get(req.nick);
    if (existing && existing.bareJid !== req.bareJid) return { ok: false, refusal: "conflict" }; // §7.2.9
    if (existing) {
      existing.sessions.set(req.jid, { jid: req.jid, presence });
      return { ok: true, occupant: existing, newOccupant: false };
    }
    const refusal = this.entryRefusal(req, aff);
    if (refusal) return { ok: false, refusal };
    const occupant: Occupant<P> = { nick: req.nick, bareJid: req.bareJid, role: this.defaultRole(aff), sessions: new Map() };
    occupant.sessions.set(req.jid, { jid: req.jid, presence });
    this.occupants.set(req.nick, occupant);
    return { ok: true, occupant, newOccupant: true };
  }

  private entryRefusal(req: JoinRequest, aff: Affiliation): Refusal | undefined {
    const privileged = aff === "owner" || aff === "admin";
    // §10.1.2: nobody but an owner enters a room still waiting for its configuration.
    if (this.locked && aff !== "owner") return "item-not-found";
    if (aff === "outcast") return "forbidden"; // §7.2.7
    if (this.config.membersOnly && aff === "none") return "registration-required"; // §7.2.6
    if (this.config.password !== "" && !privileged && req.password !== this.config.password) return "not-authorized"; // §7.2.5
    // §7.2.10: admins and owners may enter a full room.
    if (this.config.maxOccupants > 0 && this.occupants.size >= this.config.maxOccupants && !privileged) return "service-unavailable";
    return undefined;
  }

  /** §7.14: one session leaves; returns the occupant when that was its last session (it is gone). */
  leave(fullJid: string): { occupant: Occupant<P>; gone: boolean } | undefined {
    const o = this.occupantByJid(fullJid);
    if (!o) return undefined;
    o.sessions.delete(fullJid);
    if (o.sessions.size > 0) return { occupant: o, gone: false };
    this.occupants.delete(o.nick);
    return { occupant: o, gone: true };
  }

  /** Removes an occupant with all its sessions (kick, ban, destroy). */
  remove(nick: string): Occupant<P> | undefined {
    const o = this.occupants.get(nick);
    if (o) this.occupants.delete(nick);
    return o;
  }

  /** §7.6: a nick change; refused with conflict when another user holds the nick. */
  changeNick(occupant: Occupant<P>, nick: string): Refusal | undefined {
    const holder = this.occupants.get(nick);
    if (holder && holder !== occupant) return "conflict";
    this.occupants.delete(occupant.nick);
    occupant.nick = nick;
    this.occupants.set(nick, occupant);
    return undefined;
  }

  /** Whether `viewer` may see occupants' real JIDs (§10.2 muc#roomconfig_whois). */
  seesRealJids(viewer: Occupant<P> | undefined): boolean {
    return this.config.whois === "anyone" || viewer?.role === "moderator";
  }

  // ── permissions (§5.1.3, §5.2.1, §8, §9, §10) ──────────────────────────────

  /** §7.4 / §5.1.3: visitors of a moderated room have no voice. */
  mayTalk(o: Occupant<P>): boolean {
    return o.role === "moderator" || o.role === "participant";
  }

  /** §8.1: moderators always; participants when the room allows it. */
  mayChangeSubject(o: Occupant<P>): boolean {
    return o.role === "moderator" || (this.config.changeSubject && o.role === "participant");
  }

  mayInvite(o: Occupant<P>): boolean {
    const aff = this.affiliation(o.bareJid);
    if (aff === "owner" || aff === "admin") return true;
    return this.config.allowInvites && o.role !== "visitor" && o.role !== "none";
  }

  /**
   * §8 role changes: moderators change participants and visitors; granting or revoking moderator
   * takes an admin or owner; nobody changes the role of an admin or owner below them.
   */
  roleChangeRefusal(actorBare: string, actor: Occupant<P> | undefined, target: Occupant<P>, role: Role): Refusal | undefined {
    if (!actor || actor.role !== "moderator") return "forbidden";
    const actorAff = this.affiliation(actorBare);
    const targetAff = this.affiliation(target.bareJid);
    if (AFFILIATION_RANK[targetAff] >= AFFILIATION_RANK["admin"] && AFFILIATION_RANK[targetAff] >= AFFILIATION_RANK[actorAff]) {
      return "not-allowed"; // §8.2: a moderator cannot kick an admin or owner
    }
    if ((role === "moderator" || target.role === "moderator") && AFFILIATION_RANK[actorAff] < AFFILIATION_RANK["admin"]) return "not-allowed";
    return undefined;
  }

  /**
   * §9/§10 affiliation changes: owners change anything; admins change members, outcasts and
   * unaffiliated users but neither grant nor touch admin or owner. The last owner stays (§10.6).
   */
  affiliationChangeRefusal(actorBare: string, targetBare: string, aff: Affiliation): Refusal | undefined {
    const actorAff = this.affiliation(actorBare);
    const targetAff = this.affiliation(targetBare);
    if (actorAff !== "owner" && actorAff !== "admin") return "forbidden";
    if (actorAff === "admin" && (AFFILIATION_RANK[targetAff] >= AFFILIATION_RANK["admin"] || AFFILIATION_RANK[aff] >= AFFILIATION_RANK["admin"])) return "not-allowed";
    if (targetAff === "owner" && aff !== "owner" && this.withAffiliation("owner").length === 1) return "conflict";
    return undefined;
  }

  /** §9.5/§9.8/§10.5/§10.8: admins and owners read the affiliation lists. */
  mayListAffiliations(actorBare: string): boolean {
    const a = this.affiliation(actorBare);
    return a === "owner" || a === "admin";
  }

  // ── history (§7.2.15) and subject (§8.1) ───────────────────────────────────

  addHistory(entry: HistoryEntry<M>): void {
    this.history.push(entry);
    const excess = this.history.length - Math.max(0, this.config.historyLength);
    if (excess > 0) this.history.splice(0, excess);
  }

  /**
   * The history a joining client gets: the newest entries within every limit it gave, oldest
   * first. `defaultMax` applies when the client set no stanza or character limit.
   */
  historyFor(req: HistoryRequest, now: Date, defaultMax: number): Array<HistoryEntry<M>> {
    let max = req.maxstanzas ?? (req.maxchars === undefined ? defaultMax : Infinity);
    const out: Array<HistoryEntry<M>> = [];
    let chars = 0;
    for (let i = this.history.length - 1; i >= 0 && max > 0; i--) {
      const e = this.history[i]!;
      if (req.seconds !== undefined && now.getTime() - e.when.getTime() > req.seconds * 1000) break;
      if (req.since !== undefined && e.when.getTime() < req.since.getTime()) break;
      if (req.maxchars !== undefined && chars + e.chars > req.maxchars) break;
      chars += e.chars;
      out.push(e);
      max--;
    }
    return out.reverse();
  }

  clearHistory(): void {
    this.history.length = 0;
  }
}
