import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, createHmac, pbkdf2Sync } from "node:crypto";
import { deriveScramCredentials } from "../../../src/sasl/scram-crypto.js";

test("derived credentials follow RFC 5802: StoredKey = H(HMAC(Hi(pw), 'Client Key')), ServerKey = HMAC(Hi(pw), 'Server Key')", () => {
  const salt = Buffer.from("QSXCR+Q6sek8bf92", "base64");
  const c = deriveScramCredentials("pencil", "SHA-1", 4096, salt);
  const salted = pbkdf2Sync("pencil", salt, 4096, 20, "sha1");
  assert.deepEqual(c, {
    salt: "QSXCR+Q6sek8bf92",
    iterations: 4096,
    storedKey: createHash("sha1").update(createHmac("sha1", salted).update("Client Key").digest()).digest("base64"),
    serverKey: createHmac("sha1", salted).update("Server Key").digest("base64"),
  });
});

test("derived credentials contain neither the password nor the salted password", () => {
  const salt = Buffer.alloc(16, 7);
  const c = deriveScramCredentials("pencil", "SHA-256", 4096, salt);
  const salted = pbkdf2Sync("pencil", salt, 4096, 32, "sha256").toString("base64");
  const text = JSON.stringify(c);
  assert.ok(!text.includes("pencil"));
  assert.ok(!text.includes(salted));
  assert.deepEqual(Object.keys(c).sort(), ["iterations", "salt", "serverKey", "storedKey"]);
});

test("without a salt a fresh 16-byte random salt is used each time", () => {
  const a = deriveScramCredentials("pencil", "SHA-256", 64);
  const b = deriveScramCredentials("pencil", "SHA-256", 64);
  assert.equal(Buffer.from(a.salt, "base64").length, 16);
  assert.notEqual(a.salt, b.salt);
  assert.notEqual(a.storedKey, b.storedKey);
});

test("a non-positive iteration count is refused", () => {
  assert.throws(() => deriveScramCredentials("pencil", "SHA-1", 0), RangeError);
});
