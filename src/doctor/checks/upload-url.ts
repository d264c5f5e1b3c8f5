// upload.url: the host in the HTTP upload URLs (XEP-0363) resolves and the certificate the
// upload listener serves (the server's own) is valid for it. Clients fetch those URLs with
// ordinary HTTPS: a name that does not resolve, or that the certificate does not cover, breaks
// every shared file although chat works.
//
// The default host, upload.<domain>, is already resolved by dns.service-names (with the resolver
// the DNS suite was given), so it is resolved here only when upload.publicUrl names another host.
import { isIP } from "node:net";
import type { Config } from "../../config/types.js";
import { ChatctlError } from "../../errors.js";
import { Resolver } from "../../dns/resolver.js";
import { publicBaseUrl } from "../../services/upload/urls.js";
import { certificateNames } from "../../tls/credentials.js";
import { certbotCommand } from "../cert/describe.js";
import { coverage, describeIdentities } from "../cert/identity.js";
import { CertLoadError, configuredCertSource, readCertificateFiles } from "../cert/source.js";
import { subjectAltNames } from "../cert/x509.js";
import { configOf, type SystemContext } from "../system/context.js";
import { fail, ok, skip, type Check, type CheckResult } from "../types.js";

export interface UploadUrlCheckOptions {
  /** How names are resolved (default: the system's resolvers, with the doctor's timeout). */
  resolver?: (timeoutMs: number) => Resolver;
}

export function createUploadUrlCheck(options: UploadUrlCheckOptions = {}): Check<SystemContext> {
  const resolverFor = options.resolver ?? ((timeoutMs: number) => Resolver.system({ timeoutMs, attempts: 1 }));
  return {
    id: "upload.url",
    title: "Upload URLs resolve and the certificate covers them",
    async run(ctx) {
      const config = configOf(ctx);
      if (!config.services.upload) return undefined;
      let base: URL;
      try {
        base = publicBaseUrl(config);
      } catch (err) {
        if (err instanceof ChatctlError) return fail(err.message, { hint: err.hint ?? "correct upload.publicUrl" });
        throw err;
      }
      const host = base.hostname.replace(/^\[|\]$/g, "");
      const resolved = await resolution(config, host, () => resolverFor(ctx.probes.timeoutMs));
      if (resolved.status === "fail") return resolved;
      const covered = certificateCoverage(config, host);
      if (covered.status !== "ok") return covered;
      return ok(`${base.origin}/: ${resolved.detail}; ${covered.detail}`);
    },
  };
}

export const uploadUrlCheck: Check<SystemContext> = createUploadUrlCheck();

async function resolution(config: Config, host: string, resolver: () => Resolver): Promise<CheckResult> {
  if (isIP(host) !== 0) return ok(`${host} is an IP address`);
  if (host === `upload.${config.domain}`) return ok(`${host} (its DNS records: see dns.service-names)`);
  try {
    const found = await resolver().addresses(host);
    const addresses = [...found.v4, ...found.v6];
    if (addresses.length > 0) return ok(`${host} → ${addresses.join(", ")}`);
    return fail(`${host}, the host of upload.publicUrl, does not resolve${found.nxdomain ? " (no such name)" : " (no A or AAAA record)"}`, {
      hint: "clients cannot upload or download shared files: give it an A/AAAA record (or a CNAME) pointing at this server, or correct upload.publicUrl",
    });
  } catch (err) {
    return fail(`${host}, the host of upload.publicUrl, could not be resolved: ${(err as Error).message}`, {
      hint: "check the resolver this host uses (/etc/resolv.conf), then run chatctl doctor again",
    });
  }
}

function certificateCoverage(config: Config, host: string): CheckResult {
  const source = configuredCertSource(config);
  if (source.kind === "none") {
    // chatctl serve will generate a self-signed certificate for certificateNames(config).
    if (certificateNames(config).includes(host)) return ok(`the certificate chatctl generates will cover ${host} (self-signed: see cert.load)`);
    return fail(`the certificate chatctl generates covers ${certificateNames(config).join(", ")}, not ${host}`, {
      hint: "serve a certificate for that name too (tls.cert, tls.key), or leave upload.publicUrl unset",
      fix: [certbotCommand([...certificateNames(config), host])],
    });
  }
  if (source.kind !== "files") return skip("no certificate to compare with");
  let leaf;
  try {
    leaf = readCertificateFiles(source.certPath, source.keyPath, source.origin === "generated").chain[0]!;
  } catch (err) {
    if (err instanceof CertLoadError) return skip(`the certificate could not be read (see cert.load): ${err.message}`);
    throw err;
  }
  const alt = subjectAltNames(leaf);
  // HTTPS clients match an IP address in the URL against IP subjectAltNames only (RFC 9110 §4.3.4).
  const found = isIP(host) !== 0 ? { by: alt.some((a) => a.type === "ip" && a.value === host) ? `IP:${host}` : undefined, commonNameOnly: false } : coverage(leaf, host, alt);
  if (found.by === undefined || found.commonNameOnly) {
    const names = [...new Set([...certificateNames(config), host])];
    return fail(`the certificate (${source.certPath}) does not cover ${host}${found.commonNameOnly ? " except through its subject CN, which HTTPS clients ignore" : ""} (it has ${describeIdentities(leaf, alt)})`, {
      hint: "HTTPS clients refuse the upload URLs: get a certificate that also names the upload host, then send chatctl SIGHUP",
      fix: [certbotCommand(names)],
    });
  }
  return ok(`covered by the certificate (${found.by})`);
}
