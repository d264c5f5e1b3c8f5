// Who administers the MUC service itself (XEP-0045 §5.2 "service administrator": may act as an
// owner of every room): the server's administrators (services/admins.ts, the same policy the
// ad-hoc commands use) and the server's own domain JID, which only code inside this server can
// send from (the router stamps every client stanza with the client's full JID). The second is how
// the administration commands of `chatctl muc` (admin-commands.ts) reach the rooms.
import type { Jid } from "../../jid/jid.js";
import type { ModuleContext } from "../../server/module-api.js";
import { adminPolicy } from "../../services/admins.js";

export type ServiceAdminCheck = (jid: Jid) => boolean;

export function serviceAdmins(ctx: ModuleContext): ServiceAdminCheck {
  const domain = ctx.config.domain;
  const admins = adminPolicy(domain, ctx.config, ctx.auth);
  return (jid) => (jid.local === "" && jid.domain === domain) || admins.isAdmin(jid);
}
