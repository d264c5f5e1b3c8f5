// cert.served-chain: a listener sends the whole chain (a file can be complete while the running
// server still serves an older, incomplete one).
import type { CertContext } from "../cert/context.js";
import { chainFinding } from "../cert/describe.js";
import type { ListenerTarget } from "../listeners.js";
import type { Check } from "../types.js";

export function certServedChainCheck(l: ListenerTarget): Check<CertContext> {
  return {
    id: "cert.served-chain",
    title: "Served chain complete",
    subject: l.label,
    async run(ctx) {
      // For --host the served chain is the one cert.chain examines already.
      if (l.notProbed !== undefined || ctx.source.kind === "host") return undefined;
      const outcome = await ctx.probe(l.target, ctx.domain);
      if (!outcome.ok) return undefined;
      return chainFinding(ctx.verify(outcome.tls.chain), l.label, ctx.names);
    },
  };
}
