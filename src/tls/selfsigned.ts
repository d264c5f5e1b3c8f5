// Mints a self-signed X.509 v3 server certificate with node:crypto and our own DER encoder, so that
// `npx chatctl serve` gets a working TLS setup on a machine without an openssl binary.
import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { isIP } from "node:net";
import { domainToASCII } from "node:url";
import {
  bitString,
  boolean,
  explicit,
  implicit,
  integer,
  namedBits,
  nullValue,
  octetString,
  oid,
  readChildren,
  readElement,
  sequence,
  setOf,
  Tag,
  toPem,
  utf8String,
  x509Time,
} from "./der.js";

export type KeyType = "ec" | "rsa";

export interface SelfSignedOptions {
  /** Subject and issuer CN. It is also put first in subjectAltName, where clients actually look. */
  commonName: string;
  /** Extra DNS names and IP literals for subjectAltName. */
  altNames: string[];
  /** Validity in days from now (default 3650). */
  days?: number;
  /** "ec" = P-256 with ecdsa-with-SHA256 (default); "rsa" = 2048-bit with sha256WithRSAEncryption. */
  keyType?: KeyType;
  /** The moment treated as "now"; lets tests mint certificates that are already expired. */
  now?: Date;
}

export interface SelfSigned {
  /** PEM certificate. */
  cert: string;
  /** PEM PKCS#8 private key. */
  key: string;
}

const OID = {
  commonName: "2.5.4.3",
  ecPublicKey: "1.2.840.10045.2.1",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  sha256WithRsa: "1.2.840.113549.1.1.11",
  subjectKeyIdentifier: "2.5.29.14",
  authorityKeyIdentifier: "2.5.29.35",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  extKeyUsage: "2.5.29.37",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
} as const;

/** KeyUsage bit numbers (RFC 5280 4.2.1.3). */
const KeyUsageBit = { digitalSignature: 0, keyEncipherment: 2 } as const;

const DEFAULT_DAYS = 3650;
const DAY_MS = 86_400_000;
/** notBefore is backdated so that peers whose clock runs a little behind accept the certificate. */
const CLOCK_SKEW_MS = 3_600_000;

export function generateSelfSigned(options: SelfSignedOptions): SelfSigned {
  const days = options.days ?? DEFAULT_DAYS;
  if (!Number.isFinite(days) || days <= 0) throw new RangeError(`days must be a positive number, got ${days}`);
  const keyType = options.keyType ?? "ec";
  const names = normalizeNames([options.commonName, ...options.altNames]);

  const { publicKey, privateKey } =
    keyType === "rsa"
      ? generateKeyPairSync("rsa", { modulusLength: 2048 })
      : generateKeyPairSync("ec", { namedCurve: "P-256" });

  const now = options.now ?? new Date();
  const notBefore = new Date(now.getTime() - CLOCK_SKEW_MS);
  const notAfter = new Date(now.getTime() + days * DAY_MS);

  const spki = publicKey.export({ type: "spki", format: "der" });
  const signatureAlgorithm =
    keyType === "rsa"
      ? sequence(oid(OID.sha256WithRsa), nullValue()) // RFC 4055: parameters are NULL for RSA
      : sequence(oid(OID.ecdsaWithSha256)); // RFC 5758: parameters are absent for ECDSA
  const name = distinguishedName(options.commonName);

  const tbs = sequence(
    explicit(0, integer(2)), // v3
    integer(serialNumber()),
    signatureAlgorithm,
    name, // issuer: self-signed
    sequence(x509Time(notBefore), x509Time(notAfter)),
    name, // subject
    spki,
    explicit(3, sequence(...extensions(names, keyType, spki))),
  );
  const signature = sign("sha256", tbs, privateKey);
  const cert = sequence(tbs, signatureAlgorithm, bitString(signature));

  return {
    cert: toPem("CERTIFICATE", cert),
    key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}

/**
 * 16 random octets with the top bit cleared (serials are positive, RFC 5280 4.1.2.2) and the next
 * bit set, so the DER INTEGER is always exactly 16 octets with no padding zero.
 */
function serialNumber(): Buffer {
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40;
  return serial;
}

function distinguishedName(commonName: string): Buffer {
  if (commonName.length === 0) throw new RangeError("commonName must not be empty");
  return sequence(setOf(sequence(oid(OID.commonName), utf8String(commonName))));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  // critical is BOOLEAN DEFAULT FALSE, so DER omits it when false (X.690 11.5).
  return critical ? sequence(oid(id), boolean(true), octetString(value)) : sequence(oid(id), octetString(value));
}

function extensions(names: string[], keyType: KeyType, spki: Buffer): Buffer[] {
  const generalNames = names.map((n) =>
    isIP(n) ? implicit(7, ipAddressOctets(n)) : implicit(2, Buffer.from(n, "ascii")),
  );
  const keyId = keyIdentifier(spki);
  const usage: number[] = [KeyUsageBit.digitalSignature];
  // RSA key transport (TLS 1.2 RSA key exchange) needs keyEncipherment; ECDSA keys never encipher.
  if (keyType === "rsa") usage.push(KeyUsageBit.keyEncipherment);
  return [
    extension(OID.subjectAltName, false, sequence(...generalNames)),
    extension(OID.basicConstraints, true, sequence()), // cA DEFAULT FALSE → empty SEQUENCE
    extension(OID.keyUsage, true, namedBits(usage)),
    // clientAuth too: servers that authenticate s2s peers by certificate demand it.
    extension(OID.extKeyUsage, false, sequence(oid(OID.serverAuth), oid(OID.clientAuth))),
    extension(OID.subjectKeyIdentifier, false, octetString(keyId)),
    // Optional for a self-signed certificate, but without it a client that trusts two
    // generations of our certificate (same subject) may try the wrong one as the issuer.
    extension(OID.authorityKeyIdentifier, false, sequence(implicit(0, keyId))),
  ];
}

/** RFC 5280 4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING value. */
export function keyIdentifier(spki: Uint8Array): Buffer {
  const outer = readElement(spki);
  const bits = readChildren(spki, outer)[1];
  if (outer.tag !== Tag.SEQUENCE || bits?.tag !== Tag.BIT_STRING) throw new RangeError("not a SubjectPublicKeyInfo");
  // Skip the unused-bits octet.
  return createHash("sha1").update(spki.subarray(bits.contentStart + 1, bits.end)).digest();
}

/**
 * Lower-cases, converts IDNs to their A-label form (dNSName is an IA5String), drops a trailing
 * dot and duplicates, and rejects anything that is neither a host name nor an IP literal.
 */
export function normalizeNames(names: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of names) {
    const name = normalizeName(raw);
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

function normalizeName(raw: string): string {
  const trimmed = raw.trim();
  const unbracketed = trimmed.startsWith("[") && trimmed.endsWith("]") ? trimmed.slice(1, -1) : trimmed;
  if (isIP(unbracketed)) {
    if (unbracketed.includes("%")) throw new RangeError(`"${raw}": an IP with a zone id cannot go in a certificate`);
    return unbracketed.toLowerCase();
  }
  const host = trimmed.toLowerCase().replace(/\.$/, "");
  const wildcard = host.startsWith("*.");
  // domainToASCII parses a URL host and silently stops at URL delimiters ("a/b" → "a").
  const delimiter = /[\s/?#\\@:%[\]]/.test(host);
  const ascii = delimiter ? "" : domainToASCII(wildcard ? host.slice(2) : host);
  const valid =
    ascii !== "" &&
    ascii.length <= 253 &&
    ascii.split(".").every((label) => /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/.test(label));
  if (!valid) throw new RangeError(`"${raw}" is not a valid host name or IP address`);
  return wildcard ? `*.${ascii}` : ascii;
}

/** iPAddress holds the address in network order: 4 octets for IPv4, 16 for IPv6. */
export function ipAddressOctets(ip: string): Buffer {
  const family = isIP(ip);
  if (family === 4) return Buffer.from(ip.split(".").map(Number));
  if (family !== 6) throw new RangeError(`"${ip}" is not an IP address`);
  let text = ip.toLowerCase();
  // An embedded IPv4 tail (::ffff:192.0.2.1) becomes the last two 16-bit groups.
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = text.slice(0, v4.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::") as [string, string | undefined];
  const groups = (part: string) => (part === "" ? [] : part.split(":"));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const zeros = tail === undefined ? 0 : 8 - left.length - right.length;
  const all = [...left, ...Array<string>(zeros).fill("0"), ...right];
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}
