// dns.resolver: the resolver answers at all. Checked first, so that a resolver that is down or
// unreachable is reported once as such, and not as missing records everywhere.
import { formatHostPort } from "../../dns/address.js";
import type { DnsContext } from "../dns/context.js";
import { fail, ok, type Check } from "../types.js";

export const resolverCheck: Check<DnsContext> = {
  id: "dns.resolver",
  title: "The resolver answers",
  async run(ctx) {
    const response = await ctx.probe();
    const server = formatHostPort(response.server);
    const domain = ctx.plan.domain;
    if (response.rcode === "REFUSED" || response.rcode === "SERVFAIL") ctx.giveUp();
    if (response.rcode === "REFUSED") {
      return fail(`resolver ${server} refused to answer for ${domain}`, {
        hint: "it is not a recursive resolver for this host (the other DNS checks did not run): use one that is with --resolver IP[:PORT]",
      });
    }
    if (response.rcode === "SERVFAIL") {
      return fail(`resolver ${server} answered SERVFAIL for ${domain}`, {
        hint: `it could not get an answer from the name servers of ${domain} (the other DNS checks did not run): check the delegation (NS records at the registrar) and DNSSEC`,
      });
    }
    return ok(`resolver ${server} answered over ${response.transport.toUpperCase()} (${response.rcode} for ${domain})`);
  },
};
