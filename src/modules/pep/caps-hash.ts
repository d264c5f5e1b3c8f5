// XEP-0115 §5 verification string of a disco#info result, so a client's caps hash is checked
// before its features are cached and shared by every client advertising the same 'ver'
// (§5.4 processing rules: no duplicate identities or features, forms by FORM_TYPE).
import { createHash } from "node:crypto";
import { type Element } from "../../xml/element.js";
import { NS } from "../../xml/ns.js";

/** IANA hash names (XEP-0115 §4 'hash') → node:crypto algorithms. */
const ALGORITHMS: Readonly<Record<string, string>> = {
  "sha-1": "sha1",
  "sha-224": "sha224",
  "sha-256": "sha256",
  "sha-384": "sha384",
  "sha-512": "sha512",
};

export function supportedHash(name: string): boolean {
  return name in ALGORITHMS;
}

/** The verification string S (§5.1 steps 1–8, with §5.4 extended forms), or undefined when the result breaks §5.4's rules. */
export function verificationString(query: Element): string | undefined {
  const identities: string[] = [];
  for (const id of query.getChildren("identity")) {
    identities.push(`${id.attrs.category ?? ""}/${id.attrs.type ?? ""}/${id.attrs["xml:lang"] ?? ""}/${id.attrs.name ?? ""}`);
  }
  const features = query.getChildren("feature").map((f) => f.attrs.var ?? "");
  if (new Set(identities).size !== identities.length || new Set(features).size !== features.length) return undefined;
  let s = "";
  for (const i of identities.sort(byOctets)) s += i + "<";
  for (const f of features.sort(byOctets)) s += f + "<";

  const forms: Array<{ type: string; fields: Array<{ name: string; values: string[] }> }> = [];
  for (const form of query.getChildren("x", NS.DATA_FORMS)) {
    let type: string | undefined;
    const fields: Array<{ name: string; values: string[] }> = [];
    for (const field of form.getChildren("field")) {
      const values = field.getChildren("value").map((v) => v.getText());
      if (field.attrs.var === "FORM_TYPE") {
        if (field.attrs.type !== undefined && field.attrs.type !== "hidden") return undefined;
        type = values[0];
      } else fields.push({ name: field.attrs.var ?? "", values });
    }
    // §5.4 3.6: a form without FORM_TYPE is ignored.
    if (type === undefined) continue;
    forms.push({ type, fields });
  }
  if (new Set(forms.map((f) => f.type)).size !== forms.length) return undefined;
  for (const form of forms.sort((a, b) => byOctets(a.type, b.type))) {
    s += form.type + "<";
    for (const field of form.fields.sort((a, b) => byOctets(a.name, b.name))) {
      s += field.name + "<";
      for (const v of [...field.values].sort(byOctets)) s += v + "<";
    }
  }
  return s;
}

/** The 'ver' a disco#info result hashes to under `hash`, or undefined (unknown hash, broken result). */
export function capsVer(query: Element, hash: string): string | undefined {
  const algorithm = ALGORITHMS[hash];
  const s = verificationString(query);
  if (!algorithm || s === undefined) return undefined;
  return createHash(algorithm).update(s, "utf8").digest("base64");
}

/** "i;octet" collation (RFC 4790): UTF-8 byte order, which is code point order. */
function byOctets(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}
