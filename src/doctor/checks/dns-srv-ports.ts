// dns.srv-ports: every target of a record set uses the port the matching listener is on. The
// classic mistake — _xmpps-client pointing at the STARTTLS port, or the reverse — is named.
import type { DnsContext } from "../dns/context.js";
import type { SrvExpectation } from "../dns/plan.js";
import { realTargets } from "../dns/records.js";
import { fqdn, srvLine } from "../dns/zone.js";
import { fail, ok, type Check } from "../types.js";

export function srvPortsCheck(exp: SrvExpectation): Check<DnsContext> {
  return {
    id: "dns.srv-ports",
    title: "SRV ports match the listeners",
    subject: exp.name,
    async run(ctx) {
      const records = realTargets((await ctx.srv(exp.name)).records);
      const port = exp.port;
      if (records.length === 0 || port === undefined) return undefined;
      const wrong = records.filter((r) => r.port !== port);
      if (wrong.length === 0) return ok(`${records.length === 1 ? "the target uses" : "every target uses"} port ${port}, where ${exp.listener} listens`);
      const mixups = wrong
        .map((r) => ctx.plan.srv.find((other) => other !== exp && other.owner === exp.owner && other.port === r.port))
        .filter((other) => other !== undefined);
      const mixup = mixups.length > 0 ? ` (${mixups[0]!.port} is the ${mixups[0]!.listener} port: ${mixups[0]!.service.startsWith("xmpps") ? "direct TLS" : "STARTTLS"}, the wrong protocol for this record)` : "";
      return fail(`${wrong.map((r) => `${fqdn(r.target)} port ${r.port}`).join(", ")}, but ${exp.listener} listens on ${port}${mixup}`, {
        hint: `replace the ${fqdn(exp.name)} records with:`,
        fix: records.map((r) => srvLine(exp.name, { ...r, port })),
      });
    },
  };
}
