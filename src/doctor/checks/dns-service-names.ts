// dns.service-names: the service names users connect to directly resolve: upload.<domain>
// (the host in HTTP upload URLs, XEP-0363) and proxy.<domain> (the SOCKS5 streamhost, XEP-0065).
// conference. and pubsub. are reached through federation, which dns.srv-records covers.
import { addressScope } from "../../dns/ip.js";
import type { DnsContext } from "../dns/context.js";
import type { ServiceName } from "../dns/plan.js";
import { cnameLine, fqdn } from "../dns/zone.js";
import { fail, ok, warn, type Check } from "../types.js";

const USE: Record<string, string> = {
  upload: "clients upload and download shared files at https://NAME/",
  proxy: "clients open file-transfer connections to NAME (SOCKS5)",
};

export function serviceNameCheck(service: ServiceName): Check<DnsContext> {
  return {
    id: "dns.service-names",
    title: "Service names users reach resolve",
    subject: service.name,
    async run(ctx) {
      const use = (USE[service.kind] ?? "users connect to NAME").replace("NAME", service.name);
      const found = await ctx.addresses(service.name);
      const addresses = [...found.v4, ...found.v6];
      if (addresses.length === 0) {
        const target = await ctx.fixTarget();
        return fail(`${fqdn(service.name)} does not resolve, but ${use}`, {
          hint: `point it at the server (a CNAME is fine here), or disable services.${service.kind}:`,
          fix: [cnameLine(service.name, target)],
        });
      }
      const via = found.cnames.length > 0 ? ` (via ${found.cnames.map(fqdn).join(" → ")})` : "";
      const internal = addresses.filter((a) => addressScope(a) !== "global");
      if (ctx.plan.publicDomain && internal.length === addresses.length) {
        return warn(`${fqdn(service.name)} → ${addresses.join(", ")}${via}: private addresses only, so users outside this network cannot reach it`, {
          hint: "publish the public address of this server for it",
        });
      }
      return ok(`${fqdn(service.name)} → ${addresses.join(", ")}${via}`);
    },
  };
}
