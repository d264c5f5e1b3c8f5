// Certificate chain validation the way a peer does it: from the leaf, find each issuer among the
// certificates presented (or in the trust store), check its signature, and see where the path
// ends: at a trusted root, at the leaf itself (self-signed), at a root nobody trusts, or nowhere
// (an intermediate is missing: the classic "cert.pem instead of fullchain.pem").
import type { X509Certificate } from "node:crypto";
import { oneLineName } from "./x509.js";

export type ChainVerdict =
  /** The path reaches a trusted certificate. */
  | "trusted"
  /** The leaf is its own issuer and nobody trusts it. */
  | "self-signed"
  /** The path ends at a self-signed CA that is not trusted. */
  | "untrusted-root"
  /** The issuer of the last certificate in the path is neither presented nor trusted. */
  | "incomplete";

export interface ChainReport {
  verdict: ChainVerdict;
  /** Leaf first, up to the anchor (included, whether presented or taken from the trust store). */
  path: X509Certificate[];
  /** For "incomplete": the issuer name that no certificate provides. */
  missingIssuer?: string;
  /** The presented certificates are not in leaf → root order. */
  outOfOrder: boolean;
  /** Presented certificates that are not part of the path. */
  unused: X509Certificate[];
  /** Certificates of the path above the leaf that are expired or not yet valid at `now`. */
  invalidAbove: X509Certificate[];
}

/** Most certificates a path may have; real ones have 3 or 4. */
const MAX_DEPTH = 10;

function signedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.checkIssued(parent) && child.verify(parent.publicKey);
  } catch {
    return false; // a key type verify() cannot use
  }
}

/**
 * Signed with its own key. Not checkIssued(itself): OpenSSL also demands keyCertSign there, which
 * a self-signed server certificate (chatctl's own included) rightly does not have.
 */
function selfSigned(cert: X509Certificate): boolean {
  try {
    return cert.subject === cert.issuer && cert.verify(cert.publicKey);
  } catch {
    return false;
  }
}

export function verifyChain(presented: readonly X509Certificate[], trusted: readonly X509Certificate[], now: Date): ChainReport {
  const leaf = presented[0];
  if (leaf === undefined) throw new RangeError("no certificate to verify");
  const trustedPrints = new Set(trusted.map((c) => c.fingerprint256));
  const path: X509Certificate[] = [leaf];
  let verdict: ChainVerdict | undefined;
  let missingIssuer: string | undefined;

  for (let current = leaf; verdict === undefined; ) {
    if (trustedPrints.has(current.fingerprint256)) {
      verdict = "trusted";
    } else if (selfSigned(current)) {
      verdict = current === leaf ? "self-signed" : "untrusted-root";
    } else if (path.length >= MAX_DEPTH) {
      verdict = "incomplete";
      missingIssuer = oneLineName(current.issuer);
    } else {
      const parent =
        presented.find((c) => !path.includes(c) && signedBy(current, c)) ?? trusted.find((c) => signedBy(current, c));
      if (parent === undefined) {
        verdict = "incomplete";
        missingIssuer = oneLineName(current.issuer);
      } else {
        path.push(parent);
        current = parent;
      }
    }
  }

  const inPath = presented.filter((c) => path.includes(c));
  const outOfOrder = inPath.some((c, i) => path[i] !== c);
  const time = now.getTime();
  return {
    verdict,
    path,
    ...(missingIssuer !== undefined ? { missingIssuer } : {}),
    outOfOrder,
    unused: presented.filter((c) => !path.includes(c)),
    invalidAbove: path.slice(1).filter((c) => new Date(c.validTo).getTime() <= time || new Date(c.validFrom).getTime() > time),
  };
}
