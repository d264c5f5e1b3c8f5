// SOCKS Protocol Version 5 (RFC 1928) as far as a XEP-0065 bytestream proxy speaks it: the
// numbers on the wire and the server's two messages (method selection, reply). The client's
// messages are read by parser.ts.

export const SOCKS_VERSION = 0x05;

/** RFC 1928 §3: authentication methods. A bytestream proxy needs none (XEP-0065 §6.3.2). */
export const Method = {
  NO_AUTHENTICATION: 0x00,
  GSSAPI: 0x01,
  USERNAME_PASSWORD: 0x02,
  /** X'FF': none of the offered methods is acceptable. */
  NO_ACCEPTABLE: 0xff,
} as const;

/** RFC 1928 §4: CMD. XEP-0065 TCP mode uses CONNECT only. */
export const Command = {
  CONNECT: 0x01,
  BIND: 0x02,
  UDP_ASSOCIATE: 0x03,
} as const;

/** RFC 1928 §4/§5: ATYP. XEP-0065 addresses are DOMAINNAME (the SHA-1 hex of the stream). */
export const AddressType = {
  IPV4: 0x01,
  DOMAIN: 0x03,
  IPV6: 0x04,
} as const;

/** RFC 1928 §6: REP. */
export const Reply = {
  SUCCEEDED: 0x00,
  GENERAL_FAILURE: 0x01,
  NOT_ALLOWED: 0x02,
  NETWORK_UNREACHABLE: 0x03,
  HOST_UNREACHABLE: 0x04,
  CONNECTION_REFUSED: 0x05,
  TTL_EXPIRED: 0x06,
  COMMAND_NOT_SUPPORTED: 0x07,
  ADDRESS_TYPE_NOT_SUPPORTED: 0x08,
} as const;
export type ReplyCode = (typeof Reply)[keyof typeof Reply];

/** RFC 1928 §3: VER, METHOD. */
export function methodSelection(method: number): Buffer {
  return Buffer.from([SOCKS_VERSION, method]);
}

/**
 * RFC 1928 §6: VER REP RSV ATYP BND.ADDR BND.PORT. XEP-0065 §6.3.2: the proxy SHOULD echo the
 * address and port the client asked for; without a domain to echo (an IPv4/IPv6 request that is
 * refused anyway), 0.0.0.0:0 stands in.
 */
export function replyMessage(rep: ReplyCode, domain?: string, port = 0): Buffer {
  if (domain === undefined) return Buffer.from([SOCKS_VERSION, rep, 0x00, AddressType.IPV4, 0, 0, 0, 0, 0, 0]);
  const name = Buffer.from(domain, "latin1");
  const out = Buffer.alloc(4 + 1 + name.length + 2);
  out[0] = SOCKS_VERSION;
  out[1] = rep;
  out[2] = 0x00;
  out[3] = AddressType.DOMAIN;
  out[4] = name.length;
  name.copy(out, 5);
  out.writeUInt16BE(port, 5 + name.length);
  return out;
}
