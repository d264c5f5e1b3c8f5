// Account names are JID localparts (RFC 7622 §3.3): one preparation, used by every lookup, so
// "Alice" and "alice" are the same account whichever path (SASL, CLI, admin command) names it.
import { nodeprep } from "../jid/prep.js";

const MAX_LOCALPART_BYTES = 1023;

/** The prepared account name, or undefined when `raw` cannot be a JID localpart. */
export function prepareUsername(raw: string): string | undefined {
  let prepared: string;
  try {
    prepared = nodeprep(raw);
  } catch {
    return undefined;
  }
  if (prepared === "" || Buffer.byteLength(prepared) > MAX_LOCALPART_BYTES) return undefined;
  return prepared;
}
