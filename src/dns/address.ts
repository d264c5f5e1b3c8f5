// Host-and-port values as people type them on the command line ("127.0.0.1", "127.0.0.1:5353",
// "[::1]:5353", "xmpp.example.com:5223") and as we print them back.
import { isIP } from "node:net";

export interface HostPort {
  /** An IP literal (without brackets) or a host name. */
  host: string;
  port: number;
}

export interface ParseHostPortOptions {
  /** Used when the text names no port. */
  defaultPort: number;
  /** Only IP literals are accepted (a DNS resolver must be given by address). */
  ipOnly?: boolean;
}

/**
 * Parses HOST[:PORT]. An IPv6 literal with a port must be bracketed ("[::1]:53"); a bare IPv6
 * literal ("::1") is taken whole, without a port. Throws RangeError saying what was expected.
 */
export function parseHostPort(text: string, opts: ParseHostPortOptions): HostPort {
  const value = text.trim();
  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(value);
  if (bracketed) {
    host = bracketed[1]!;
    portText = bracketed[2];
    if (isIP(host) !== 6) throw new RangeError(`"${text}": only an IPv6 address goes in brackets`);
  } else if (isIP(value) === 6) {
    host = value;
  } else {
    const colon = value.lastIndexOf(":");
    host = colon < 0 ? value : value.slice(0, colon);
    portText = colon < 0 ? undefined : value.slice(colon + 1);
  }
  const what = opts.ipOnly ? "an IP address" : "a host name or IP address";
  if (host === "") throw new RangeError(`"${text}": expected ${what}, optionally followed by :PORT`);
  if (opts.ipOnly && isIP(host) === 0) throw new RangeError(`"${text}": expected ${what} (IPv4, or IPv6 in brackets with a port), optionally followed by :PORT`);
  if (!opts.ipOnly && isIP(host) === 0 && !/^[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?\.?$/i.test(host)) {
    throw new RangeError(`"${text}": "${host}" is not ${what}`);
  }
  let port = opts.defaultPort;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      throw new RangeError(`"${text}": the port must be a number from 1 to 65535`);
    }
    port = Number(portText);
  }
  return { host: host.replace(/\.$/, ""), port };
}

/** "127.0.0.1:53", "[::1]:53", "xmpp.example.com:5222". */
export function formatHostPort(address: HostPort): string {
  return isIP(address.host) === 6 ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
