// Wording shared by the certificate checks: dates, keys, chains, the certbot command.
import type { KeyObject, X509Certificate } from "node:crypto";
import type { ChainReport } from "./chain.js";
import { commonName, oneLineName } from "./x509.js";
import { fail, ok, warn, type CheckResult } from "../types.js";

/** "2026-03-01 12:00 UTC" */
export function formatDate(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "EC P-256", "RSA 2048", "Ed25519" … */
export function describeKey(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case "rsa":
    case "rsa-pss":
      return `RSA ${details.modulusLength ?? "?"}`;
    case "ec":
      return `EC ${curveName(details.namedCurve)}`;
    case "ed25519":
      return "Ed25519";
    case "ed448":
      return "Ed448";
    default:
      return (key.asymmetricKeyType ?? "unknown").toUpperCase();
  }
}

export function curveName(curve: string | undefined): string {
  const names: Record<string, string> = { prime256v1: "P-256", secp384r1: "P-384", secp521r1: "P-521" };
  return curve === undefined ? "?" : (names[curve] ?? curve);
}

/** Requests a certificate for every name with certbot, adding names to an existing one (--expand). */
export function certbotCommand(names: readonly string[]): string {
  return `certbot certonly --cert-name ${names[0]} --expand ${names.map((n) => `-d ${n}`).join(" ")}`;
}

/** The finding for a verified chain, worded for `origin` (a file or a listener). */
export function chainFinding(report: ChainReport, origin: string, names: readonly string[]): CheckResult {
  const path = report.path.map((c) => `CN=${commonName(c)}`).join(" ← ");
  if (report.invalidAbove.length > 0) {
    const bad = report.invalidAbove[0]!;
    return fail(`${oneLineName(bad.subject)} in the chain is valid only from ${bad.validFrom} to ${bad.validTo}`, {
      hint: "get the current intermediate from your CA (for Let's Encrypt, use the fullchain.pem of a fresh renewal)",
    });
  }
  switch (report.verdict) {
    case "incomplete":
      return fail(`incomplete chain: ${origin} lacks the issuer "${report.missingIssuer}" of ${path.split(" ← ").pop()}`, {
        hint: "peers that do not have that intermediate cached refuse the connection: use the full chain (for Let's Encrypt: fullchain.pem, not cert.pem)",
      });
    case "self-signed":
      return warn("self-signed: federation will fail (other servers refuse it) and clients will ask their users to trust it", {
        hint: "use a certificate from a CA that clients and servers trust, e.g. Let's Encrypt:",
        fix: [certbotCommand(names)],
      });
    case "untrusted-root":
      return warn(`chain ${path} ends at a root that is not trusted here`, {
        hint: "fine for a private CA whose certificate every client has (check with --ca-file FILE); federation with public servers will fail",
      });
    case "trusted": {
      const anchor = report.path[report.path.length - 1]!;
      const problems: string[] = [];
      if (report.outOfOrder) problems.push("the certificates are not in leaf-to-root order");
      if (report.unused.length > 0) problems.push(`${report.unused.length} certificate(s) do not belong to the chain (${report.unused.map((c) => `CN=${commonName(c)}`).join(", ")})`);
      if (problems.length > 0) {
        return warn(`complete up to the trusted ${`CN=${commonName(anchor)}`}, but ${problems.join(" and ")}`, {
          hint: "some clients give up on a messy chain: list the server certificate first, then each issuer in turn",
        });
      }
      return ok(`complete: ${path} (trusted)`);
    }
  }
}

/** Whether two chains start with the same certificate. */
export function sameLeaf(a: readonly X509Certificate[], b: readonly X509Certificate[]): boolean {
  return a[0] !== undefined && b[0] !== undefined && a[0].fingerprint256 === b[0].fingerprint256;
}
