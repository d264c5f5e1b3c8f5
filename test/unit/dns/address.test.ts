import assert from "node:assert/strict";
import { test } from "node:test";
import { formatHostPort, parseHostPort } from "../../../src/dns/address.js";

test("HOST[:PORT] takes the default port when none is given, and the given one otherwise", () => {
  assert.deepEqual(parseHostPort("127.0.0.1", { defaultPort: 53 }), { host: "127.0.0.1", port: 53 });
  assert.deepEqual(parseHostPort("127.0.0.1:5353", { defaultPort: 53 }), { host: "127.0.0.1", port: 5353 });
  assert.deepEqual(parseHostPort("xmpp.example.com:5223", { defaultPort: 5222 }), { host: "xmpp.example.com", port: 5223 });
});

test("IPv6 literals: bare means no port, a port needs brackets", () => {
  assert.deepEqual(parseHostPort("::1", { defaultPort: 53 }), { host: "::1", port: 53 });
  assert.deepEqual(parseHostPort("[2001:db8::1]:5353", { defaultPort: 53 }), { host: "2001:db8::1", port: 5353 });
  assert.equal(formatHostPort({ host: "::1", port: 53 }), "[::1]:53");
  assert.equal(formatHostPort({ host: "127.0.0.1", port: 53 }), "127.0.0.1:53");
});

test("a resolver must be an IP address: a name, a bad port or brackets around IPv4 are refused with the reason", () => {
  assert.throws(() => parseHostPort("dns.example.com", { defaultPort: 53, ipOnly: true }), /expected an IP address/);
  assert.throws(() => parseHostPort("127.0.0.1:0", { defaultPort: 53, ipOnly: true }), /port must be a number from 1 to 65535/);
  assert.throws(() => parseHostPort("127.0.0.1:99999", { defaultPort: 53, ipOnly: true }), /port/);
  assert.throws(() => parseHostPort("[127.0.0.1]:53", { defaultPort: 53, ipOnly: true }), /only an IPv6 address goes in brackets/);
  assert.throws(() => parseHostPort("", { defaultPort: 53 }), /expected a host name or IP address/);
  assert.throws(() => parseHostPort("bad host:1", { defaultPort: 53 }), /is not a host name or IP address/);
});
