// What DNS should say about this server, derived from the configuration: which SRV record sets
// matter (RFC 6120 3.2.1, XEP-0368), on which port each service is served, what a client does
// without a record, and which service names remote users must reach.
import type { Config, ListenerConfig } from "../../config/types.js";
import { looksPublic } from "../../dns/ip.js";

export type SrvService = "xmpp-client" | "xmpps-client" | "xmpp-server" | "xmpps-server";

/** RFC 6120 3.2.2: without SRV records, clients connect to the domain's A/AAAA on these ports. */
export const FALLBACK_PORT: Partial<Record<SrvService, number>> = { "xmpp-client": 5222, "xmpp-server": 5269 };

export interface SrvExpectation {
  service: SrvService;
  /** The domain (or service name) the record set belongs to. */
  owner: string;
  /** `_xmpp-client._tcp.example.com` */
  name: string;
  /** Where chatctl serves this; undefined when it does not. */
  port?: number;
  /** The listener, as the configuration names it: "listeners.c2s", or "--s2s-port". */
  listener: string;
  /** Why it is not served, when port is undefined. */
  notServed?: string;
  /**
   * How bad a missing record is when the service is served on a port no client would guess:
   * fail when it is the only way in, warn when clients still get in another way (STARTTLS).
   */
  missing: { status: "fail" | "warn"; consequence: string };
}

export type ServiceKind = "conference" | "pubsub" | "proxy" | "upload";

export interface ServiceName {
  kind: ServiceKind;
  name: string;
  /**
   * How users reach it: through federation (s2s: SRV or A/AAAA), or by connecting to this very
   * name whether or not federation is on (HTTP upload URLs, the SOCKS5 streamhost of the proxy).
   */
  reach: "s2s" | "direct";
}

export interface DnsPlan {
  domain: string;
  srv: SrvExpectation[];
  services: ServiceName[];
  /** The S2S port when federation is served (--s2s-port, or an s2s listener in the configuration). */
  s2sPort?: number;
  /** The host name SRV records should point at, when the user chose one (--target). */
  target?: string;
  /** Whether the domain is meant to be reached from the Internet (not .test, .lan, localhost …). */
  publicDomain: boolean;
}

export interface DnsPlanOptions {
  /** Overrides config.domain (doctor dns DOMAIN). */
  domain?: string;
  s2sPort?: number;
  target?: string;
}

const SERVICE_KINDS: readonly ServiceKind[] = ["conference", "pubsub", "proxy", "upload"];

export function srvName(service: SrvService, owner: string): string {
  return `_${service}._tcp.${owner}`;
}

/** The configured S2S listener port, once the configuration has one; until then only --s2s-port. */
export function configuredS2sPort(config: Config): number | undefined {
  const s2s = (config.listeners as unknown as Record<string, ListenerConfig | undefined>).s2s;
  return s2s?.enabled ? s2s.port : undefined;
}

export function dnsPlan(config: Config, opts: DnsPlanOptions = {}): DnsPlan {
  const domain = (opts.domain ?? config.domain).toLowerCase().replace(/\.$/, "");
  const s2sPort = opts.s2sPort ?? configuredS2sPort(config);
  const services: ServiceName[] = SERVICE_KINDS.filter((k) => config.services[k]).map((kind) => ({
    kind,
    name: `${kind}.${domain}`,
    reach: kind === "upload" || kind === "proxy" ? "direct" : "s2s",
  }));

  const starttls = served(config.listeners.c2s, "listeners.c2s");
  const direct = served(config.listeners.c2sDirectTls, "listeners.c2sDirectTls");
  const srv: SrvExpectation[] = [
    {
      service: "xmpp-client",
      owner: domain,
      name: srvName("xmpp-client", domain),
      ...starttls,
      listener: "listeners.c2s",
      missing: direct.port !== undefined
        ? { status: "fail", consequence: "clients that do not look up _xmpps-client cannot connect" }
        : { status: "fail", consequence: "clients cannot find the server" },
    },
    {
      service: "xmpps-client",
      owner: domain,
      name: srvName("xmpps-client", domain),
      ...direct,
      listener: "listeners.c2sDirectTls",
      // XEP-0368: without the record clients never learn the direct-TLS port and use STARTTLS.
      missing: starttls.port !== undefined
        ? { status: "warn", consequence: "clients will not find direct TLS and use STARTTLS instead" }
        : { status: "fail", consequence: "clients cannot find the server (STARTTLS is disabled)" },
    },
  ];
  if (s2sPort !== undefined) {
    for (const owner of [domain, ...services.map((s) => s.name)]) {
      srv.push({
        service: "xmpp-server",
        owner,
        name: srvName("xmpp-server", owner),
        port: s2sPort,
        listener: "--s2s-port",
        missing: { status: "fail", consequence: `remote servers cannot reach ${owner}` },
      });
    }
    srv.push({
      service: "xmpps-server",
      owner: domain,
      name: srvName("xmpps-server", domain),
      listener: "s2s direct TLS",
      notServed: "chatctl has no direct-TLS S2S listener",
      missing: { status: "warn", consequence: "" },
    });
  }
  return {
    domain,
    srv,
    services,
    ...(s2sPort !== undefined ? { s2sPort } : {}),
    ...(opts.target !== undefined ? { target: opts.target.toLowerCase().replace(/\.$/, "") } : {}),
    publicDomain: looksPublic(domain),
  };
}

function served(listener: ListenerConfig, path: string): { port?: number; notServed?: string } {
  if (!listener.enabled) return { notServed: `${path}.enabled is false` };
  // Port 0 means "any free port", a different one at every start: no record can name it.
  if (listener.port === 0) return { notServed: `${path}.port is 0 (a random port at every start)` };
  return { port: listener.port };
}
