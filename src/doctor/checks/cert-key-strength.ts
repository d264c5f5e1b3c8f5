// cert.key-strength: the certificate's key is of a type and size peers accept: RSA of at least
// 2048 bits, or EC on P-256, P-384 or P-521. Smaller RSA keys are refused by current TLS stacks;
// other curves and EdDSA are not supported by every XMPP client and server yet.
import type { CertContext } from "../cert/context.js";
import { curveName, describeKey } from "../cert/describe.js";
import { fail, ok, warn, type Check } from "../types.js";

export const MIN_RSA_BITS = 2048;
const GOOD_CURVES = new Set(["prime256v1", "secp384r1", "secp521r1"]);

export const certKeyStrengthCheck: Check<CertContext> = {
  id: "cert.key-strength",
  title: "Key type and strength",
  async run(ctx) {
    const key = (await ctx.certificate()).chain[0]!.publicKey;
    const what = describeKey(key);
    const type = key.asymmetricKeyType;
    const replace = { hint: "issue a new certificate with a stronger key, e.g.: openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 … (certbot: --key-type ecdsa)" };
    if (type === "rsa" || type === "rsa-pss") {
      const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
      if (bits < MIN_RSA_BITS) return fail(`${what}: RSA keys under ${MIN_RSA_BITS} bits are refused by current TLS libraries`, replace);
      return ok(what);
    }
    if (type === "ec") {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve !== undefined && GOOD_CURVES.has(curve)) return ok(what);
      return warn(`EC ${curveName(curve)}: not a curve every TLS client supports (P-256, P-384 or P-521 are)`, replace);
    }
    if (type === "ed25519" || type === "ed448") {
      return warn(`${what}: many XMPP clients and servers cannot verify EdDSA certificates yet`, replace);
    }
    return fail(`${what}: not a key type TLS clients accept for a server`, replace);
  },
};
