// What the checks of the host itself share: the configuration (or why it did not load) and the
// probes of the listeners (shared with the certificate checks, so each connection is made once).
import type { Config } from "../../config/types.js";
import type { ProbeCache } from "../probe.js";

export type ConfigOutcome = { ok: true; config: Config } | { ok: false; error: Error & { hint?: string } };

export interface SystemContext {
  config: ConfigOutcome;
  probes: ProbeCache;
}

/** The configuration, for checks that cannot run without it (they are only built when it loaded). */
export function configOf(ctx: SystemContext): Config {
  if (!ctx.config.ok) throw new Error("the configuration did not load");
  return ctx.config.config;
}
