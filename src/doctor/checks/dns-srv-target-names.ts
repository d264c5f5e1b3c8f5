// dns.srv-target-names: SRV targets are host names that own their addresses: not an alias
// ("the name MUST NOT be an alias", RFC 2782; several clients and servers refuse to follow it)
// and not an IP address written as a name (it would be looked up as a host called "192.0.2.1").
import { isIP } from "node:net";
import type { DnsContext } from "../dns/context.js";
import type { SrvExpectation } from "../dns/plan.js";
import { realTargets } from "../dns/records.js";
import { addressLine, fqdn, srvLine } from "../dns/zone.js";
import { ok, type Check, type CheckStatus } from "../types.js";

export function srvTargetNamesCheck(exp: SrvExpectation): Check<DnsContext> {
  return {
    id: "dns.srv-target-names",
    title: "SRV targets are host names, not aliases or IPs",
    subject: exp.name,
    async run(ctx) {
      const records = realTargets((await ctx.srv(exp.name)).records);
      if (records.length === 0) return undefined;
      const problems: string[] = [];
      const fix: string[] = [];
      let status: CheckStatus = "ok";
      for (const r of records) {
        if (isIP(r.target) !== 0) {
          status = "fail";
          const host = ctx.plan.target ?? `xmpp.${ctx.plan.domain}`;
          problems.push(`${r.target} is an IP address, which DNS looks up as a host name and never finds`);
          fix.push(addressLine(host, r.target), srvLine(exp.name, { ...r, target: host }));
          continue;
        }
        const found = await ctx.addresses(r.target);
        if (found.cnames.length > 0) {
          if (status === "ok") status = "warn";
          problems.push(`${fqdn(r.target)} is an alias (CNAME) of ${fqdn(found.canonical)}`);
          fix.push(srvLine(exp.name, { ...r, target: found.canonical }));
        }
      }
      if (status === "ok") return ok(records.length === 1 ? "the target is a host name with its own addresses" : "every target is a host name with its own addresses");
      return {
        status,
        detail: problems.join("; "),
        hint: `RFC 2782 requires the target to be a host name with A/AAAA records; replace the record${fix.length > 1 ? "s" : ""} with:`,
        fix,
      };
    },
  };
}
