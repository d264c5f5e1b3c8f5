// What node's X509Certificate does not tell us, read from the certificate's DER with the readers
// of tls/der.ts: every subjectAltName entry including otherName (id-on-xmppAddr, RFC 6120 13.7.1.4;
// SRVName, RFC 4985), and the extensions by OID.
import type { X509Certificate } from "node:crypto";
import { readChildren, readElement, Tag, type DerElement } from "../../tls/der.js";

export const OID = {
  subjectAltName: "2.5.29.17",
  extKeyUsage: "2.5.29.37",
  anyExtendedKeyUsage: "2.5.29.37.0",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
  xmppAddr: "1.3.6.1.5.5.7.8.5",
  srvName: "1.3.6.1.5.5.7.8.7",
} as const;

export type AltName =
  | { type: "dns"; value: string }
  | { type: "ip"; value: string }
  /** id-on-xmppAddr: a JID (for a server, its domain). */
  | { type: "xmppAddr"; value: string }
  /** SRVName: "_xmpp-client.example.com", "_xmpp-server.example.com". */
  | { type: "srv"; value: string }
  | { type: "other"; oid: string };

export interface Extension {
  critical: boolean;
  /** The extnValue OCTET STRING's content: the DER of the extension itself. */
  value: Buffer;
}

/** Dotted form of an OBJECT IDENTIFIER's value octets (X.690 8.19). */
export function decodeOid(octets: Uint8Array): string {
  if (octets.length === 0) throw new RangeError("empty OBJECT IDENTIFIER");
  const arcs: bigint[] = [];
  let value = 0n;
  for (let i = 0; i < octets.length; i++) {
    const octet = octets[i]!;
    value = (value << 7n) | BigInt(octet & 0x7f);
    if ((octet & 0x80) === 0) {
      arcs.push(value);
      value = 0n;
    } else if (i === octets.length - 1) {
      throw new RangeError("truncated OBJECT IDENTIFIER");
    }
  }
  const first = arcs.shift()!;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs].join(".");
}

function content(buf: Buffer, el: DerElement): Buffer {
  return buf.subarray(el.contentStart, el.end);
}

/** The extensions of a certificate, by OID (RFC 5280 4.1: tbsCertificate [3] EXPLICIT Extensions). */
export function extensions(cert: X509Certificate): Map<string, Extension> {
  const der = cert.raw;
  const found = new Map<string, Extension>();
  const tbs = readChildren(der, readElement(der))[0];
  if (tbs === undefined) return found;
  const wrapper = readChildren(der, tbs).find((el) => el.tag === 0xa3);
  const list = wrapper && readChildren(der, wrapper)[0];
  if (list === undefined) return found;
  for (const ext of readChildren(der, list)) {
    const parts = readChildren(der, ext);
    const id = parts[0];
    const value = parts[parts.length - 1];
    if (id?.tag !== Tag.OBJECT_IDENTIFIER || value?.tag !== Tag.OCTET_STRING) continue;
    const flag = parts.length === 3 && parts[1]!.tag === Tag.BOOLEAN ? der[parts[1]!.contentStart] : 0;
    found.set(decodeOid(content(der, id)), { critical: flag !== 0, value: content(der, value) });
  }
  return found;
}

/** Every GeneralName of subjectAltName, in order (RFC 5280 4.2.1.6). */
export function subjectAltNames(cert: X509Certificate): AltName[] {
  const ext = extensions(cert).get(OID.subjectAltName);
  if (ext === undefined) return [];
  const buf = ext.value;
  const names: AltName[] = [];
  for (const el of readChildren(buf, readElement(buf))) {
    switch (el.tag) {
      case 0x82: // [2] dNSName IA5String
        names.push({ type: "dns", value: content(buf, el).toString("ascii").toLowerCase() });
        break;
      case 0x87: // [7] iPAddress OCTET STRING
        names.push({ type: "ip", value: formatIp(content(buf, el)) });
        break;
      case 0xa0: // [0] otherName: type-id OID, [0] EXPLICIT value
        names.push(otherName(buf, el));
        break;
      default:
        break; // rfc822Name, URI, directoryName …: not identities of an XMPP server
    }
  }
  return names;
}

function otherName(buf: Buffer, el: DerElement): AltName {
  const [typeId, wrapped] = readChildren(buf, el);
  if (typeId?.tag !== Tag.OBJECT_IDENTIFIER) return { type: "other", oid: "?" };
  const oid = decodeOid(content(buf, typeId));
  const inner = wrapped && readChildren(buf, wrapped)[0];
  if (inner !== undefined && oid === OID.xmppAddr && inner.tag === Tag.UTF8_STRING) {
    return { type: "xmppAddr", value: content(buf, inner).toString("utf8") };
  }
  if (inner !== undefined && oid === OID.srvName && inner.tag === Tag.IA5_STRING) {
    return { type: "srv", value: content(buf, inner).toString("ascii").toLowerCase() };
  }
  return { type: "other", oid };
}

function formatIp(octets: Buffer): string {
  if (octets.length === 4) return [...octets].join(".");
  if (octets.length !== 16) return octets.toString("hex");
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(octets.readUInt16BE(i).toString(16));
  // The URL parser writes IPv6 in its canonical compressed form.
  return new URL(`http://[${groups.join(":")}]/`).hostname.slice(1, -1);
}

/** extendedKeyUsage purposes, or undefined when the extension is absent (any purpose allowed). */
export function extendedKeyUsage(cert: X509Certificate): string[] | undefined {
  const ext = extensions(cert).get(OID.extKeyUsage);
  if (ext === undefined) return undefined;
  const buf = ext.value;
  return readChildren(buf, readElement(buf))
    .filter((el) => el.tag === Tag.OBJECT_IDENTIFIER)
    .map((el) => decodeOid(content(buf, el)));
}

/** "CN=example.com" style one-line name from node's multi-line subject/issuer. */
export function oneLineName(name: string): string {
  return name.split("\n").filter((l) => l !== "").join(", ");
}

/** The leaf's common name, for short mentions. */
export function commonName(cert: X509Certificate): string {
  return /^CN=(.*)$/m.exec(cert.subject)?.[1] ?? oneLineName(cert.subject);
}
