// listeners.reachable: each enabled listener accepts connections on its configured port and
// speaks XMPP with TLS (STARTTLS offered on c2s, a TLS handshake on direct TLS).
import { probeHint } from "../cert/context.js";
import type { ListenerTarget } from "../listeners.js";
import type { SystemContext } from "../system/context.js";
import { fail, ok, skip, type Check } from "../types.js";

export function listenerReachableCheck(l: ListenerTarget): Check<SystemContext> {
  return {
    id: "listeners.reachable",
    title: "Listener reachable",
    subject: l.label,
    async run(ctx) {
      if (l.notProbed !== undefined) return skip(`not probed: ${l.notProbed}`);
      const outcome = await ctx.probes.probe(l.target, l.target.streamTo);
      if (outcome.ok) {
        const how = outcome.tls.mode === "starttls" ? "offers STARTTLS" : "completes a direct TLS handshake";
        return ok(`answers and ${how} (${outcome.tls.protocol})`);
      }
      const { error } = outcome;
      if (error.failure === "refused") {
        return fail(`${error.message}: the server is not running, or listens elsewhere`, {
          hint: `start it, or check ${l.listener}.addresses and .port in the configuration and the server's log`,
          fix: ["chatctl serve"],
        });
      }
      return fail(error.message, { hint: probeHint(error.failure) });
    },
  };
}
