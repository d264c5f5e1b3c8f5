import { test } from "node:test";
import assert from "node:assert/strict";
import { PlainMechanism } from "../../../src/sasl/plain.js";
import type { SaslStep } from "../../../src/sasl/types.js";
import { context, FixedProvider } from "./fixtures.js";

const plain = new PlainMechanism();
const message = (authzid: string, authcid: string, password: string) => Buffer.from(`${authzid}\0${authcid}\0${password}`);

function condition(step: SaslStep): string | undefined {
  return step.kind === "failure" ? step.condition : undefined;
}

test("PLAIN over TLS succeeds with the right password and reports the prepared username", async () => {
  const provider = new FixedProvider({ juliet: "r0meo!" });
  const step = await plain.start(context(provider)).step(message("", "Juliet", "r0meo!"));
  assert.deepEqual(step, { kind: "success", username: "juliet" });
  assert.deepEqual(provider.verifyCalls, [["juliet", "r0meo!"]]);
});

test("PLAIN without TLS is refused with encryption-required before the password is looked at", async () => {
  const provider = new FixedProvider({ juliet: "r0meo!" });
  assert.equal(plain.available(context(provider, { secure: false })), false);
  const step = await plain.start(context(provider, { secure: false })).step(message("", "juliet", "r0meo!"));
  assert.equal(condition(step), "encryption-required");
  assert.deepEqual(provider.verifyCalls, []);
});

test("PLAIN with a wrong password or an unknown user fails with not-authorized", async () => {
  const provider = new FixedProvider({ juliet: "r0meo!" });
  assert.equal(condition(await plain.start(context(provider)).step(message("", "juliet", "tybalt"))), "not-authorized");
  assert.equal(condition(await plain.start(context(provider)).step(message("", "nobody", "r0meo!"))), "not-authorized");
});

test("PLAIN accepts an authzid naming the user and refuses one naming someone else", async () => {
  const provider = new FixedProvider({ juliet: "r0meo!" });
  const ctx = context(provider, { domain: "capulet.example" });
  assert.equal((await plain.start(ctx).step(message("juliet", "juliet", "r0meo!"))).kind, "success");
  assert.equal((await plain.start(ctx).step(message("juliet@capulet.example", "juliet", "r0meo!"))).kind, "success");
  assert.equal(condition(await plain.start(ctx).step(message("romeo", "juliet", "r0meo!"))), "invalid-authzid");
  // Refused before the password is checked: no guessing through a forbidden authzid.
  assert.deepEqual(provider.verifyCalls.length, 2);
});

test("malformed PLAIN messages fail with malformed-request", async () => {
  const provider = new FixedProvider({ juliet: "r0meo!" });
  const cases = [
    Buffer.from("juliet\0r0meo!"), // two fields
    Buffer.from("\0juliet\0r0meo!\0"), // four fields
    message("", "", "r0meo!"), // empty authcid
    message("", "juliet", ""), // empty password
    message("", "juliet", "x".repeat(256)), // over 255 octets
    Buffer.from([0x00, 0x6a, 0x00, 0xff]), // not UTF-8
  ];
  for (const m of cases) assert.equal(condition(await plain.start(context(provider)).step(m)), "malformed-request", JSON.stringify(m.toString()));
  assert.deepEqual(provider.verifyCalls, []);
});

test("PLAIN without an initial response sends an empty challenge and then takes the message", async () => {
  const session = plain.start(context(new FixedProvider({ juliet: "r0meo!" })));
  assert.deepEqual(await session.step(Buffer.alloc(0)), { kind: "challenge", data: Buffer.alloc(0) });
  assert.equal((await session.step(message("", "juliet", "r0meo!"))).kind, "success");
  assert.equal(condition(await session.step(message("", "juliet", "r0meo!"))), "malformed-request");
});

test("a provider that throws during PLAIN yields temporary-auth-failure", async () => {
  const provider = new FixedProvider({ juliet: "r0meo!" });
  provider.failWith = new Error("ldap server unreachable");
  assert.equal(condition(await plain.start(context(provider)).step(message("", "juliet", "r0meo!"))), "temporary-auth-failure");
});
