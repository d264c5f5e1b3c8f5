// dns.srv-targets: every SRV target host name resolves to an A and/or AAAA record; a target
// without addresses is a dead end that clients only discover after a timeout.
import type { DnsContext } from "../dns/context.js";
import type { SrvExpectation } from "../dns/plan.js";
import { hostTargets } from "../dns/records.js";
import { fqdn } from "../dns/zone.js";
import { fail, ok, type Check } from "../types.js";

export function srvTargetsCheck(exp: SrvExpectation): Check<DnsContext> {
  return {
    id: "dns.srv-targets",
    title: "SRV targets resolve to addresses",
    subject: exp.name,
    async run(ctx) {
      const targets = [...new Set(hostTargets((await ctx.srv(exp.name)).records).map((r) => r.target))];
      if (targets.length === 0) return undefined;
      const resolved: string[] = [];
      const dead: string[] = [];
      for (const target of targets) {
        const found = await ctx.addresses(target);
        const addresses = [...found.v4, ...found.v6];
        if (addresses.length > 0) resolved.push(`${fqdn(target)} → ${addresses.join(", ")}`);
        else dead.push(target);
      }
      if (dead.length === 0) return ok(resolved.join("; "));
      return fail(`${dead.map(fqdn).join(", ")} ${dead.length === 1 ? "has" : "have"} no A or AAAA record`, {
        hint: "give each target the addresses of the server that runs chatctl:",
        fix: dead.flatMap((t) => ctx.addressFix(t)),
      });
    },
  };
}
