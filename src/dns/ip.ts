// Which addresses the rest of the Internet cannot reach, and which domains look like they are
// meant to be reached from it. Used to flag DNS that points public names at private hosts.
import { BlockList, isIP } from "node:net";

/** Loopback, private, link-local, shared (CGNAT) and unspecified ranges (RFC 1918, 4193, 6598 …). */
const NOT_GLOBAL = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
] as const) {
  NOT_GLOBAL.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
] as const) {
  NOT_GLOBAL.addSubnet(net, prefix, "ipv6");
}

export type AddressScope = "loopback" | "private" | "global";

export function addressScope(address: string): AddressScope {
  const family = isIP(address);
  if (family === 0) throw new RangeError(`"${address}" is not an IP address`);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return addressScope(mapped);
  if (family === 4 ? address.startsWith("127.") : address === "::1") return "loopback";
  return NOT_GLOBAL.check(address, family === 4 ? "ipv4" : "ipv6") ? "private" : "global";
}

/**
 * Top-level names reserved for local or documentation use (RFC 2606, 6761, 6762, 8375 and
 * common private conventions): a domain under them is not meant to be reached from outside.
 */
const LOCAL_SUFFIXES = ["test", "example", "invalid", "localhost", "local", "localdomain", "lan", "home", "internal", "intranet", "corp", "private", "home.arpa"];

/** Whether remote servers and users are expected to reach this domain through public DNS. */
export function looksPublic(domain: string): boolean {
  const name = domain.toLowerCase().replace(/\.$/, "");
  if (isIP(name) !== 0 || !name.includes(".")) return false;
  return !LOCAL_SUFFIXES.some((suffix) => name === suffix || name.endsWith(`.${suffix}`));
}
