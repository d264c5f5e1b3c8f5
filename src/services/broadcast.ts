// Announcements to many users (STYLE-ANCHORS §4.4-5: a service without XML beyond building the
// message). The XEP-0133 announce commands, the MOTD and later the local admin socket all call
// broadcast(); recipients are resolved here and sent in bounded batches, one batch per event-loop
// turn, so that 10 000 recipients never keep the server from serving everyone else.
import { x, type Element } from "../xml/element.js";

/** Who an announcement is for. */
export type Audience =
  /** Every connected resource (XEP-0133 §4.23). */
  | { kind: "online" }
  /** Every registered account: connected ones now, the others from offline storage at next login. */
  | { kind: "all" }
  /** The registered members of one group, delivered like "all". */
  | { kind: "group"; group: string };

export interface Announcement {
  /** The sender: the server's domain, as XEP-0133 announcements come from the server. */
  from: string;
  subject?: string;
  body: string;
  /** "normal" is stored offline and shown by every client; "headline" is never stored. Default "normal". */
  type?: "normal" | "headline";
}

/** What broadcast() needs from the server; the announce module passes its context's pieces. */
export interface BroadcastHost {
  readonly domain: string;
  /** Usernames with at least one bound session. */
  onlineUsers(): Iterable<string>;
  /** Full JIDs of a user's bound sessions. */
  resourcesOf(user: string): string[];
  registeredUsers(): string[];
  groupMembers(group: string): string[];
  /** Routes a stanza as the server (offline storage happens there when a bare JID has no resource). */
  route(stanza: Element): void;
}

export interface BroadcastOptions {
  /** Count only; send nothing. */
  dryRun?: boolean;
  /** Stanzas routed per event-loop turn. Default 500. */
  batchSize?: number;
  /** How the next batch is scheduled; default setImmediate (tests may run batches synchronously). */
  schedule?: (fn: () => void) => void;
}

export interface BroadcastReport {
  /** Accounts the announcement went to (online now or queued for later). */
  recipients: number;
  /** Of those, accounts with a connected resource when it was sent. */
  online: number;
  /** Of those, accounts that will get it from offline storage (audiences "all" and "group"). */
  offline: number;
  /** Stanzas routed: one per resource for "online", one per account otherwise. */
  stanzas: number;
  dryRun: boolean;
}

export const DEFAULT_BATCH_SIZE = 500;

/** The addresses an audience resolves to, and the counts the report shows. */
export function resolveAudience(host: BroadcastHost, audience: Audience): { targets: string[]; online: number; offline: number } {
  if (audience.kind === "online") {
    const targets: string[] = [];
    let online = 0;
    for (const user of host.onlineUsers()) {
      const resources = host.resourcesOf(user);
      if (resources.length === 0) continue;
      online++;
      targets.push(...resources);
    }
    return { targets, online, offline: 0 };
  }
  const users = audience.kind === "all" ? host.registeredUsers() : host.groupMembers(audience.group);
  const onlineSet = new Set(host.onlineUsers());
  const online = users.filter((u) => onlineSet.has(u)).length;
  // To the bare JID: RFC 6121 §8.5.2 rules pick the available resources or offline storage.
  return { targets: users.map((u) => `${u}@${host.domain}`), online, offline: users.length - online };
}

/** The message one recipient gets. */
export function announcementStanza(a: Announcement, to: string): Element {
  return x("message", { from: a.from, to, type: a.type ?? "normal" }, a.subject !== undefined && a.subject !== "" && x("subject", null, a.subject), x("body", null, a.body));
}

/**
 * Sends an announcement to an audience; resolves once every batch has been routed, with how many
 * accounts it reached.
 */
export async function broadcast(host: BroadcastHost, audience: Audience, announcement: Announcement, opts: BroadcastOptions = {}): Promise<BroadcastReport> {
  const { targets, online, offline } = resolveAudience(host, audience);
  const report: BroadcastReport = { recipients: online + offline, online, offline, stanzas: targets.length, dryRun: opts.dryRun === true };
  if (opts.dryRun) return report;
  const size = Math.max(1, opts.batchSize ?? DEFAULT_BATCH_SIZE);
  const schedule = opts.schedule ?? ((fn: () => void) => void setImmediate(fn));
  for (let i = 0; i < targets.length; i += size) {
    if (i > 0) await new Promise<void>((resolve) => schedule(resolve));
    for (const to of targets.slice(i, i + size)) host.route(announcementStanza(announcement, to));
  }
  return report;
}
