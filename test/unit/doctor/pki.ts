// A tiny certificate authority for the doctor tests: real X.509 certificates, signed by another
// key (generateSelfSigned can only sign with its own), with the extensions each test needs —
// SANs including otherName (xmppAddr, SRVName), EKU or none, CA flags, any validity period —
// built with src/tls/der.ts and signed with node:crypto.
import { generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import {
  bitString,
  boolean,
  explicit,
  ia5String,
  implicit,
  integer,
  namedBits,
  nullValue,
  octetString,
  oid,
  sequence,
  setOf,
  toPem,
  utf8String,
  x509Time,
} from "../../../src/tls/der.js";
import { keyIdentifier } from "../../../src/tls/selfsigned.js";

export const EKU = { serverAuth: "1.3.6.1.5.5.7.3.1", clientAuth: "1.3.6.1.5.5.7.3.2" } as const;

export type KeySpec = { type: "ec"; curve?: string } | { type: "rsa"; bits: number } | { type: "ed25519" };

export interface Issued {
  cert: X509Certificate;
  pem: string;
  privateKey: KeyObject;
  keyPem: string;
}

export interface CertSpec {
  commonName: string;
  /** The issuing CA; self-signed when absent. */
  issuer?: Issued;
  key?: KeySpec;
  dns?: string[];
  xmppAddr?: string[];
  srvNames?: string[];
  /** Extended key usages; null leaves the extension out. Default serverAuth + clientAuth. */
  eku?: string[] | null;
  ca?: boolean;
  notBefore?: Date;
  notAfter?: Date;
}

const DAY_MS = 86_400_000;

const SIG = {
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  sha256WithRsa: "1.2.840.113549.1.1.11",
  ed25519: "1.3.101.112",
};

function newKey(spec: KeySpec): { privateKey: KeyObject; publicKey: KeyObject } {
  if (spec.type === "rsa") return generateKeyPairSync("rsa", { modulusLength: spec.bits });
  if (spec.type === "ed25519") return generateKeyPairSync("ed25519");
  return generateKeyPairSync("ec", { namedCurve: spec.curve ?? "P-256" });
}

function name(commonName: string): Buffer {
  return sequence(setOf(sequence(oid("2.5.4.3"), utf8String(commonName))));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? sequence(oid(id), boolean(true), octetString(value)) : sequence(oid(id), octetString(value));
}

export function issue(spec: CertSpec): Issued {
  const keys = newKey(spec.key ?? { type: "ec" });
  const spki = keys.publicKey.export({ type: "spki", format: "der" });
  const issuerKey = spec.issuer?.privateKey ?? keys.privateKey;
  const issuerSpki = spec.issuer ? spec.issuer.cert.publicKey.export({ type: "spki", format: "der" }) : spki;
  const issuerName = spec.issuer ? /CN=(.*)/.exec(spec.issuer.cert.subject)![1]! : spec.commonName;
  const keyType = issuerKey.asymmetricKeyType;
  const algorithm =
    keyType === "rsa" ? sequence(oid(SIG.sha256WithRsa), nullValue()) : keyType === "ed25519" ? sequence(oid(SIG.ed25519)) : sequence(oid(SIG.ecdsaWithSha256));

  const generalNames = [
    ...(spec.dns ?? []).map((n) => implicit(2, Buffer.from(n, "ascii"))),
    ...(spec.xmppAddr ?? []).map((n) => implicit(0, Buffer.concat([oid("1.3.6.1.5.5.7.8.5"), explicit(0, utf8String(n))]), true)),
    ...(spec.srvNames ?? []).map((n) => implicit(0, Buffer.concat([oid("1.3.6.1.5.5.7.8.7"), explicit(0, ia5String(n))]), true)),
  ];
  const extensions = [
    ...(generalNames.length > 0 ? [extension("2.5.29.17", false, sequence(...generalNames))] : []),
    extension("2.5.29.19", true, spec.ca ? sequence(boolean(true)) : sequence()),
    // CA: keyCertSign (5) and cRLSign (6); leaf: digitalSignature (0), keyEncipherment (2) for RSA.
    extension("2.5.29.15", true, namedBits(spec.ca ? [5, 6] : spec.key?.type === "rsa" ? [0, 2] : [0])),
    ...(spec.eku === null ? [] : [extension("2.5.29.37", false, sequence(...(spec.eku ?? [EKU.serverAuth, EKU.clientAuth]).map((e) => oid(e))))]),
    extension("2.5.29.14", false, octetString(keyIdentifier(spki))),
    extension("2.5.29.35", false, sequence(implicit(0, keyIdentifier(issuerSpki)))),
  ];
  const now = Date.now();
  const serial = randomBytes(12);
  serial[0] = (serial[0]! & 0x7f) | 0x40;
  const tbs = sequence(
    explicit(0, integer(2)),
    integer(serial),
    algorithm,
    name(issuerName),
    sequence(x509Time(spec.notBefore ?? new Date(now - DAY_MS)), x509Time(spec.notAfter ?? new Date(now + 90 * DAY_MS))),
    name(spec.commonName),
    spki,
    explicit(3, sequence(...extensions)),
  );
  const signature = sign(keyType === "ed25519" ? null : "sha256", tbs, issuerKey);
  const pem = toPem("CERTIFICATE", sequence(tbs, algorithm, bitString(signature)));
  return {
    cert: new X509Certificate(pem),
    pem,
    privateKey: keys.privateKey,
    keyPem: keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

/** A root CA and an intermediate signed by it: the usual two-level public PKI. */
export function authority(): { root: Issued; intermediate: Issued } {
  const root = issue({ commonName: "Doctor Test Root", ca: true, eku: null, notAfter: new Date(Date.now() + 3650 * DAY_MS) });
  const intermediate = issue({ commonName: "Doctor Test Intermediate", ca: true, eku: null, issuer: root, notAfter: new Date(Date.now() + 1825 * DAY_MS) });
  return { root, intermediate };
}

export interface WrittenPair {
  dir: string;
  certPath: string;
  keyPath: string;
  caPath: string;
}

/** A directory removed after the test. */
export function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), "chatctl-doctor-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes a chain (leaf first) and a key to a temp dir removed after the test; caPath holds `trust`. */
export function writePair(t: TestContext, chain: Issued[], key: Issued = chain[0]!, trust: Issued[] = []): WrittenPair {
  const dir = tempDir(t);
  const certPath = join(dir, "fullchain.pem");
  const keyPath = join(dir, "privkey.pem");
  const caPath = join(dir, "ca.pem");
  writeFileSync(certPath, chain.map((c) => c.pem).join(""));
  writeFileSync(keyPath, key.keyPem, { mode: 0o600 });
  writeFileSync(caPath, trust.map((c) => c.pem).join(""));
  return { dir, certPath, keyPath, caPath };
}

export { DAY_MS };
