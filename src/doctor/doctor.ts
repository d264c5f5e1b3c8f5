// Collects the doctor reports: builds each suite's context from the configuration and the
// options, runs the registry's checks and returns plain data for the CLI to render (or print
// as JSON). Nothing here prints or exits.
import { X509Certificate } from "node:crypto";
import type { Config } from "../config/types.js";
import type { HostPort } from "../dns/address.js";
import { Resolver } from "../dns/resolver.js";
import { certificateNames } from "../tls/credentials.js";
import { CertContext } from "./cert/context.js";
import { configuredCertSource, type CertSource } from "./cert/source.js";
import { DnsContext } from "./dns/context.js";
import { dnsPlan } from "./dns/plan.js";
import { listenerTargets, type ListenerTarget } from "./listeners.js";
import { describeTarget, ProbeCache } from "./probe.js";
import { certChecks, dnsChecks, systemChecks } from "./registry.js";
import { runChecks, type Report } from "./report.js";
import type { ConfigOutcome } from "./system/context.js";

/** Per DNS reply and per connection. */
export const DEFAULT_TIMEOUT_MS = 3000;

export interface DnsRunOptions {
  /** Instead of /etc/resolv.conf. */
  resolvers?: HostPort[];
  timeoutMs?: number;
  s2sPort?: number;
  /** Host name for new SRV records in fixes. */
  target?: string;
  /** This host's addresses for A/AAAA fixes (tests fix them). */
  hostAddresses?: () => string[];
}

export interface CertRunOptions {
  /** Default: the configured certificate, compared with what the configured listeners serve. */
  source?: CertSource;
  timeoutMs?: number;
  /** Trusted besides the system roots. */
  extraTrust?: X509Certificate[];
  now?: Date;
  /** Shared with other suites of the same run. */
  probes?: ProbeCache;
}

export async function dnsReport(config: Config, opts: DnsRunOptions = {}): Promise<Report> {
  const { context, checks } = await runDns(config, opts);
  return { command: "doctor dns", domain: config.domain, context, checks };
}

export async function certReport(config: Config, opts: CertRunOptions = {}): Promise<Report> {
  const { context, checks } = await runCert(config, opts);
  return { command: "doctor cert", domain: config.domain, context, checks };
}

/** Everything: the host (configuration, listeners, storage, disk), DNS, then the certificate. */
export async function fullReport(config: ConfigOutcome, opts: DnsRunOptions & CertRunOptions = {}): Promise<Report> {
  const probes = opts.probes ?? new ProbeCache(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const listeners = config.ok ? listenerTargets(config.config) : [];
  const system = await runChecks(systemChecks(config.ok, listeners), { config, probes });
  if (!config.ok) return { command: "doctor", domain: "", context: {}, checks: system };
  const dns = await runDns(config.config, opts);
  const cert = await runCert(config.config, { ...opts, probes });
  return {
    command: "doctor",
    domain: config.config.domain,
    context: { config: config.config.source ?? "built-in defaults", ...dns.context, ...cert.context },
    checks: [...system, ...dns.checks, ...cert.checks],
  };
}

async function runDns(config: Config, opts: DnsRunOptions) {
  const plan = dnsPlan(config, {
    ...(opts.s2sPort !== undefined ? { s2sPort: opts.s2sPort } : {}),
    ...(opts.target !== undefined ? { target: opts.target } : {}),
  });
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const resolver = opts.resolvers !== undefined && opts.resolvers.length > 0 ? new Resolver({ servers: opts.resolvers, timeoutMs }) : Resolver.system({ timeoutMs });
  const ctx = new DnsContext(plan, resolver, opts.hostAddresses ? { hostAddresses: opts.hostAddresses } : {});
  return { context: { resolver: resolver.describe() }, checks: await runChecks(dnsChecks(plan), ctx) };
}

async function runCert(config: Config, opts: CertRunOptions) {
  const source = opts.source ?? configuredCertSource(config);
  // The configured certificate is compared with what this host's listeners serve; a file given
  // on the command line stands alone, and a remote host is its own listener.
  let listeners: ListenerTarget[] = [];
  if (source.kind === "host") listeners = [{ listener: "--host", target: source.target, label: describeTarget(source.target) }];
  else if (opts.source === undefined) listeners = listenerTargets(config);
  const ctx = new CertContext({
    domain: config.domain,
    names: certificateNames(config),
    source,
    listeners,
    probes: opts.probes ?? new ProbeCache(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    ...(opts.extraTrust ? { extraTrust: opts.extraTrust } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  const context: Record<string, string> =
    source.kind === "files" ? { certificate: source.certPath } : source.kind === "host" ? { host: describeTarget(source.target) } : {};
  return { context, checks: await runChecks(certChecks(listeners), ctx) };
}
