// The configured listeners as places to connect to on this host: a wildcard address is reached
// through loopback, a specific one directly; port 0 (a random port at every start) cannot be.
import type { Config } from "../config/types.js";
import type { ProbeTarget } from "./probe.js";
import { describeTarget } from "./probe.js";

export interface ListenerTarget {
  /** The configuration key of the listener ("listeners.c2s"), or "--host". */
  listener: string;
  target: ProbeTarget;
  /** "listeners.c2s 127.0.0.1:5222 (STARTTLS)" */
  label: string;
  /** Why it cannot be probed, when it cannot. */
  notProbed?: string;
}

export function listenerTargets(config: Config, domain = config.domain): ListenerTarget[] {
  const targets: ListenerTarget[] = [];
  const entries = [
    ["listeners.c2s", config.listeners.c2s, "starttls"],
    ["listeners.c2sDirectTls", config.listeners.c2sDirectTls, "direct-tls"],
  ] as const;
  for (const [listener, settings, mode] of entries) {
    if (!settings.enabled) continue;
    const target: ProbeTarget = { host: localAddress(settings.addresses), port: settings.port, mode, streamTo: domain };
    targets.push({
      listener,
      target,
      label: `${listener} ${describeTarget(target)}`,
      ...(settings.port === 0 ? { notProbed: `${listener}.port is 0 (a random port at every start)` } : {}),
    });
  }
  return targets;
}

/** Where to reach a listener bound to `addresses` from this host. */
function localAddress(addresses: readonly string[]): string {
  if (addresses.length === 0 || addresses.includes("0.0.0.0")) return "127.0.0.1";
  const first = addresses[0]!;
  return first === "::" ? "::1" : first;
}
