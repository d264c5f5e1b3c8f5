// Zone-file lines (RFC 1035 master file format) for the fixes doctor proposes, so that the
// sysadmin can paste them as they are. Names are written fully qualified, with the final dot.
import { isIP } from "node:net";
import type { SrvRecord } from "../../dns/resolver.js";

/** One hour: short enough to correct a mistake quickly, long enough not to matter for load. */
export const TTL = 3600;
/** RFC 2782 example weights; 5 leaves room to add a second target with its own share. */
export const DEFAULT_PRIORITY = 0;
export const DEFAULT_WEIGHT = 5;

export function fqdn(name: string): string {
  return name === "." ? "." : `${name.replace(/\.$/, "")}.`;
}

export function srvLine(name: string, record: SrvRecord): string {
  return `${fqdn(name)} ${TTL} IN SRV ${record.priority} ${record.weight} ${record.port} ${fqdn(record.target)}`;
}

/** The record that points a service at `target:port`, with the default priority and weight. */
export function newSrvLine(name: string, port: number, target: string): string {
  return srvLine(name, { priority: DEFAULT_PRIORITY, weight: DEFAULT_WEIGHT, port, target });
}

/** RFC 2782: "A Target of '.' means that the service is decidedly not available at this domain." */
export function disabledSrvLine(name: string): string {
  return srvLine(name, { priority: 0, weight: 0, port: 0, target: "." });
}

export function addressLine(host: string, address: string): string {
  return `${fqdn(host)} ${TTL} IN ${isIP(address) === 6 ? "AAAA" : "A"} ${address}`;
}

export function cnameLine(name: string, target: string): string {
  return `${fqdn(name)} ${TTL} IN CNAME ${fqdn(target)}`;
}

/** A comment line, which zone files allow, for what cannot be written as a record. */
export function comment(text: string): string {
  return `; ${text}`;
}
