// cert.key-usage: the extended key usage allows serving TLS (serverAuth: required) and, for
// federation, presenting the certificate when this server connects out (clientAuth: servers
// that authenticate peers by certificate, RFC 6120 13.7.2 and XEP-0178, refuse one without it).
import type { CertContext } from "../cert/context.js";
import { extendedKeyUsage, OID } from "../cert/x509.js";
import { fail, ok, warn, type Check } from "../types.js";

export const certKeyUsageCheck: Check<CertContext> = {
  id: "cert.key-usage",
  title: "Extended key usage fits c2s and s2s",
  async run(ctx) {
    const usages = extendedKeyUsage((await ctx.certificate()).chain[0]!);
    if (usages === undefined) return ok("no extended key usage restriction: usable as TLS server and client");
    if (usages.includes(OID.anyExtendedKeyUsage)) return ok("any extended key usage");
    const server = usages.includes(OID.serverAuth);
    const client = usages.includes(OID.clientAuth);
    if (!server) {
      return fail("extended key usage lacks serverAuth: clients will refuse the certificate", {
        hint: "request a TLS server certificate (serverAuth) from the CA",
      });
    }
    if (!client) {
      return warn("serverAuth only, no clientAuth: servers that authenticate federating peers by certificate will refuse it when this server connects to them", {
        hint: "some CAs no longer include clientAuth; get a certificate that has it, or rely on Server Dialback (XEP-0220) for federation",
      });
    }
    return ok("serverAuth and clientAuth");
  },
};
