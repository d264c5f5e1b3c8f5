// How the admin commands decide where to connect and as whom (DESIGN.md "Admin plane").
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ChatctlError } from "../../src/errors.js";
import { adminJid, isLocalDomain, parseServer } from "../../src/cli/commands/users/connection.js";
import type { Config } from "../../src/config/types.js";

const config = { domain: "example.org" } as Config;

describe("admin connection options", () => {
  test("--server takes HOST, HOST:PORT and [IPv6]:PORT; the port defaults to the c2s port", () => {
    assert.deepEqual(parseServer("xmpp.example.org", 5222), { host: "xmpp.example.org", port: 5222 });
    assert.deepEqual(parseServer("127.0.0.1:15222", 5222), { host: "127.0.0.1", port: 15222 });
    assert.deepEqual(parseServer("[::1]:15222", 5222), { host: "::1", port: 15222 });
    assert.deepEqual(parseServer("::1", 5222), { host: "::1", port: 5222 });
  });

  test("a bad port is a usage error (exit 2)", () => {
    assert.throws(() => parseServer("host:70000", 5222), (e: ChatctlError) => e.exitCode === 2);
    assert.throws(() => parseServer("host:", 5222), (e: ChatctlError) => e.exitCode === 2);
  });

  test("localhost domains are local; others are not", () => {
    assert.equal(isLocalDomain("localhost"), true);
    assert.equal(isLocalDomain("chat.localhost"), true);
    assert.equal(isLocalDomain("example.org"), false);
  });

  test("--jid may omit the configured domain, must not name a resource, and is required", () => {
    assert.equal(adminJid({ jid: "admin" }, config), "admin@example.org");
    assert.equal(adminJid({ jid: "admin@other.org" }, config), "admin@other.org");
    assert.throws(() => adminJid({ jid: "admin@example.org/res" }, config), (e: ChatctlError) => e.exitCode === 2);
    assert.throws(() => adminJid({}, config), (e: ChatctlError) => e.exitCode === 2);
  });
});
