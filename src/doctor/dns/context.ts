// What the DNS checks share: the plan, the resolver, and every lookup made once per run (the SRV
// check, the port check and the target checks all read the same answer). It also turns resolver
// trouble into check results: the first check to meet a resolver that does not answer fails with
// "resolver … did not answer"; every later check skips instead of repeating it.
import { isIP } from "node:net";
import { networkInterfaces } from "node:os";
import { addressScope } from "../../dns/ip.js";
import { ResolverError, type AddressLookup, type DnsResponse, type Resolver, type SrvLookup } from "../../dns/resolver.js";
import { CheckAbort, fail, skip } from "../types.js";
import type { DnsPlan, SrvService } from "./plan.js";
import { srvName } from "./plan.js";
import { addressLine, comment } from "./zone.js";

export interface DnsContextOptions {
  /** This host's addresses, offered in fixes that need an A/AAAA record; default: the network interfaces. */
  hostAddresses?: () => string[];
}

export class DnsContext {
  readonly #lookups = new Map<string, Promise<unknown>>();
  /** Lookups whose error a check has already reported. */
  readonly #reported = new Set<string>();
  /** Set once the resolver proved useless (no answer, or REFUSED/SERVFAIL for the domain). */
  #unusable = false;
  readonly #hostAddresses: () => string[];

  constructor(
    readonly plan: DnsPlan,
    readonly resolver: Resolver,
    options: DnsContextOptions = {},
  ) {
    this.#hostAddresses = options.hostAddresses ?? interfaceAddresses;
  }

  /**
   * The resolver answers, but not usefully (REFUSED, SERVFAIL for the domain itself): the checks
   * after this one would only repeat it, so they are left out.
   */
  giveUp(): void {
    this.#unusable = true;
  }

  /** Any answer at all for the domain (SOA), whatever its code: does the resolver answer? */
  probe(): Promise<DnsResponse> {
    return this.#lookup(`probe ${this.plan.domain}`, () => this.resolver.query(this.plan.domain, "SOA"));
  }

  srv(name: string): Promise<SrvLookup> {
    return this.#lookup(`SRV ${name.toLowerCase()}`, () => this.resolver.srv(name));
  }

  addresses(name: string): Promise<AddressLookup> {
    return this.#lookup(`ADDR ${name.toLowerCase()}`, () => this.resolver.addresses(name));
  }

  /**
   * The host name new SRV records should point at: --target, else the target the domain's
   * existing records already use (its canonical name if it is an alias), else the domain itself.
   */
  async fixTarget(): Promise<string> {
    if (this.plan.target !== undefined) return this.plan.target;
    const services: SrvService[] = ["xmpp-client", "xmpps-client", "xmpp-server"];
    for (const service of services) {
      try {
        const { records } = await this.srv(srvName(service, this.plan.domain));
        const usable = records.find((r) => r.target !== "." && isIP(r.target) === 0);
        if (usable) return (await this.addresses(usable.target)).canonical;
      } catch {
        // No usable answer for this one: try the next.
      }
    }
    return this.plan.domain;
  }

  /** Lines that give `host` this server's addresses (or say what to put there). */
  addressFix(host: string): string[] {
    const addresses = this.#hostAddresses();
    if (addresses.length === 0) return [comment(`give ${host} an A and/or AAAA record with this server's public address`)];
    const lines = addresses.map((a) => addressLine(host, a));
    if (this.plan.publicDomain && addresses.some((a) => addressScope(a) !== "global")) {
      lines.push(comment("behind NAT, use the public address that forwards to this host instead"));
    }
    return lines;
  }

  async #lookup<T>(key: string, query: () => Promise<T>): Promise<T> {
    // Once the resolver has not answered, checks that need it are left out: the one failure
    // (dns.resolver) says it all, where a skip on every row would bury it.
    if (this.#unusable && !this.#lookups.has(key)) throw new CheckAbort(undefined);
    let pending = this.#lookups.get(key) as Promise<T> | undefined;
    if (pending === undefined) {
      pending = query();
      this.#lookups.set(key, pending);
    }
    try {
      return await pending;
    } catch (err) {
      if (!(err instanceof ResolverError)) throw err;
      // A silent resolver is reported once (by the first check that met it); an error code once per question.
      const reportedAs = err.kind === "no-answer" ? "no-answer" : key;
      if (err.kind === "no-answer") this.#unusable = true;
      if (this.#reported.has(reportedAs)) throw new CheckAbort(err.kind === "no-answer" ? undefined : skip(`not checked: ${err.message}`));
      this.#reported.add(reportedAs);
      throw new CheckAbort(resolverFailure(err));
    }
  }
}

function resolverFailure(err: ResolverError): ReturnType<typeof fail> {
  if (err.kind === "no-answer") {
    return fail(err.message, {
      hint: `${err.reason}; the DNS checks need it and did not run: check that the resolver runs and that this host may query it, or choose another with --resolver IP[:PORT]`,
    });
  }
  const meaning: Record<string, string> = {
    SERVFAIL: "the resolver could not get an answer from the domain's name servers (broken delegation, unreachable name servers, or a DNSSEC failure)",
    REFUSED: "the resolver does not answer this host's questions (not a recursive resolver for it)",
  };
  return fail(err.message, {
    hint: `${meaning[err.reason] ?? "the resolver could not answer"}; compare with another resolver (--resolver 9.9.9.9) and check the zone's delegation`,
  });
}

function interfaceAddresses(): string[] {
  const addresses: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.internal || a.address.startsWith("fe80:")) continue;
      addresses.push(a.address);
    }
  }
  return addresses;
}
