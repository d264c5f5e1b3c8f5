// The two random values behind every slot: the file id, which names the file on disk and in its
// URL (anyone holding the GET URL may download, XEP-0363 §2), and the upload secret, which only
// the slot's owner gets and which authorises the one PUT. Only the secret's hash is stored, so a
// copy of the database does not let anyone write files.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** 128 random bits as 32 lower-case hex digits: unguessable, and safe on case-insensitive file systems. */
export function newFileId(): string {
  return randomBytes(16).toString("hex");
}

const FILE_ID = /^[0-9a-f]{32}$/;

/** A string that can be a file id (anything else in a URL is not looked up at all). */
export function isFileId(value: string): boolean {
  return FILE_ID.test(value);
}

/** 256 random bits, base64url: what the client sends back as `Authorization: Bearer <secret>`. */
export function newUploadSecret(): string {
  return randomBytes(32).toString("base64url");
}

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function secretMatches(presented: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(presented), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
