// The SOCKS5 reader frames the client's greeting and request (RFC 1928 §3, §4) however TCP cuts
// them, and gives back the payload bytes that follow the request untouched.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Socks5ClientReader, type ClientMessage } from "../../../src/services/socks5/parser.js";
import { replyMessage, Reply } from "../../../src/services/socks5/protocol.js";

const HASH = "a".repeat(40);
const GREETING = Buffer.from([0x05, 0x02, 0x00, 0x02]);
function request(atyp: number, addr: Buffer, cmd = 0x01, port = 0): Buffer {
  const p = Buffer.alloc(2);
  p.writeUInt16BE(port);
  const len = atyp === 0x03 ? Buffer.from([addr.length]) : Buffer.alloc(0);
  return Buffer.concat([Buffer.from([0x05, cmd, 0x00, atyp]), len, addr, p]);
}
const DOMAIN_REQUEST = request(0x03, Buffer.from(HASH));

function feedAll(reader: Socks5ClientReader, chunks: Buffer[]): ClientMessage[] {
  return chunks.flatMap((c) => reader.push(c));
}

test("a greeting and a domain CONNECT sent one byte at a time are read as exactly two messages", () => {
  const reader = new Socks5ClientReader();
  const bytes = Buffer.concat([GREETING, DOMAIN_REQUEST]);
  const msgs = feedAll(reader, [...bytes].map((b) => Buffer.from([b])));
  assert.deepEqual(msgs, [
    { kind: "greeting", methods: [0x00, 0x02] },
    { kind: "request", command: 0x01, addressType: 0x03, address: HASH, port: 0 },
  ]);
  assert.equal(reader.done, true);
  assert.equal(reader.takeRest().length, 0);
});

test("greeting, request and the first payload bytes in one segment: both messages, and the payload is kept as the rest", () => {
  const reader = new Socks5ClientReader();
  const msgs = reader.push(Buffer.concat([GREETING, DOMAIN_REQUEST, Buffer.from("payload")]));
  assert.deepEqual(msgs.map((m) => m.kind), ["greeting", "request"]);
  assert.equal(reader.takeRest().toString(), "payload");
});

test("every split point of greeting + request gives the same messages", () => {
  const bytes = Buffer.concat([GREETING, DOMAIN_REQUEST]);
  for (let i = 1; i < bytes.length; i++) {
    for (let j = i; j < bytes.length; j++) {
      const reader = new Socks5ClientReader();
      const msgs = feedAll(reader, [bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]);
      assert.equal(msgs.length, 2, `split at ${i}/${j}`);
      assert.equal((msgs[1] as { address: string }).address, HASH);
    }
  }
});

test("nothing is reported until a message is complete", () => {
  const reader = new Socks5ClientReader();
  assert.deepEqual(reader.push(Buffer.from([0x05, 0x03, 0x00])), []);
  assert.deepEqual(reader.push(Buffer.from([0x01, 0x02])), [{ kind: "greeting", methods: [0x00, 0x01, 0x02] }]);
  assert.deepEqual(reader.push(DOMAIN_REQUEST.subarray(0, 10)), []);
  assert.equal(reader.push(DOMAIN_REQUEST.subarray(10)).length, 1);
});

test("IPv4 and IPv6 requests and other commands are framed (the server decides to refuse them)", () => {
  const v4 = new Socks5ClientReader();
  v4.push(GREETING);
  assert.deepEqual(v4.push(request(0x01, Buffer.from([10, 0, 0, 1]), 0x01, 80)), [
    { kind: "request", command: 0x01, addressType: 0x01, address: "10.0.0.1", port: 80 },
  ]);
  const v6 = new Socks5ClientReader();
  v6.push(GREETING);
  const addr = Buffer.alloc(16);
  addr[15] = 1;
  assert.deepEqual(v6.push(request(0x04, addr, 0x02, 443)), [{ kind: "request", command: 0x02, addressType: 0x04, address: "0:0:0:0:0:0:0:1", port: 443 }]);
});

test("a version other than 5 is malformed at once, in the greeting or the request", () => {
  const socks4 = new Socks5ClientReader();
  const m = socks4.push(Buffer.from([0x04, 0x01, 0x00, 0x50]));
  assert.equal(m.length, 1);
  assert.equal(m[0]!.kind, "malformed");
  assert.equal(socks4.done, true);
  const badRequest = new Socks5ClientReader();
  badRequest.push(GREETING);
  assert.equal(badRequest.push(Buffer.from([0x04]))[0]!.kind, "malformed");
});

test("an unknown address type cannot be framed: malformed, naming the type so the server can answer X'08'", () => {
  const reader = new Socks5ClientReader();
  reader.push(GREETING);
  const [m] = reader.push(Buffer.from([0x05, 0x01, 0x00, 0x09, 1, 2, 3]));
  assert.deepEqual(m, { kind: "malformed", reason: "unknown address type 9", unknownAddressType: 9 });
});

test("a greeting offering no methods is a greeting with an empty list (the server answers X'FF')", () => {
  assert.deepEqual(new Socks5ClientReader().push(Buffer.from([0x05, 0x00])), [{ kind: "greeting", methods: [] }]);
});

test("the reply echoes the requested domain and port (XEP-0065 §6.3.2), or 0.0.0.0:0 without one", () => {
  assert.deepEqual([...replyMessage(Reply.SUCCEEDED, "ab", 0)], [0x05, 0x00, 0x00, 0x03, 2, 0x61, 0x62, 0, 0]);
  assert.deepEqual([...replyMessage(Reply.ADDRESS_TYPE_NOT_SUPPORTED)], [0x05, 0x08, 0x00, 0x01, 0, 0, 0, 0, 0, 0]);
});
