// The SCRAM key schedule (RFC 5802 §3), shared by the server mechanism and the internal auth
// provider so that stored credentials and the exchange can never disagree.
import { createHash, createHmac, pbkdf2, pbkdf2Sync, randomBytes, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import type { ScramCredentials, ScramHash } from "../auth/types.js";
import { saslprep } from "../jid/prep.js";

const pbkdf2Async = promisify(pbkdf2);

/** Bytes of fresh salt for new credentials. */
export const SALT_BYTES = 16;
export const DEFAULT_ITERATIONS = 4096;

const NODE_DIGEST: Record<ScramHash, string> = { "SHA-1": "sha1", "SHA-256": "sha256" };
const DIGEST_BYTES: Record<ScramHash, number> = { "SHA-1": 20, "SHA-256": 32 };

export function digestLength(hash: ScramHash): number {
  return DIGEST_BYTES[hash];
}

export function H(hash: ScramHash, data: Buffer): Buffer {
  return createHash(NODE_DIGEST[hash]).update(data).digest();
}

export function hmac(hash: ScramHash, key: Buffer, data: Buffer | string): Buffer {
  return createHmac(NODE_DIGEST[hash], key).update(data).digest();
}

export function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] ?? 0) ^ (b[i] ?? 0);
  return out;
}

/** Constant-time for equal lengths; a length mismatch is not secret (digest sizes are public). */
export function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Hi() of RFC 5802 §2.2 is PBKDF2 with HMAC and dkLen = the digest length. */
export function saltedPassword(preparedPassword: string, hash: ScramHash, salt: Buffer, iterations: number): Buffer {
  return pbkdf2Sync(preparedPassword, salt, iterations, DIGEST_BYTES[hash], NODE_DIGEST[hash]);
}

/** Same as saltedPassword, off the event loop (used by verify() on a running server). */
export function saltedPasswordAsync(preparedPassword: string, hash: ScramHash, salt: Buffer, iterations: number): Promise<Buffer> {
  return pbkdf2Async(preparedPassword, salt, iterations, DIGEST_BYTES[hash], NODE_DIGEST[hash]);
}

export function clientKeyOf(hash: ScramHash, salted: Buffer): Buffer {
  return hmac(hash, salted, "Client Key");
}

export function storedKeyOf(hash: ScramHash, salted: Buffer): Buffer {
  return H(hash, clientKeyOf(hash, salted));
}

export function serverKeyOf(hash: ScramHash, salted: Buffer): Buffer {
  return hmac(hash, salted, "Server Key");
}

/**
 * The credentials a server stores for a password: salt, iteration count, StoredKey and ServerKey.
 * Neither key lets anyone recover the password or log in with PLAIN; StoredKey alone does not let
 * anyone log in with SCRAM. The password is SASLprep'd first (RFC 5802 §2.2 Normalize()), and
 * that throws when it contains characters SASLprep prohibits.
 */
export function deriveScramCredentials(password: string, hash: ScramHash, iterations: number, salt?: Buffer): ScramCredentials {
  if (!Number.isInteger(iterations) || iterations < 1) throw new RangeError(`SCRAM iteration count must be a positive integer, got ${iterations}`);
  const saltBytes = salt ?? randomBytes(SALT_BYTES);
  const salted = saltedPassword(saslprep(password), hash, saltBytes, iterations);
  return {
    salt: saltBytes.toString("base64"),
    iterations,
    storedKey: storedKeyOf(hash, salted).toString("base64"),
    serverKey: serverKeyOf(hash, salted).toString("base64"),
  };
}
