// Where the certificate under examination comes from: files (given on the command line,
// configured as tls.cert/tls.key, or the self-signed pair chatctl generated into its data
// directory), or what a server presents over the network.
import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Config } from "../../config/types.js";
import type { ProbeTarget, TlsProbe } from "../probe.js";
import { fail, type CheckResult } from "../types.js";

export type CertSource =
  | { kind: "files"; certPath: string; keyPath: string; origin: "command line" | "configuration" | "generated" }
  | { kind: "host"; target: ProbeTarget }
  /** Nothing configured and nothing generated yet. */
  | { kind: "none"; reason: string };

export interface LoadedCertificate {
  /** A path or "host:port (STARTTLS)", for messages. */
  origin: string;
  /** Leaf first. */
  chain: X509Certificate[];
  key?: KeyObject;
  certPath?: string;
  keyPath?: string;
  /** chatctl's own self-signed certificate from the data directory. */
  generated: boolean;
  /** How it was obtained, for a host. */
  probe?: TlsProbe;
}

/** A certificate that cannot be examined, with the finding that says why. */
export class CertLoadError extends Error {
  constructor(readonly result: CheckResult) {
    super(result.detail);
    this.name = "CertLoadError";
  }
}

/**
 * Where `chatctl serve` takes its certificate from: tls.cert/tls.key, else the self-signed pair
 * it generates as <dataDir>/tls/<domain>.crt and .key (see tls/credentials.ts).
 */
export function configuredCertSource(config: Config): CertSource {
  if (config.tls.cert !== undefined && config.tls.key !== undefined) {
    return { kind: "files", certPath: resolve(config.tls.cert), keyPath: resolve(config.tls.key), origin: "configuration" };
  }
  const base = join(config.dataDir, "tls", config.domain.replace(/:/g, "_"));
  if (existsSync(`${base}.crt`)) return { kind: "files", certPath: `${base}.crt`, keyPath: `${base}.key`, origin: "generated" };
  return { kind: "none", reason: `no certificate configured (tls.cert, tls.key) and none generated yet in ${join(config.dataDir, "tls")}` };
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Reads and parses the pair; throws CertLoadError saying what is wrong and what to do. */
export function readCertificateFiles(certPath: string, keyPath: string, generated = false): LoadedCertificate {
  const certText = readText(certPath, "certificate");
  const blocks = certText.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) {
    const swapped = /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(certText);
    throw new CertLoadError(
      fail(`${certPath} contains no PEM certificate`, {
        hint: swapped
          ? "that file holds a private key: the certificate and key paths look swapped"
          : 'use the PEM full chain ("-----BEGIN CERTIFICATE-----"; for Let\'s Encrypt, fullchain.pem); convert DER with: openssl x509 -inform der -in FILE -out FILE.pem',
      }),
    );
  }
  const chain = blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch (err) {
      throw new CertLoadError(fail(`certificate ${i + 1} in ${certPath} cannot be parsed: ${(err as Error).message}`, { hint: "replace the file with an intact PEM certificate chain" }));
    }
  });
  const keyText = readText(keyPath, "private key");
  let key: KeyObject;
  try {
    key = createPrivateKey(keyText);
  } catch (err) {
    const encrypted = (err as NodeJS.ErrnoException).code === "ERR_MISSING_PASSPHRASE" || /ENCRYPTED/.test(keyText);
    throw new CertLoadError(
      fail(encrypted ? `${keyPath} is encrypted with a passphrase` : `${keyPath} is not a PEM private key: ${(err as Error).message}`, {
        hint: encrypted
          ? "chatctl cannot ask for a passphrase at start: store the key unencrypted, readable only by chatctl's user"
          : 'point it at the PEM private key ("-----BEGIN PRIVATE KEY-----") of the certificate',
        ...(encrypted ? { fix: [`openssl pkey -in ${keyPath} -out ${keyPath}.plain && chmod 600 ${keyPath}.plain`] } : {}),
      }),
    );
  }
  return { origin: certPath, chain, key, certPath, keyPath, generated };
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (err as Error).message;
    throw new CertLoadError(
      fail(`cannot read the ${what} ${path}: ${why}`, {
        hint: code === "EACCES" ? "run the doctor as the user chatctl runs as, or make the file readable to it" : "check the path (tls.cert / tls.key, or --cert / --key)",
      }),
    );
  }
}
