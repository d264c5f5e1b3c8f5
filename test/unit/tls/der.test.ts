// The DER encoder against encodings worked out from X.690: a wrong octet here would make every
// generated certificate unparseable, so each rule (minimal lengths, minimal integers, OID arcs,
// named bits, time types by year) is pinned with exact bytes.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  boolean,
  encodeLength,
  explicit,
  generalizedTime,
  implicit,
  integer,
  namedBits,
  octetString,
  oid,
  readChildren,
  readElement,
  sequence,
  setOf,
  Tag,
  toPem,
  utcTime,
  x509Time,
} from "../../../src/tls/der.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

test("lengths use the short form below 128 and the shortest long form above", () => {
  assert.equal(hex(encodeLength(0)), "00");
  assert.equal(hex(encodeLength(127)), "7f");
  assert.equal(hex(encodeLength(128)), "8180");
  assert.equal(hex(encodeLength(255)), "81ff");
  assert.equal(hex(encodeLength(256)), "820100");
  assert.equal(hex(encodeLength(65_536)), "83010000");
  assert.throws(() => encodeLength(-1), RangeError);
});

test("integers are minimal and stay positive when the top bit is set", () => {
  assert.equal(hex(integer(0)), "020100");
  assert.equal(hex(integer(127)), "02017f");
  assert.equal(hex(integer(128)), "02020080");
  assert.equal(hex(integer(256)), "02020100");
  assert.equal(hex(integer(2n ** 64n)), "0209010000000000000000");
  // Bytes are an unsigned magnitude: redundant leading zeros go, a sign-protecting zero comes.
  assert.equal(hex(integer(Buffer.from([0, 0, 5]))), "020105");
  assert.equal(hex(integer(Buffer.from([0xff]))), "020200ff");
  assert.equal(hex(integer(Buffer.alloc(0))), "020100");
  assert.throws(() => integer(-1), RangeError);
});

test("object identifiers pack the first two arcs and use base-128 continuation octets", () => {
  assert.equal(hex(oid("1.2.840.113549")), "06062a864886f70d");
  assert.equal(hex(oid("2.5.29.17")), "0603551d11");
  // X.690 8.19.5 example: {2 999 3}, where the combined first arc exceeds one octet.
  assert.equal(hex(oid("2.999.3")), "0603883703");
  assert.throws(() => oid("1.40"), RangeError);
  assert.throws(() => oid("3.1"), RangeError);
  assert.throws(() => oid("1.2.03"), RangeError);
});

test("booleans encode TRUE as 0xff", () => {
  assert.equal(hex(boolean(true)), "0101ff");
  assert.equal(hex(boolean(false)), "010100");
});

test("named bit strings drop trailing zero bits and count the unused ones", () => {
  assert.equal(hex(namedBits([0])), "03020780"); // digitalSignature
  assert.equal(hex(namedBits([0, 2])), "030205a0"); // + keyEncipherment
  assert.equal(hex(namedBits([0, 8])), "0303078080"); // decipherOnly spills into a second octet
  assert.equal(hex(namedBits([])), "030100");
});

test("X.509 times are UTCTime through 2049 and GeneralizedTime otherwise, to the second", () => {
  const ascii = (b: Buffer) => b.subarray(2).toString("ascii");
  const end2049 = new Date("2049-12-31T23:59:59.999Z");
  assert.equal(x509Time(end2049)[0], Tag.UTC_TIME);
  assert.equal(ascii(x509Time(end2049)), "491231235959Z");
  const start2050 = new Date("2050-01-01T00:00:00Z");
  assert.equal(x509Time(start2050)[0], Tag.GENERALIZED_TIME);
  assert.equal(ascii(x509Time(start2050)), "20500101000000Z");
  assert.equal(ascii(x509Time(new Date("1950-01-01T00:00:00Z"))), "500101000000Z");
  assert.equal(x509Time(new Date("1949-12-31T23:59:59Z"))[0], Tag.GENERALIZED_TIME);
  assert.throws(() => utcTime(start2050), RangeError);
  assert.equal(ascii(generalizedTime(end2049)), "20491231235959Z");
});

test("SET OF orders its elements by encoding, as DER requires", () => {
  assert.equal(hex(setOf(integer(2), integer(1))), "3106020101020102");
});

test("context tags: EXPLICIT wraps constructed, IMPLICIT replaces the universal tag", () => {
  assert.equal(hex(explicit(0, integer(2))), "a003020102");
  assert.equal(hex(implicit(2, Buffer.from("a"))), "820161");
  assert.equal(hex(implicit(3, sequence(), true)), "a3023000");
});

test("the reader walks what the encoder wrote, long lengths included", () => {
  const big = Buffer.alloc(300, 7);
  const der = sequence(integer(5), octetString(big), sequence());
  const outer = readElement(der);
  assert.equal(outer.tag, Tag.SEQUENCE);
  assert.equal(outer.end, der.length);
  const [first, second, third] = readChildren(der, outer);
  assert.equal(hex(der.subarray(first!.contentStart, first!.end)), "05");
  assert.deepEqual(der.subarray(second!.contentStart, second!.end), big);
  assert.equal(third!.contentStart, third!.end);
});

test("the reader refuses indefinite lengths and elements that overrun the buffer", () => {
  assert.throws(() => readElement(Buffer.from("3080", "hex")), RangeError);
  assert.throws(() => readElement(Buffer.from("300501", "hex")), RangeError);
  assert.throws(() => readElement(Buffer.from("30", "hex")), RangeError);
});

test("PEM wraps base64 at 64 characters between BEGIN and END lines", () => {
  const pem = toPem("CERTIFICATE", Buffer.alloc(100, 1));
  const lines = pem.trimEnd().split("\n");
  assert.equal(lines[0], "-----BEGIN CERTIFICATE-----");
  assert.equal(lines.at(-1), "-----END CERTIFICATE-----");
  assert.deepEqual(lines.slice(1, -1).map((l) => l.length), [64, 64, 8]);
  assert.deepEqual(Buffer.from(lines.slice(1, -1).join(""), "base64"), Buffer.alloc(100, 1));
});
