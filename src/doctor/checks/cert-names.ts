// cert.names: the certificate is valid for the domain and every enabled service name: by a
// dNSName (RFC 6125 wildcard rules), an id-on-xmppAddr or an SRV-ID, naming which are missing.
import type { CertContext } from "../cert/context.js";
import { certbotCommand } from "../cert/describe.js";
import { coverage, describeIdentities } from "../cert/identity.js";
import { subjectAltNames } from "../cert/x509.js";
import { fail, ok, warn, type Check } from "../types.js";

export const certNamesCheck: Check<CertContext> = {
  id: "cert.names",
  title: "Certificate covers every name",
  async run(ctx) {
    const { chain } = await ctx.certificate();
    const leaf = chain[0]!;
    const alt = subjectAltNames(leaf);
    const results = ctx.names.map((n) => coverage(leaf, n, alt));
    const missing = results.filter((r) => r.by === undefined).map((r) => r.name);
    const cnOnly = results.filter((r) => r.commonNameOnly).map((r) => r.name);
    const has = describeIdentities(leaf, alt);
    if (missing.length > 0) {
      return fail(`does not cover ${missing.join(", ")} (it has ${has})`, {
        hint: `clients and servers refuse it for ${missing.length === 1 ? "that name" : "those names"}: get a certificate for every name (a *.${ctx.domain} wildcard covers the service names, not ${ctx.domain} itself)`,
        fix: [certbotCommand(ctx.names)],
      });
    }
    if (cnOnly.length > 0) {
      return warn(`covers ${cnOnly.join(", ")} only through the subject CN, which current clients ignore`, {
        hint: "get a certificate that lists every name as a subjectAltName",
        fix: [certbotCommand(ctx.names)],
      });
    }
    return ok(`covers ${results.map((r) => `${r.name} (${r.by})`).join(", ")}`);
  },
};
