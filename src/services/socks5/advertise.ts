// Which address the proxy tells clients to connect to (the streamhost `host` of XEP-0065 §4).
// A proxy that advertises the wildcard it binds, or loopback, works on the machine itself and
// nowhere else — the usual reason file transfers fail across subnets and NAT. So: the configured
// host; else a specific bind address; else loopback only when the domain is this machine's own
// (localhost); else an address of this machine's interfaces, public first for a public domain.
// The module and `chatctl doctor` both use this, so the doctor reports what clients really get.
import { isIP } from "node:net";
import { networkInterfaces, type NetworkInterfaceInfo } from "node:os";
import { addressScope, looksPublic } from "../../dns/ip.js";

export type AdvertisedSource =
  /** proxy.advertisedHost */
  | "configured"
  /** a specific (not wildcard) entry of proxy.addresses */
  | "bind-address"
  /** loopback, for a domain that only this machine uses */
  | "loopback-domain"
  /** an address of one of this machine's interfaces */
  | "interface"
  /** nothing better was found: the XMPP domain itself */
  | "domain";

export interface AdvertisedHost {
  host: string;
  source: AdvertisedSource;
  /** The interface the address belongs to, for source "interface". */
  interfaceName?: string;
}

export interface AdvertiseInput {
  domain: string;
  proxy: { addresses: readonly string[]; advertisedHost?: string | undefined };
}

const WILDCARDS = new Set(["0.0.0.0", "::"]);

/** A domain only this machine serves: localhost, *.localhost, or a loopback address. */
export function isLoopbackDomain(domain: string): boolean {
  const name = domain.toLowerCase().replace(/\.$/, "");
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  return isIP(name) !== 0 && addressScope(name) === "loopback";
}

export function advertisedHost(
  config: AdvertiseInput,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): AdvertisedHost {
  const configured = config.proxy.advertisedHost;
  if (configured !== undefined && configured !== "") return { host: configured, source: "configured" };

  const bound = config.proxy.addresses;
  const specific = bound.filter((a) => !WILDCARDS.has(a));
  if (specific.length === bound.length && specific.length > 0) {
    // Bound to specific addresses only: one of them is where clients can connect.
    const reachable = specific.find((a) => addressScope(a) !== "loopback");
    return { host: reachable ?? specific[0]!, source: "bind-address" };
  }
  const v4 = bound.includes("0.0.0.0");
  const v6 = bound.includes("::");
  if (isLoopbackDomain(config.domain)) return { host: v4 || !v6 ? "127.0.0.1" : "::1", source: "loopback-domain" };

  const candidates: Array<{ address: string; name: string; family: 4 | 6 }> = [];
  for (const [name, list] of Object.entries(interfaces)) {
    for (const info of list ?? []) {
      if (info.internal) continue;
      const family = info.family === "IPv4" ? 4 : 6;
      if ((family === 4 && !v4) || (family === 6 && !v6)) continue;
      // Link-local IPv6 needs a zone index clients cannot know; loopback never leaves the host.
      const scope = addressScope(info.address);
      if (scope === "loopback" || (family === 6 && /^fe[89ab]/i.test(info.address))) continue;
      candidates.push({ address: info.address, name, family });
    }
  }
  const wantGlobal = looksPublic(config.domain);
  const rank = (c: { address: string; family: 4 | 6 }) =>
    (c.family === 4 ? 0 : 2) + ((addressScope(c.address) === "global") === wantGlobal ? 0 : 1);
  const best = candidates.sort((a, b) => rank(a) - rank(b))[0];
  if (best) return { host: best.address, source: "interface", interfaceName: best.name };
  return { host: config.domain, source: "domain" };
}

/** The source in words, for logs and the doctor. */
export function describeSource(a: AdvertisedHost): string {
  switch (a.source) {
    case "configured":
      return "proxy.advertisedHost";
    case "bind-address":
      return "from proxy.addresses";
    case "loopback-domain":
      return "loopback, as the domain is local to this machine";
    case "interface":
      return `auto-detected from interface ${a.interfaceName ?? "?"}`;
    case "domain":
      return "the XMPP domain, as no interface address was found";
  }
}
