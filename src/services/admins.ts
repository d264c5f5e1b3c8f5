// Who is an administrator (DESIGN.md "Auth": the configured admin group grants admin rights
// whatever the auth provider, plus the accounts listed in admin.jids). No XML: the ad-hoc
// framework, the XEP-0133 commands and the `chatctl admins` CLI all ask this one place.
import type { AuthProvider } from "../auth/types.js";
import type { Config } from "../config/types.js";
import type { Jid } from "../jid/jid.js";

export interface AdminPolicy {
  /** True when `jid` (any resource) is an administrator of this host. Asked on every admin action. */
  isAdmin(jid: Jid): boolean;
}

/**
 * Membership is read from the provider on every call rather than cached, so that
 * `chatctl admins del` takes effect at the next admin action without a restart.
 */
export function adminPolicy(host: string, config: Pick<Config, "admin">, auth: Pick<AuthProvider, "groups">): AdminPolicy {
  return {
    isAdmin(jid) {
      if (jid.domain !== host || jid.local === "") return false;
      if (config.admin.jids.includes(jid.bare().toString())) return true;
      return auth.groups(jid.local).includes(config.admin.group);
    },
  };
}

/** Where an administrator's rights come from, for `chatctl admins list`. */
export type AdminSource = "group" | "config";

export interface AdminEntry {
  jid: string;
  sources: AdminSource[];
}

/** Group members and configured JIDs, merged and sorted by JID. */
export function listAdmins(host: string, config: Pick<Config, "admin">, groupMembers: readonly string[]): AdminEntry[] {
  const byJid = new Map<string, AdminSource[]>();
  for (const user of groupMembers) byJid.set(`${user}@${host}`, ["group"]);
  for (const jid of config.admin.jids) byJid.set(jid, [...(byJid.get(jid) ?? []), "config"]);
  return [...byJid.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([jid, sources]) => ({ jid, sources }));
}

/** The local admin channel's Unix socket, in the data directory (mode 0600: the credential). */
export function adminSocketPath(dataDir: string): string {
  return `${dataDir.replace(/\/+$/, "")}/admin.sock`;
}
