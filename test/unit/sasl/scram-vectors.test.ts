// The exact exchanges printed in RFC 5802 §5 (SCRAM-SHA-1) and RFC 7677 §3 (SCRAM-SHA-256): the
// server nonce is injected so every byte of our messages can be compared with the RFC's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ScramMechanism } from "../../../src/sasl/scram.js";
import { context, FixedProvider } from "./fixtures.js";

async function exchange(hash: "SHA-1" | "SHA-256", o: { clientNonce: string; serverNonce: string; salt: string; proof: string }) {
  const provider = new FixedProvider({ user: "pencil" }, 4096, { user: o.salt });
  const session = new ScramMechanism(hash, false, { randomNonce: () => o.serverNonce }).start(context(provider, { secure: false }));
  const first = await session.step(Buffer.from(`n,,n=user,r=${o.clientNonce}`));
  const nonce = o.clientNonce + o.serverNonce;
  const final = await session.step(Buffer.from(`c=biws,r=${nonce},p=${o.proof}`));
  return { first, final };
}

test("RFC 5802 §5 SCRAM-SHA-1 exchange is reproduced byte for byte", async () => {
  const { first, final } = await exchange("SHA-1", {
    clientNonce: "fyko+d2lbbFgONRv9qkxdawL",
    serverNonce: "3rfcNHYJY1ZVvWVs7j",
    salt: "QSXCR+Q6sek8bf92",
    proof: "v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
  });
  assert.equal(first.kind, "challenge");
  assert.equal(first.kind === "challenge" && first.data.toString(), "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096");
  assert.deepEqual(final, { kind: "success", username: "user", data: Buffer.from("v=rmF9pqV8S7suAoZWja4dJRkFsKQ=") });
});

test("RFC 7677 §3 SCRAM-SHA-256 exchange is reproduced byte for byte", async () => {
  const { first, final } = await exchange("SHA-256", {
    clientNonce: "rOprNGfwEbeRWgbNEkqO",
    serverNonce: "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",
    salt: "W22ZaJ0SNY7soEsUEjb6gQ==",
    proof: "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
  });
  assert.equal(
    first.kind === "challenge" && first.data.toString(),
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
  );
  assert.deepEqual(final, { kind: "success", username: "user", data: Buffer.from("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=") });
});

test("RFC 5802 vector with one flipped proof bit is refused", async () => {
  // Proves the vector test above passes because the proof is checked, not because anything goes.
  const { final } = await exchange("SHA-1", {
    clientNonce: "fyko+d2lbbFgONRv9qkxdawL",
    serverNonce: "3rfcNHYJY1ZVvWVs7j",
    salt: "QSXCR+Q6sek8bf92",
    proof: "v0X8v3Bz2T0CJGbJQyF0X+HI4Tg=",
  });
  assert.equal(final.kind === "failure" && final.condition, "not-authorized");
});
