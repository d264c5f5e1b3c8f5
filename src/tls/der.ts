// A minimal DER (X.690) encoder, plus just enough of a reader to pick values back out of DER that
// node:crypto hands us (the subjectPublicKey inside a SubjectPublicKeyInfo). It exists so that
// `chatctl serve` can mint a self-signed certificate on any machine without an openssl binary or
// a dependency. Only what X.509 needs is here: definite lengths, low tag numbers, primitive and
// constructed types, universal/context classes.

/** Universal tags (X.690 8.x), with the constructed bit already set for SEQUENCE and SET. */
export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OBJECT_IDENTIFIER: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

const CONTEXT = 0x80;
const CONSTRUCTED = 0x20;

/** Length octets: short form below 128, otherwise long form with the minimum number of octets. */
export function encodeLength(length: number): Buffer {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`invalid DER length ${length}`);
  if (length < 0x80) return Buffer.from([length]);
  const octets: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) octets.unshift(n % 256);
  return Buffer.from([0x80 | octets.length, ...octets]);
}

/** One tag-length-value with a single-octet identifier (tag numbers below 31). */
export function tlv(tag: number, ...content: Uint8Array[]): Buffer {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xff || (tag & 0x1f) === 0x1f) {
    throw new RangeError(`unsupported DER tag 0x${tag.toString(16)}`);
  }
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), encodeLength(body.length), body]);
}

export function sequence(...items: Uint8Array[]): Buffer {
  return tlv(Tag.SEQUENCE, ...items);
}

/** SET OF: DER requires the element encodings in ascending order (X.690 11.6). */
export function setOf(...items: Uint8Array[]): Buffer {
  const sorted = items.map((i) => Buffer.from(i)).sort(Buffer.compare);
  return tlv(Tag.SET, ...sorted);
}

export function boolean(value: boolean): Buffer {
  // DER fixes TRUE as 0xff (X.690 11.1).
  return tlv(Tag.BOOLEAN, Buffer.from([value ? 0xff : 0x00]));
}

export function nullValue(): Buffer {
  return tlv(Tag.NULL);
}

/**
 * A non-negative INTEGER. Bytes are read as an unsigned big-endian magnitude. The encoding is
 * minimal (no redundant leading zero octets) and gets a 0x00 prefix when the top bit would
 * otherwise make it negative.
 */
export function integer(value: number | bigint | Uint8Array): Buffer {
  let magnitude: Buffer;
  if (value instanceof Uint8Array) {
    magnitude = Buffer.from(value);
  } else {
    let n = BigInt(value);
    if (n < 0n) throw new RangeError("negative INTEGER values are not supported");
    const octets: number[] = [];
    do {
      octets.unshift(Number(n & 0xffn));
      n >>= 8n;
    } while (n > 0n);
    magnitude = Buffer.from(octets);
  }
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  let body = magnitude.subarray(start);
  if (body.length === 0) body = Buffer.from([0]);
  if ((body[0] ?? 0) & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return tlv(Tag.INTEGER, body);
}

/** OBJECT IDENTIFIER from dotted notation; arcs may be arbitrarily large (2.25.<uuid>). */
export function oid(dotted: string): Buffer {
  if (!/^[0-2](\.(0|[1-9][0-9]*))+$/.test(dotted)) throw new RangeError(`invalid OID "${dotted}"`);
  const arcs = dotted.split(".").map((a) => BigInt(a));
  const [first, second, ...rest] = arcs as [bigint, bigint, ...bigint[]];
  if (first < 2n && second > 39n) throw new RangeError(`invalid OID "${dotted}": second arc above 39`);
  const octets: number[] = [];
  for (const arc of [first * 40n + second, ...rest]) {
    const group: number[] = [Number(arc & 0x7fn)];
    for (let n = arc >> 7n; n > 0n; n >>= 7n) group.unshift(Number(n & 0x7fn) | 0x80);
    octets.push(...group);
  }
  return tlv(Tag.OBJECT_IDENTIFIER, Buffer.from(octets));
}

/** BIT STRING holding whole octets (a signature, a public key). */
export function bitString(bytes: Uint8Array, unusedBits = 0): Buffer {
  if (!Number.isInteger(unusedBits) || unusedBits < 0 || unusedBits > 7) throw new RangeError("unusedBits must be 0..7");
  return tlv(Tag.BIT_STRING, Buffer.from([unusedBits]), bytes);
}

/**
 * A named-bit BIT STRING (KeyUsage): bit 0 is the most significant bit of the first octet, and
 * DER drops trailing zero bits (X.690 11.2.2), so the unused-bits count depends on the last bit set.
 */
export function namedBits(bits: readonly number[]): Buffer {
  if (bits.length === 0) return bitString(Buffer.alloc(0));
  const highest = Math.max(...bits);
  if (bits.some((b) => !Number.isInteger(b) || b < 0)) throw new RangeError("bit numbers must be non-negative integers");
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const b of bits) bytes[b >> 3] = (bytes[b >> 3] ?? 0) | (0x80 >> (b & 7));
  return bitString(bytes, 7 - (highest & 7));
}

export function octetString(bytes: Uint8Array): Buffer {
  return tlv(Tag.OCTET_STRING, bytes);
}

export function utf8String(text: string): Buffer {
  return tlv(Tag.UTF8_STRING, Buffer.from(text, "utf8"));
}

export function ia5String(text: string): Buffer {
  if (!/^[\x00-\x7f]*$/.test(text)) throw new RangeError(`IA5String must be ASCII: "${text}"`);
  return tlv(Tag.IA5_STRING, Buffer.from(text, "ascii"));
}

function twoDigits(n: number): string {
  return String(n).padStart(2, "0");
}

function timeDigits(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError("invalid date");
  return (
    twoDigits(date.getUTCMonth() + 1) +
    twoDigits(date.getUTCDate()) +
    twoDigits(date.getUTCHours()) +
    twoDigits(date.getUTCMinutes()) +
    twoDigits(date.getUTCSeconds()) +
    "Z"
  );
}

/** UTCTime YYMMDDHHMMSSZ; only meaningful for 1950–2049 (RFC 5280 4.1.2.5.1). */
export function utcTime(date: Date): Buffer {
  const year = date.getUTCFullYear();
  if (year < 1950 || year > 2049) throw new RangeError(`UTCTime cannot hold the year ${year}`);
  return tlv(Tag.UTC_TIME, Buffer.from(twoDigits(year % 100) + timeDigits(date), "ascii"));
}

/** GeneralizedTime YYYYMMDDHHMMSSZ, without fractional seconds (RFC 5280 4.1.2.5.2). */
export function generalizedTime(date: Date): Buffer {
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError(`GeneralizedTime cannot hold the year ${year}`);
  return tlv(Tag.GENERALIZED_TIME, Buffer.from(String(year).padStart(4, "0") + timeDigits(date), "ascii"));
}

/** X.509 Time: UTCTime through 2049, GeneralizedTime from 2050 on (and before 1950). */
export function x509Time(date: Date): Buffer {
  const year = date.getUTCFullYear();
  return year >= 1950 && year <= 2049 ? utcTime(date) : generalizedTime(date);
}

/** [n] EXPLICIT: a constructed context tag wrapping a complete encoding. */
export function explicit(tagNumber: number, inner: Uint8Array): Buffer {
  return tlv(CONTEXT | CONSTRUCTED | checkTagNumber(tagNumber), inner);
}

/** [n] IMPLICIT: the context tag replaces the universal one; `content` is the value octets only. */
export function implicit(tagNumber: number, content: Uint8Array, constructed = false): Buffer {
  return tlv(CONTEXT | (constructed ? CONSTRUCTED : 0) | checkTagNumber(tagNumber), content);
}

function checkTagNumber(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 30) throw new RangeError(`unsupported tag number ${n}`);
  return n;
}

/** PEM armour (RFC 7468): base64 in 64-character lines. */
export function toPem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString("base64");
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** Where one element sits in a buffer: identifier at `start`, value octets in [contentStart, end). */
export interface DerElement {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

/** Reads the element starting at `offset`. Rejects indefinite lengths and overruns. */
export function readElement(buf: Uint8Array, offset = 0): DerElement {
  const tag = buf[offset];
  const first = buf[offset + 1];
  if (tag === undefined || first === undefined) throw new RangeError(`truncated DER at offset ${offset}`);
  if ((tag & 0x1f) === 0x1f) throw new RangeError("high tag numbers are not supported");
  let length: number;
  let contentStart = offset + 2;
  if (first < 0x80) {
    length = first;
  } else {
    const count = first & 0x7f;
    if (count === 0 || count > 6) throw new RangeError("indefinite or oversized DER length");
    length = 0;
    for (let i = 0; i < count; i++) {
      const octet = buf[contentStart + i];
      if (octet === undefined) throw new RangeError("truncated DER length");
      length = length * 256 + octet;
    }
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > buf.length) throw new RangeError(`DER element at ${offset} overruns its buffer`);
  return { tag, start: offset, contentStart, end };
}

/** The elements directly inside a constructed element. */
export function readChildren(buf: Uint8Array, parent: DerElement): DerElement[] {
  const children: DerElement[] = [];
  for (let at = parent.contentStart; at < parent.end; ) {
    const child = readElement(buf, at);
    if (child.end > parent.end) throw new RangeError("DER child overruns its parent");
    children.push(child);
    at = child.end;
  }
  return children;
}
