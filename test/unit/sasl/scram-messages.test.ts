import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeBase64Strict, decodeSaslname, parseClientFinal, parseClientFirst } from "../../../src/sasl/scram-messages.js";

test("saslname decoding turns =2C and =3D back into , and = and rejects every other =", () => {
  assert.equal(decodeSaslname("a=2Cb=3Dc"), "a,b=c");
  for (const bad of ["a=2c", "a=", "a=3", "=41", "", "a\0b"]) assert.equal(decodeSaslname(bad), undefined, bad);
});

test("base64 is decoded only when canonically padded RFC 4648 text", () => {
  assert.deepEqual(decodeBase64Strict("biws"), Buffer.from("n,,"));
  assert.deepEqual(decodeBase64Strict(""), Buffer.alloc(0));
  for (const bad of ["biw", "bi ws", "biws=", "b-ws", "YQ", "YQ=", "Y==="]) assert.equal(decodeBase64Strict(bad), undefined, bad);
});

test("client-first keeps the raw gs2 header and bare message for AuthMessage and channel binding", () => {
  const parsed = parseClientFirst("p=tls-exporter,a=ju=2Cliet,n=juliet,r=abc,x=ext");
  assert.deepEqual(parsed, {
    ok: true,
    value: {
      gs2: { raw: "p=tls-exporter,a=ju=2Cliet,", flag: "p", cbName: "tls-exporter", authzid: "ju,liet" },
      bare: "n=juliet,r=abc,x=ext",
      username: "juliet",
      nonce: "abc",
    },
  });
});

test("client-final separates the proof from the message it signs", () => {
  const parsed = parseClientFinal("c=biws,r=abcdef,p=AAAA");
  assert.deepEqual(parsed, { ok: true, value: { withoutProof: "c=biws,r=abcdef", channelBinding: Buffer.from("n,,"), nonce: "abcdef", proof: Buffer.alloc(3) } });
});
