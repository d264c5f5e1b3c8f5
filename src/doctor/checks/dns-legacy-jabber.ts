// dns.legacy-jabber: notes the obsolete _jabber._tcp record (pre-RFC 3920 servers). Nothing
// current looks it up; a stale one only misleads whoever reads the zone later.
import type { DnsContext } from "../dns/context.js";
import { describeRecords } from "../dns/records.js";
import { ok, warn, type Check } from "../types.js";

export const legacyJabberCheck: Check<DnsContext> = {
  id: "dns.legacy-jabber",
  title: "No obsolete _jabber._tcp record",
  async run(ctx) {
    const name = `_jabber._tcp.${ctx.plan.domain}`;
    const { records } = await ctx.srv(name);
    if (records.length === 0) return ok(`no ${name} record`);
    return warn(`obsolete ${name} record still published (${describeRecords(records)}); no current client or server uses it`, {
      hint: `delete the ${name} records; _xmpp-client and _xmpp-server replaced them (RFC 6120)`,
    });
  },
};
