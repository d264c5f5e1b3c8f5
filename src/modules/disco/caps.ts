// XEP-0115 §5.1 verification string, for the server's own capabilities.
import { createHash } from "node:crypto";
import type { DiscoIdentity } from "../../server/module-api.js";

export const CAPS_NODE = "https://github.com/chatctl/chatctl";

/** identities "category/type/lang/name<", then sorted features "<", SHA-1, base64. */
export function capsHash(identities: readonly DiscoIdentity[], features: readonly string[]): string {
  const ids = identities.map((i) => `${i.category}/${i.type}//${i.name ?? ""}`).sort();
  const feats = [...new Set(features)].sort();
  let s = "";
  for (const i of ids) s += i + "<";
  for (const f of feats) s += f + "<";
  return createHash("sha1").update(s, "utf8").digest("base64");
}
