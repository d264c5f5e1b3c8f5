// RFC 6125 (and RFC 6120 13.7.1.2 for XMPP) service identity: which names a certificate is valid
// for. DNS-IDs with the wildcard rules clients apply, XmppAddr and SRV-IDs, and the subject CN
// only when the certificate has no such identifier at all.
import type { X509Certificate } from "node:crypto";
import { domainToASCII } from "node:url";
import { commonName, subjectAltNames, type AltName } from "./x509.js";

/**
 * RFC 6125 6.4.3 as browsers and XMPP libraries apply it: "*" only as the whole left-most label,
 * matching exactly one label, never the parent domain itself, and never directly under a
 * top-level domain ("*.com"). Partial-label wildcards ("x*.example.com") match nothing.
 */
export function dnsIdMatches(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, "");
  const n = (domainToASCII(name) || name).toLowerCase().replace(/\.$/, "");
  if (!p.includes("*")) return p === n;
  if (!p.startsWith("*.")) return false;
  const parent = p.slice(2);
  if (parent.includes("*") || !parent.includes(".")) return false;
  const dot = n.indexOf(".");
  return dot > 0 && n.slice(dot + 1) === parent;
}

export interface Coverage {
  name: string;
  /** The identifier that covers the name ("DNS:*.example.com", "xmppAddr:example.com" …), if any. */
  by?: string;
  /** Covered only through the subject CN, which RFC 6125 clients ignore when SANs exist (and many ignore always). */
  commonNameOnly?: boolean;
}

/** Whether `cert` is valid for `name` as an XMPP server (client or server side). */
export function coverage(cert: X509Certificate, name: string, altNames: AltName[] = subjectAltNames(cert)): Coverage {
  const n = (domainToASCII(name) || name).toLowerCase();
  for (const alt of altNames) {
    if (alt.type === "dns" && dnsIdMatches(alt.value, n)) return { name, by: `DNS:${alt.value}` };
    if (alt.type === "xmppAddr" && alt.value.toLowerCase() === n) return { name, by: `xmppAddr:${alt.value}` };
    if (alt.type === "srv" && (alt.value === `_xmpp-client.${n}` || alt.value === `_xmpp-server.${n}`)) return { name, by: `SRV:${alt.value}` };
  }
  const identifiers = altNames.filter((a) => a.type === "dns" || a.type === "xmppAddr" || a.type === "srv");
  if (identifiers.length === 0) {
    const cn = commonName(cert);
    if (dnsIdMatches(cn, n)) return { name, by: `CN:${cn}`, commonNameOnly: true };
  }
  return { name };
}

/** The identities a certificate presents, for messages: "DNS:example.com, DNS:*.example.com". */
export function describeIdentities(cert: X509Certificate, altNames: AltName[] = subjectAltNames(cert)): string {
  const shown = altNames.flatMap((a) => {
    if (a.type === "dns") return [`DNS:${a.value}`];
    if (a.type === "xmppAddr") return [`xmppAddr:${a.value}`];
    if (a.type === "srv") return [`SRV:${a.value}`];
    if (a.type === "ip") return [`IP:${a.value}`];
    return [];
  });
  return shown.length > 0 ? shown.join(", ") : `no subjectAltName (CN=${commonName(cert)})`;
}
