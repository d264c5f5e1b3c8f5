// How USER is read on the command line: a name, or an address on the configured domain only.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseAccount } from "../../src/cli/commands/user/accounts.js";
import type { Config } from "../../src/config/types.js";
import { UsageError } from "../../src/errors.js";

const config = { domain: "example.org" } as Config;

test("a bare name and an address on the configured domain name the same prepared account", () => {
  for (const arg of ["alice", "Alice", "alice@example.org", "alice@EXAMPLE.org", "alice@example.org."]) {
    assert.deepEqual(parseAccount(arg, config), { user: "alice", jid: "alice@example.org" }, arg);
  }
});

test("another domain, a resource, or an invalid name is a usage error", () => {
  for (const arg of ["alice@example.com", "alice@", "alice@example.org/phone", "a b", "", "@example.org"]) {
    assert.throws(() => parseAccount(arg, config), UsageError, arg);
  }
});
