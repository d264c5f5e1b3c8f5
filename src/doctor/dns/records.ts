// Small readers over SRV answers shared by the DNS checks.
import { isIP } from "node:net";
import type { SrvRecord } from "../../dns/resolver.js";
import type { SrvExpectation } from "./plan.js";
import { fqdn } from "./zone.js";

/** The records that name a real target (not the "." of a disabled service). */
export function realTargets(records: readonly SrvRecord[]): SrvRecord[] {
  return records.filter((r) => r.target !== ".");
}

/** Targets that are host names (IP literals are reported by dns.srv-target-names). */
export function hostTargets(records: readonly SrvRecord[]): SrvRecord[] {
  return realTargets(records).filter((r) => isIP(r.target) === 0);
}

/** "0 5 5222 xmpp.example.com." — a record as it reads in a zone file. */
export function describeRecord(r: SrvRecord): string {
  return `${r.priority} ${r.weight} ${r.port} ${fqdn(r.target)}`;
}

export function describeRecords(records: readonly SrvRecord[]): string {
  return records.map(describeRecord).join(", ");
}

/** Who uses the record set: clients or remote servers. */
export function users(exp: SrvExpectation): string {
  return exp.service.endsWith("client") ? "clients" : "remote servers";
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
