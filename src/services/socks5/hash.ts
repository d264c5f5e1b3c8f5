// The address of a mediated bytestream (XEP-0065 §5.3.2): SHA-1 over SID + requester JID + target
// JID (both prepared), hex-encoded. The proxy learns it from the SOCKS5 request of each side and
// recomputes it from the activation IQ, so only the requester's own address can activate it.
import { createHash } from "node:crypto";

export function streamHash(sid: string, requester: string, target: string): string {
  return createHash("sha1").update(sid + requester + target, "utf8").digest("hex");
}

/** What a SOCKS5 DST.ADDR must look like to name a bytestream: 40 hex digits. */
export function isStreamHash(address: string): boolean {
  return /^[0-9a-fA-F]{40}$/.test(address);
}
