// One avatar image as both specifications see it: the bytes, their MIME type and the id both
// use, which is the lowercase hex SHA-1 of the bytes (XEP-0084 §4.2, XEP-0153 §3.2).
import { createHash } from "node:crypto";

export interface Avatar {
  bytes: Buffer;
  type: string;
  /** Hex SHA-1 of `bytes`. */
  id: string;
}

export function sha1Hex(bytes: Buffer): string {
  return createHash("sha1").update(bytes).digest("hex");
}

export function avatarOf(bytes: Buffer, type: string | undefined): Avatar {
  return { bytes, type: type && type.trim() !== "" ? type.trim() : sniffImageType(bytes), id: sha1Hex(bytes) };
}

/**
 * Strict base64 (RFC 4648 §4) with the whitespace vCards fold BINVAL lines with. Returns
 * undefined for anything else, so a garbled photo is never published as an avatar.
 */
export function decodeBase64(text: string): Buffer | undefined {
  const compact = text.replace(/[\s]+/g, "");
  if (compact === "" || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, "base64");
}

/**
 * XEP-0084 makes the type REQUIRED but a vCard PHOTO may lack <TYPE/>; the magic numbers of the
 * formats XEP-0084 §7 names are enough to fill it in.
 */
export function sniffImageType(bytes: Buffer): string {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return "image/png";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (bytes.length >= 6 && (bytes.toString("latin1", 0, 6) === "GIF87a" || bytes.toString("latin1", 0, 6) === "GIF89a")) return "image/gif";
  if (bytes.length >= 12 && bytes.toString("latin1", 0, 4) === "RIFF" && bytes.toString("latin1", 8, 12) === "WEBP") return "image/webp";
  return "application/octet-stream";
}
