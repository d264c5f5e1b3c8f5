import { test } from "node:test";
import assert from "node:assert/strict";
import { FailureThrottle } from "../../../src/auth/throttle.js";

function throttle(extra: { maxEntries?: number } = {}) {
  let clock = 0;
  const t = new FailureThrottle({ maxPerAddress: 3, maxPerAccount: 2, windowMs: 1000, now: () => clock, ...extra });
  return { t, at: (ms: number) => (clock = ms) };
}

test("an address is blocked after maxPerAddress failures inside the window", () => {
  const { t } = throttle();
  t.recordFailure("192.0.2.1");
  t.recordFailure("192.0.2.1");
  assert.equal(t.isBlocked("192.0.2.1"), false);
  t.recordFailure("192.0.2.1");
  assert.equal(t.isBlocked("192.0.2.1"), true);
  assert.equal(t.isBlocked("192.0.2.2"), false);
});

test("the window slides: a block lifts as its oldest failures age out", () => {
  const { t, at } = throttle();
  at(0);
  t.recordFailure("192.0.2.1");
  at(400);
  t.recordFailure("192.0.2.1");
  at(800);
  t.recordFailure("192.0.2.1");
  at(999);
  assert.equal(t.isBlocked("192.0.2.1"), true);
  at(1000); // the failure at 0 is now a full window old
  assert.equal(t.isBlocked("192.0.2.1"), false);
  t.recordFailure("192.0.2.1");
  assert.equal(t.isBlocked("192.0.2.1"), true);
});

test("an account is blocked after maxPerAccount failures from any addresses", () => {
  const { t } = throttle();
  t.recordFailure("192.0.2.1", "juliet");
  t.recordFailure("198.51.100.7", "juliet");
  assert.equal(t.isBlocked("203.0.113.9", "juliet"), true);
  assert.equal(t.isBlocked("203.0.113.9", "romeo"), false);
  assert.equal(t.isBlocked("203.0.113.9"), false);
});

test("a success clears the account's failures but not the address's", () => {
  // Otherwise an attacker with one valid account could log in between guesses at others.
  const { t } = throttle();
  t.recordFailure("192.0.2.1", "juliet");
  t.recordFailure("192.0.2.1", "juliet");
  t.recordFailure("192.0.2.1", "romeo");
  t.recordSuccess("192.0.2.1", "juliet");
  assert.equal(t.isBlocked("198.51.100.7", "juliet"), false);
  assert.equal(t.isBlocked("192.0.2.1"), true);
});

test("an IPv4-mapped IPv6 address counts as the IPv4 address", () => {
  const { t } = throttle();
  t.recordFailure("::ffff:192.0.2.1");
  t.recordFailure("192.0.2.1");
  t.recordFailure("::FFFF:192.0.2.1");
  assert.equal(t.isBlocked("192.0.2.1"), true);
});

test("memory stays bounded: at most maxEntries keys, the least recently failed go first", () => {
  const { t } = throttle({ maxEntries: 5 });
  for (let i = 0; i < 100; i++) t.recordFailure(`10.0.0.${i}`, `user${i}`);
  assert.deepEqual(t.size, { addresses: 5, accounts: 5 });
  t.recordFailure("10.0.0.99");
  t.recordFailure("10.0.0.99");
  assert.equal(t.isBlocked("10.0.0.99"), true);
});

test("expired entries are pruned once a window has passed", () => {
  const { t, at } = throttle();
  for (let i = 0; i < 50; i++) t.recordFailure(`10.0.0.${i}`, `user${i}`);
  assert.deepEqual(t.size, { addresses: 50, accounts: 50 });
  at(5000);
  t.recordFailure("10.1.0.1", "late");
  assert.deepEqual(t.size, { addresses: 1, accounts: 1 });
});

test("a flood of failures from one address blocks it until a window after the last one", () => {
  // Each key keeps at most maxPerAddress timestamps, so the flood costs no memory; it must still
  // count as a block for exactly as long as the newest failures are inside the window.
  const { t, at } = throttle();
  for (let i = 0; i < 5000; i++) t.recordFailure("192.0.2.1");
  assert.equal(t.isBlocked("192.0.2.1"), true);
  at(1000);
  assert.equal(t.isBlocked("192.0.2.1"), false);
});

test("limits must be positive integers and the window a positive duration", () => {
  assert.throws(() => new FailureThrottle({ maxPerAddress: 0, maxPerAccount: 1, windowMs: 1 }), RangeError);
  assert.throws(() => new FailureThrottle({ maxPerAddress: 1, maxPerAccount: 1.5, windowMs: 1 }), RangeError);
  assert.throws(() => new FailureThrottle({ maxPerAddress: 1, maxPerAccount: 1, windowMs: -5 }), RangeError);
  // Windows computed from fractional seconds in the config are fine.
  assert.doesNotThrow(() => new FailureThrottle({ maxPerAddress: 1, maxPerAccount: 1, windowMs: 1.1 * 1000 }));
});
