// Who is authenticating (authcid) and whom they act for (authzid), shared by SCRAM and PLAIN.
// Account names are JID localparts: SASLprep'd as the SASL profile asks, then nodeprep'd so the
// lookup matches what the rest of the server calls the account.
import { prepareUsername } from "../auth/username.js";
import { saslprep } from "../jid/prep.js";
import { Jid } from "../jid/jid.js";
import type { SaslContext } from "./types.js";

export type PreparedName = { ok: true; username: string } | { ok: false; reason: "saslprep" | "localpart" };

export function prepareAuthcid(raw: string): PreparedName {
  let sasl: string;
  try {
    sasl = saslprep(raw);
  } catch {
    return { ok: false, reason: "saslprep" };
  }
  const username = prepareUsername(sasl);
  return username === undefined ? { ok: false, reason: "localpart" } : { ok: true, username };
}

/**
 * chatctl does not let one account act for another, so an authzid is accepted only when it names
 * the authenticating user: as the same username, or (RFC 6120 §6.3.8) as that user's bare JID on
 * this virtual host.
 */
export function authzidNamesUser(authzid: string, username: string, ctx: SaslContext): boolean {
  const asName = prepareAuthcid(authzid);
  if (asName.ok && asName.username === username) return true;
  if (ctx.domain === undefined || !authzid.includes("@")) return false;
  const jid = Jid.tryParse(authzid);
  const host = Jid.tryParse(ctx.domain);
  return jid !== undefined && host !== undefined && jid.isBare && jid.local === username && jid.domain === host.domain;
}
