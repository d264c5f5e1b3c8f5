// How the admin client trusts the server's certificate. Normal verification by default; with
// --insecure anything is accepted; against localhost, the self-signed certificate the server
// generated in its data directory is trusted when (and only when) the server presents exactly that
// certificate (SHA-256 fingerprint compared during the handshake, before any password is sent).
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import tls, { type PeerCertificate } from "node:tls";
import Socket from "@xmpp/tls/lib/Socket.js";
import type { Config } from "../config/types.js";

export type TrustPolicy =
  | { kind: "verify" }
  | { kind: "insecure" }
  /** Trust this certificate (PEM) for this connection, compared by fingerprint. */
  | { kind: "pinned"; pem: string; fingerprint256: string; path: string };

/** The certificate the server uses when none is configured: <dataDir>/tls/<domain>.crt. */
export function localCertificatePath(config: Pick<Config, "dataDir" | "domain" | "tls">): string {
  return config.tls.cert ?? join(config.dataDir, "tls", `${config.domain.replace(/:/g, "_")}.crt`);
}

/** The pinned policy for a certificate file, or undefined when it cannot be read. */
export function pinnedPolicy(path: string): TrustPolicy | undefined {
  try {
    const pem = readFileSync(path, "utf8");
    return { kind: "pinned", pem, fingerprint256: new X509Certificate(pem).fingerprint256, path };
  } catch {
    return undefined;
  }
}

let active: TrustPolicy = { kind: "verify" };
let installed = false;

/**
 * Applies a policy to every TLS socket @xmpp/client opens from now on (it offers no option for
 * it). The admin CLI opens one connection per process, so a process-wide setting is enough.
 */
export function useTrustPolicy(policy: TrustPolicy): void {
  active = policy;
  if (installed) return;
  installed = true;
  const connect = Socket.prototype.connect;
  Socket.prototype.connect = function (this: unknown, ...args: unknown[]) {
    const [opts, ...rest] = args;
    return connect.call(this, { ...(opts as object), ...tlsOptions(active) }, ...rest);
  };
}

function tlsOptions(policy: TrustPolicy): tls.ConnectionOptions {
  switch (policy.kind) {
    case "verify":
      return {};
    case "insecure":
      return { rejectUnauthorized: false };
    case "pinned":
      return {
        ca: [...tls.rootCertificates, policy.pem],
        checkServerIdentity(host: string, cert: PeerCertificate) {
          // The pinned certificate, and only it, passes; then the usual name check.
          if (cert.fingerprint256 !== policy.fingerprint256) {
            return new Error(`the server's certificate (${cert.fingerprint256}) is not the one in ${policy.path}`);
          }
          return tls.checkServerIdentity(host, cert);
        },
      };
  }
}
