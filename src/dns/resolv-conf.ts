// The system's DNS servers, read from /etc/resolv.conf the way the C library reads it
// (resolv.conf(5)): at most three `nameserver` lines, `options timeout:N attempts:N`, and
// 127.0.0.1 when the file names no server at all.
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import type { HostPort } from "./address.js";

export const RESOLV_CONF = "/etc/resolv.conf";
export const DNS_PORT = 53;
/** resolv.conf(5): "Up to MAXNS (currently 3) name servers may be listed". */
const MAX_NAMESERVERS = 3;

export interface ResolvConf {
  servers: HostPort[];
  /** From `options timeout:N` (seconds in the file, milliseconds here). */
  timeoutMs?: number;
  /** From `options attempts:N`. */
  attempts?: number;
}

export function parseResolvConf(text: string): ResolvConf {
  const servers: HostPort[] = [];
  const conf: ResolvConf = { servers };
  for (const raw of text.split("\n")) {
    const line = raw.replace(/[#;].*$/, "").trim();
    const [keyword, ...args] = line.split(/\s+/);
    if (keyword === "nameserver" && args[0] !== undefined) {
      // A scoped IPv6 address (fe80::1%eth0) keeps its zone: the socket needs it.
      const address = args[0];
      if (isIP(address.replace(/%.*$/, "")) !== 0 && servers.length < MAX_NAMESERVERS) servers.push({ host: address, port: DNS_PORT });
    } else if (keyword === "options") {
      for (const option of args) {
        const [name, value] = option.split(":");
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1) continue;
        if (name === "timeout") conf.timeoutMs = n * 1000;
        if (name === "attempts") conf.attempts = n;
      }
    }
  }
  return conf;
}

/** The system configuration; a missing or serverless file means the local server, as in libc. */
export function systemResolvConf(path = RESOLV_CONF): ResolvConf {
  let conf: ResolvConf;
  try {
    conf = parseResolvConf(readFileSync(path, "utf8"));
  } catch {
    conf = { servers: [] };
  }
  if (conf.servers.length === 0) conf.servers.push({ host: "127.0.0.1", port: DNS_PORT });
  return conf;
}
