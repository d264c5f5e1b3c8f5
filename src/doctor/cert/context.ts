// What the certificate checks share: the names the certificate must cover, the certificate under
// examination (read once), the trust anchors, and the live probes of the listeners. The first
// check to meet an unreadable certificate (cert.load) reports why; the others skip.
import { X509Certificate } from "node:crypto";
import { rootCertificates } from "node:tls";
import type { ListenerTarget } from "../listeners.js";
import { describeTarget, type ProbeCache, type ProbeOutcome, type ProbeTarget } from "../probe.js";
import { CheckAbort, fail, warn, type CheckResult } from "../types.js";
import { verifyChain, type ChainReport } from "./chain.js";
import { CertLoadError, readCertificateFiles, type CertSource, type LoadedCertificate } from "./source.js";

export type LoadOutcome = { ok: true; certificate: LoadedCertificate } | { ok: false; result: CheckResult };

export interface CertContextOptions {
  domain: string;
  /** Every name the certificate must be valid for: the domain, then the enabled services. */
  names: string[];
  source: CertSource;
  /** Listeners of this host to compare with the certificate (none for --cert/--key or --host). */
  listeners: ListenerTarget[];
  probes: ProbeCache;
  /** Trusted in addition to the system roots (--ca-file: a private CA). */
  extraTrust?: X509Certificate[];
  now?: Date;
}

export class CertContext {
  readonly domain: string;
  readonly names: string[];
  readonly source: CertSource;
  readonly listeners: ListenerTarget[];
  readonly probes: ProbeCache;
  readonly now: Date;
  readonly #extraTrust: X509Certificate[];
  #trusted: X509Certificate[] | undefined;
  #loaded: Promise<LoadOutcome> | undefined;

  constructor(options: CertContextOptions) {
    this.domain = options.domain;
    this.names = options.names;
    this.source = options.source;
    this.listeners = options.listeners;
    this.probes = options.probes;
    this.now = options.now ?? new Date();
    this.#extraTrust = options.extraTrust ?? [];
  }

  /** The certificate, read or fetched once. */
  load(): Promise<LoadOutcome> {
    this.#loaded ??= this.#load();
    return this.#loaded;
  }

  /**
   * For the checks after cert.load: the certificate. When it could not be had, those checks are
   * left out of the report: cert.load's finding says why, once.
   */
  async certificate(): Promise<LoadedCertificate> {
    const outcome = await this.load();
    if (!outcome.ok) throw new CheckAbort(undefined);
    return outcome.certificate;
  }

  /** The system's trusted roots (node's bundled store) and --ca-file. */
  trusted(): X509Certificate[] {
    this.#trusted ??= [...rootCertificates.map((pem) => new X509Certificate(pem)), ...this.#extraTrust];
    return this.#trusted;
  }

  verify(chain: readonly X509Certificate[]): ChainReport {
    return verifyChain(chain, this.trusted(), this.now);
  }

  probe(target: ProbeTarget, servername: string): Promise<ProbeOutcome> {
    return this.probes.probe(target, servername);
  }

  async #load(): Promise<LoadOutcome> {
    const source = this.source;
    if (source.kind === "none") {
      return {
        ok: false,
        result: warn(`${source.reason}: chatctl serve will generate a self-signed certificate`, {
          hint: "federation fails with a self-signed certificate and clients ask their users to trust it: set tls.cert and tls.key to a CA-issued certificate (e.g. from Let's Encrypt)",
        }),
      };
    }
    if (source.kind === "files") {
      try {
        return { ok: true, certificate: readCertificateFiles(source.certPath, source.keyPath, source.origin === "generated") };
      } catch (err) {
        if (err instanceof CertLoadError) return { ok: false, result: err.result };
        throw err;
      }
    }
    const outcome = await this.probe(source.target, this.domain);
    if (!outcome.ok) return { ok: false, result: fail(outcome.error.message, { hint: probeHint(outcome.error.failure) }) };
    const probe = outcome.tls;
    return {
      ok: true,
      certificate: { origin: describeTarget(source.target, probe.mode), chain: probe.chain, generated: false, probe },
    };
  }
}

export function probeHint(failure: string): string {
  switch (failure) {
    case "refused":
      return "is the server running? Start it (chatctl serve) or check the host and port";
    case "timeout":
      return "a firewall may drop the connection, or the host is down: check the port is open (nc -vz HOST PORT)";
    case "protocol":
      return "the port speaks another protocol: try --starttls or --direct-tls, or check the port";
    case "no-starttls":
      return "without STARTTLS clients cannot encrypt: check the server's TLS settings";
    case "tls":
      return "the TLS handshake failed: check the server's certificate and key, and its TLS versions (openssl s_client may show more)";
    default:
      return "check the host name, the port and the network path";
  }
}
