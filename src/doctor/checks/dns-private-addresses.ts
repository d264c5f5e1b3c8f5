// dns.private-addresses: for a domain meant to be reached from the Internet, the addresses
// clients and servers end up at are not loopback or private ones (RFC 1918, RFC 4193), which
// nobody outside this network can reach. Quiet for .test, .lan, localhost and the like.
import { isIP } from "node:net";
import { addressScope } from "../../dns/ip.js";
import type { DnsContext } from "../dns/context.js";
import { FALLBACK_PORT, type SrvExpectation } from "../dns/plan.js";
import { hostTargets, realTargets, users } from "../dns/records.js";
import { comment, fqdn } from "../dns/zone.js";
import { fail, ok, warn, type Check } from "../types.js";

export function privateAddressesCheck(exp: SrvExpectation): Check<DnsContext> {
  return {
    id: "dns.private-addresses",
    title: "Public names point at public addresses",
    subject: exp.name,
    async run(ctx) {
      if (!ctx.plan.publicDomain || exp.port === undefined) return undefined;
      const records = (await ctx.srv(exp.name)).records;
      // Where users end up: the targets' addresses, or the owner's own when there is no record.
      const hosts = records.length > 0 ? hostTargets(records).map((r) => r.target) : FALLBACK_PORT[exp.service] !== undefined ? [exp.owner] : [];
      const addresses = new Map<string, string>();
      for (const r of realTargets(records)) if (isIP(r.target) !== 0) addresses.set(r.target, r.target);
      for (const host of hosts) {
        const found = await ctx.addresses(host);
        for (const a of [...found.v4, ...found.v6]) addresses.set(a, fqdn(host));
      }
      if (addresses.size === 0) return undefined;
      const internal = [...addresses].filter(([a]) => addressScope(a) !== "global");
      if (internal.length === 0) return ok(`${[...addresses.keys()].join(", ")}: public`);
      const detail = `${internal.map(([a, host]) => `${host} → ${a} (${addressScope(a)})`).join(", ")}: ${users(exp)} outside this network cannot connect`;
      const extra = {
        hint: `${ctx.plan.domain} looks public: publish the public address of this server (or of the router that forwards port ${exp.port} to it)`,
        fix: [comment(`replace ${internal.map(([a]) => a).join(", ")} in the A/AAAA records above with the public address`)],
      };
      // Federation can never reach a private address; clients on the same LAN still can.
      return exp.service.endsWith("server") ? fail(detail, extra) : warn(detail, extra);
    },
  };
}
