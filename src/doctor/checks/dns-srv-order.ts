// dns.srv-order: with several targets, explain the order clients will use them in (RFC 2782:
// lowest priority first; within a priority, a random pick weighted by `weight`, repeated over
// the rest), so that a backup meant for failover is not silently taking a share of the load.
import type { DnsContext } from "../dns/context.js";
import type { SrvExpectation } from "../dns/plan.js";
import { realTargets } from "../dns/records.js";
import { fqdn } from "../dns/zone.js";
import { selectionPlan } from "../../dns/srv.js";
import { ok, type Check } from "../types.js";

export function srvOrderCheck(exp: SrvExpectation): Check<DnsContext> {
  return {
    id: "dns.srv-order",
    title: "SRV priority and weight order",
    subject: exp.name,
    async run(ctx) {
      const records = realTargets((await ctx.srv(exp.name)).records);
      if (records.length < 2) return undefined;
      const groups = selectionPlan(records);
      const text = groups.map((g, i) => {
        const entries = g.records.map((r) => `${fqdn(r.target)}:${r.port} (weight ${r.weight}, ${Math.round(r.share * 100)}% of first tries)`);
        return `${i === 0 ? "first" : "then"} priority ${g.priority}: ${entries.join(", ")}`;
      });
      return ok(text.join("; "), {
        hint: "RFC 2782: clients try the lowest priority first; within it they pick a target at random in proportion to its weight, then the remaining ones the same way; higher priorities are only tried when all of these fail",
      });
    },
  };
}
