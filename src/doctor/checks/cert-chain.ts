// cert.chain: the file (or what the host presents) holds a chain up to a trusted root. A
// self-signed certificate is a warning: it works for clients that pin it, never for federation.
import type { CertContext } from "../cert/context.js";
import { chainFinding } from "../cert/describe.js";
import type { Check } from "../types.js";

export const certChainCheck: Check<CertContext> = {
  id: "cert.chain",
  title: "Chain complete up to a trusted root",
  async run(ctx) {
    const c = await ctx.certificate();
    return chainFinding(ctx.verify(c.chain), c.origin, ctx.names);
  },
};
