// cert.served: what a listener of this host really serves (the running server may not have
// loaded the file yet: SIGHUP), with the TLS version and cipher it negotiated.
import type { CertContext } from "../cert/context.js";
import { probeHint } from "../cert/context.js";
import { formatDate, sameLeaf } from "../cert/describe.js";
import { commonName } from "../cert/x509.js";
import type { ListenerTarget } from "../listeners.js";
import { fail, ok, skip, warn, type Check } from "../types.js";

/** Versions RFC 8996 deprecated: peers refuse them. */
const OBSOLETE_TLS = new Set(["TLSv1", "TLSv1.1", "SSLv3"]);

export function certServedCheck(l: ListenerTarget): Check<CertContext> {
  return {
    id: "cert.served",
    title: "Listener serves the certificate",
    subject: l.label,
    async run(ctx) {
      if (l.notProbed !== undefined) return skip(`not probed: ${l.notProbed}`);
      const outcome = await ctx.probe(l.target, ctx.domain);
      if (!outcome.ok) {
        const { error } = outcome;
        if (error.failure === "refused" && l.listener !== "--host") return skip(`${error.message}: is chatctl serve running?`);
        return fail(error.message, { hint: probeHint(error.failure) });
      }
      const { tls } = outcome;
      const served = tls.chain[0]!;
      const session = `${tls.protocol}, ${tls.cipher}`;
      if (OBSOLETE_TLS.has(tls.protocol)) {
        return warn(`negotiated ${session}: ${tls.protocol} is obsolete (RFC 8996)`, { hint: "set tls.minVersion to TLSv1.2 or TLSv1.3" });
      }
      const loaded = await ctx.load();
      if (l.listener === "--host" || !loaded.ok) return ok(`${session}; serves CN=${commonName(served)}, valid until ${formatDate(new Date(served.validTo))}`);
      const file = loaded.certificate;
      if (sameLeaf(tls.chain, file.chain)) return ok(`serves ${file.origin} (${session})`);
      return warn(`serves another certificate (CN=${commonName(served)}, valid until ${formatDate(new Date(served.validTo))}) than ${file.origin} (${session})`, {
        hint: "the running server has not loaded the current files: send it SIGHUP (it reloads the certificate without a restart), or restart it",
      });
    },
  };
}
