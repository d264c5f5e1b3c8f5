// cert.served-names: asking a listener for each name by SNI, as clients and servers do, gets a
// certificate valid for that name.
import type { CertContext } from "../cert/context.js";
import { certbotCommand } from "../cert/describe.js";
import { coverage } from "../cert/identity.js";
import { commonName } from "../cert/x509.js";
import type { ListenerTarget } from "../listeners.js";
import { fail, ok, type Check } from "../types.js";

export function certServedNamesCheck(l: ListenerTarget): Check<CertContext> {
  return {
    id: "cert.served-names",
    title: "Served certificate valid for each SNI",
    subject: l.label,
    async run(ctx) {
      if (l.notProbed !== undefined || !(await ctx.probe(l.target, ctx.domain)).ok) return undefined;
      const missing: string[] = [];
      const problems: string[] = [];
      const served = new Set<string>();
      for (const name of ctx.names) {
        const outcome = await ctx.probe(l.target, name);
        if (!outcome.ok) {
          problems.push(`${name}: ${outcome.error.message}`);
          continue;
        }
        const leaf = outcome.tls.chain[0]!;
        served.add(`CN=${commonName(leaf)}`);
        if (coverage(leaf, name).by === undefined) missing.push(name);
      }
      if (missing.length > 0 || problems.length > 0) {
        const parts = [
          ...(missing.length > 0 ? [`the certificate served (${[...served].join(", ")}) does not cover ${missing.join(", ")}`] : []),
          ...problems,
        ];
        return fail(parts.join("; "), {
          hint: "clients and servers asking for those names refuse the connection: serve a certificate that covers every name, then send chatctl SIGHUP",
          fix: [certbotCommand(ctx.names)],
        });
      }
      return ok(`valid for every name asked for by SNI: ${ctx.names.join(", ")}`);
    },
  };
}
