// cert.key-match: the private key belongs to the certificate (the first one in the file).
import type { CertContext } from "../cert/context.js";
import { fail, ok, type Check } from "../types.js";

export const certKeyMatchCheck: Check<CertContext> = {
  id: "cert.key-match",
  title: "Private key matches the certificate",
  async run(ctx) {
    const c = await ctx.certificate();
    if (c.key === undefined) return undefined; // a remote host's key is not ours to see
    let matches: boolean;
    try {
      matches = c.chain[0]!.checkPrivateKey(c.key);
    } catch {
      matches = false; // a key of another algorithm than the certificate's
    }
    if (matches) return ok(`${c.keyPath} is the key of the certificate`);
    return fail(`the key in ${c.keyPath} does not belong to the certificate in ${c.certPath}`, {
      hint: "point tls.key at the key the certificate was issued for; these two commands print the same public key for a matching pair:",
      fix: [`openssl x509 -noout -pubkey -in ${c.certPath}`, `openssl pkey -pubout -in ${c.keyPath}`],
    });
  },
};
