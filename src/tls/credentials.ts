// Where the server's certificate comes from: the files named by tls.cert/tls.key, or else a
// self-signed certificate generated once into <dataDir>/tls and reused on later starts.
import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { chmodSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { join, resolve } from "node:path";
import type { Config } from "../config/types.js";
import { ConfigError } from "../errors.js";
import type { Logger } from "../log/logger.js";
import { generateSelfSigned, normalizeNames } from "./selfsigned.js";

export interface TlsCredentials {
  /** PEM, leaf first, then any intermediates (full chain as read or generated). */
  cert: string;
  /** PEM private key of the leaf. */
  key: string;
  certPath: string;
  keyPath: string;
  /** True when chatctl generated the certificate itself (clients must be told to trust it). */
  selfSigned: boolean;
  /** The host names and IP addresses the leaf certificate is valid for. */
  names: string[];
}

/** Service subdomains in a fixed order; each is served only when enabled in config.services. */
const SERVICES = ["conference", "pubsub", "proxy", "upload"] as const;

/** The host names of the enabled services (`conference.<domain>` …), without the domain itself. */
export function serviceNames(config: Config): string[] {
  return SERVICES.filter((s) => config.services[s]).map((s) => `${s}.${config.domain}`);
}

/** Every name the server answers to and a certificate must cover: the domain, then the services. */
export function certificateNames(config: Config): string[] {
  return [config.domain, ...serviceNames(config)];
}

const DAY_MS = 86_400_000;
/** A configured certificate this close to expiry is worth a warning at every start. */
const EXPIRY_WARNING_DAYS = 7;

export function loadOrCreateCredentials(config: Config, log: Logger): TlsCredentials {
  if (config.tls.cert !== undefined || config.tls.key !== undefined) return loadConfigured(config, log);
  return loadOrCreateSelfSigned(config, log);
}

// ---------------------------------------------------------------------------------------------
// Configured certificate

function loadConfigured(config: Config, log: Logger): TlsCredentials {
  const { cert: certSetting, key: keySetting } = config.tls;
  if (certSetting === undefined || keySetting === undefined) {
    const missing = certSetting === undefined ? "tls.cert" : "tls.key";
    const other = certSetting === undefined ? "tls.key" : "tls.cert";
    throw new ConfigError(
      config.source,
      missing,
      `must be set when ${other} is set`,
      "Set both tls.cert and tls.key, or neither to use a generated self-signed certificate.",
    );
  }
  const certPath = resolve(certSetting);
  const keyPath = resolve(keySetting);

  const cert = readSetting(config, "tls.cert", certPath);
  const chain = parseChain(config, certPath, cert);
  const leaf = chain[0] as X509Certificate;
  const key = readSetting(config, "tls.key", keyPath);
  const privateKey = parsePrivateKey(config, keyPath, key);
  if (!keyMatches(leaf, privateKey)) {
    throw new ConfigError(
      config.source,
      "tls.key",
      `the private key in ${keyPath} does not match the certificate in ${certPath}`,
      "Point tls.key at the key the certificate was issued for (the first certificate in tls.cert is the server's own).",
    );
  }

  warnAboutValidity(leaf, certPath, log);
  const missing = requiredNames(config).filter((n) => !covers(leaf, n));
  if (missing.length > 0) {
    log.warn(
      { cert: certPath, missing, names: namesOf(leaf) },
      `TLS certificate does not cover ${missing.join(", ")}: clients and peers will reject it for those names`,
    );
  }
  for (let i = 0; i + 1 < chain.length; i++) {
    const [child, parent] = [chain[i] as X509Certificate, chain[i + 1] as X509Certificate];
    if (!child.checkIssued(parent)) {
      log.warn(
        { cert: certPath, position: i + 1 },
        "TLS certificate chain is out of order: each certificate should be followed by its issuer",
      );
      break;
    }
  }

  return { cert, key, certPath, keyPath, selfSigned: false, names: namesOf(leaf) };
}

function readSetting(config: Config, setting: "tls.cert" | "tls.key", path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new ConfigError(
      config.source,
      setting,
      `cannot read ${path} (${why})`,
      "Check the path and that the user running chatctl may read the file.",
    );
  }
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

function parseChain(config: Config, certPath: string, pem: string): X509Certificate[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) {
    const looksLikeKey = /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem);
    throw new ConfigError(
      config.source,
      "tls.cert",
      `${certPath} contains no PEM certificate (expected "-----BEGIN CERTIFICATE-----")`,
      looksLikeKey
        ? "That file holds a private key: tls.cert and tls.key look swapped."
        : "Use the PEM full chain (for Let's Encrypt, fullchain.pem); convert DER with `openssl x509 -inform der`.",
    );
  }
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch (err) {
      throw new ConfigError(
        config.source,
        "tls.cert",
        `certificate ${i + 1} in ${certPath} cannot be parsed (${(err as Error).message})`,
        "Replace the file with an intact PEM certificate chain.",
      );
    }
  });
}

function parsePrivateKey(config: Config, keyPath: string, pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (err) {
    // PKCS#8 "ENCRYPTED PRIVATE KEY" or a traditional "Proc-Type: 4,ENCRYPTED" header; OpenSSL's
    // own error for these ("interrupted or cancelled") would only confuse.
    const encrypted =
      (err as NodeJS.ErrnoException).code === "ERR_MISSING_PASSPHRASE" ||
      /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(pem);
    throw new ConfigError(
      config.source,
      "tls.key",
      encrypted
        ? `${keyPath} is encrypted with a passphrase`
        : `${keyPath} is not a PEM private key (${(err as Error).message})`,
      encrypted
        ? "Store the key unencrypted, readable only by chatctl's user: `openssl pkey -in key.pem -out key.plain.pem`."
        : 'Point tls.key at the PEM private key ("-----BEGIN PRIVATE KEY-----") of the certificate.',
    );
  }
}

function keyMatches(cert: X509Certificate, key: KeyObject): boolean {
  try {
    return cert.checkPrivateKey(key);
  } catch {
    return false; // a key of another algorithm than the certificate's
  }
}

function warnAboutValidity(cert: X509Certificate, certPath: string, log: Logger): void {
  const now = Date.now();
  const validFrom = new Date(cert.validFrom);
  const validTo = new Date(cert.validTo);
  if (validTo.getTime() <= now) {
    log.warn({ cert: certPath, validTo: validTo.toISOString() }, "TLS certificate has expired: clients will refuse it");
  } else if (validFrom.getTime() > now) {
    log.warn({ cert: certPath, validFrom: validFrom.toISOString() }, "TLS certificate is not valid yet (check the clock)");
  } else if (validTo.getTime() - now < EXPIRY_WARNING_DAYS * DAY_MS) {
    log.warn({ cert: certPath, validTo: validTo.toISOString() }, "TLS certificate expires within a week: renew it");
  }
}

// ---------------------------------------------------------------------------------------------
// Generated self-signed certificate

type Stored = { ok: true; credentials: TlsCredentials } | { ok: false; reason: string };

function loadOrCreateSelfSigned(config: Config, log: Logger): TlsCredentials {
  const names = requiredNames(config);
  const domain = names[0] as string;
  const dir = join(config.dataDir, "tls");
  // An IPv6 domain would put ":" in a file name, which some file systems refuse.
  const base = domain.replace(/:/g, "_");
  const certPath = join(dir, `${base}.crt`);
  const keyPath = join(dir, `${base}.key`);

  const stored = readStored(dir, certPath, keyPath, names);
  if (stored.ok) {
    log.debug({ cert: certPath }, "reusing the self-signed TLS certificate");
    return stored.credentials;
  }

  const { cert, key } = generateSelfSigned({ commonName: domain, altNames: names.slice(1) });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700); // also tighten a directory that existed before
  // Key first: a crash between the two renames leaves a mismatched pair, which the next start
  // detects and regenerates, never a certificate whose key is missing.
  writeAtomically(keyPath, key, 0o600);
  writeAtomically(certPath, cert, 0o644);
  log.info(
    { cert: certPath, names, reason: stored.reason },
    "generated a self-signed TLS certificate; clients must be told to trust it (or set tls.cert and tls.key)",
  );
  return { cert, key, certPath, keyPath, selfSigned: true, names: namesOf(new X509Certificate(cert)) };
}

function requiredNames(config: Config): string[] {
  try {
    const names = normalizeNames(certificateNames(config));
    if (names[0]?.startsWith("*")) throw new RangeError("a wildcard is not a domain");
    return names;
  } catch (err) {
    throw new ConfigError(
      config.source,
      "domain",
      `"${config.domain}" cannot be put in a certificate: ${(err as Error).message}`,
      "Set domain to a host name such as chat.example.org (or localhost).",
    );
  }
}

/** The stored pair when it can be reused as is, or why it must be regenerated. */
function readStored(dir: string, certPath: string, keyPath: string, names: string[]): Stored {
  let cert: string;
  let key: string;
  try {
    cert = readFileSync(certPath, "utf8");
    key = readFileSync(keyPath, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") {
      return { ok: false, reason: `the stored certificate cannot be read (${(err as Error).message})` };
    }
    const others = storedDomains(dir).filter((d) => d !== names[0]);
    return {
      ok: false,
      reason:
        others.length > 0
          ? `the domain changed (stored certificates are for ${others.join(", ")})`
          : "no certificate was generated yet",
    };
  }
  let leaf: X509Certificate;
  let privateKey: KeyObject;
  try {
    leaf = new X509Certificate(cert);
    privateKey = createPrivateKey(key);
  } catch (err) {
    return { ok: false, reason: `the stored certificate or key is damaged (${(err as Error).message})` };
  }
  if (!keyMatches(leaf, privateKey)) return { ok: false, reason: "the stored key does not match the stored certificate" };
  const now = Date.now();
  const validTo = new Date(leaf.validTo);
  if (validTo.getTime() <= now) return { ok: false, reason: `the stored certificate expired on ${validTo.toISOString()}` };
  const validFrom = new Date(leaf.validFrom);
  if (validFrom.getTime() > now) {
    return { ok: false, reason: `the stored certificate is not valid before ${validFrom.toISOString()}` };
  }
  const missing = names.filter((n) => !covers(leaf, n));
  if (missing.length > 0) return { ok: false, reason: `the stored certificate does not cover ${missing.join(", ")}` };
  return { ok: true, credentials: { cert, key, certPath, keyPath, selfSigned: true, names: namesOf(leaf) } };
}

function storedDomains(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(".crt"))
      .map((f) => f.slice(0, -".crt".length));
  } catch {
    return [];
  }
}

function writeAtomically(path: string, data: string, mode: number): void {
  const tmp = `${path}.${process.pid}.tmp`;
  rmSync(tmp, { force: true }); // "wx" below must create the file so that `mode` applies
  writeFileSync(tmp, data, { mode, flag: "wx" });
  renameSync(tmp, path);
}

// ---------------------------------------------------------------------------------------------
// Reading names out of a certificate

/** Whether the certificate is valid for a host name or IP address (wildcards as TLS applies them). */
export function covers(cert: X509Certificate, name: string): boolean {
  return isIP(name) ? cert.checkIP(name) !== undefined : cert.checkHost(name) !== undefined;
}

/**
 * The DNS names and IP addresses in subjectAltName, or the subject CN when there is no
 * subjectAltName (the only case in which TLS clients still look at the CN).
 */
export function namesOf(cert: X509Certificate): string[] {
  const san = cert.subjectAltName;
  if (san === undefined) {
    const cn = /^CN=(.*)$/m.exec(cert.subject)?.[1];
    return cn === undefined ? [] : [cn];
  }
  const names: string[] = [];
  for (const entry of san.split(", ")) {
    const colon = entry.indexOf(":");
    const kind = entry.slice(0, colon);
    let value = entry.slice(colon + 1);
    // Node quotes values containing separators, as a JSON string.
    if (value.startsWith('"')) {
      try {
        value = JSON.parse(value) as string;
      } catch {
        continue;
      }
    }
    if (kind === "DNS") names.push(value);
    else if (kind === "IP Address") names.push(canonicalIp(value));
  }
  return names;
}

/** Node prints IPv6 SAN entries fully expanded in upper case; show them the way people write them. */
function canonicalIp(ip: string): string {
  return isIP(ip) === 6 ? new URL(`http://[${ip}]/`).hostname.slice(1, -1) : ip;
}
