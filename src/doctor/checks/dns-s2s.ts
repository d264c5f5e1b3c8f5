// dns.s2s: says out loud that the federation records were not checked while S2S is not served,
// instead of a row of skips for every _xmpp-server/_xmpps-server name.
import type { DnsContext } from "../dns/context.js";
import { skip, type Check } from "../types.js";

export const s2sCheck: Check<DnsContext> = {
  id: "dns.s2s",
  title: "Federation (S2S) records",
  async run(ctx) {
    if (ctx.plan.s2sPort !== undefined) return undefined;
    const owners = [ctx.plan.domain, ...ctx.plan.services.map((s) => s.name)];
    return skip(`S2S not enabled: _xmpp-server/_xmpps-server records for ${owners.join(", ")} not checked`, {
      hint: "once federation is served, run again with --s2s-port PORT (normally 5269)",
    });
  },
};
