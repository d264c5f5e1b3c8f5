import assert from "node:assert/strict";
import { test } from "node:test";
import { addressScope, looksPublic } from "../../../src/dns/ip.js";

test("loopback, RFC 1918/4193/6598 and link-local addresses are not reachable from the Internet", () => {
  assert.equal(addressScope("127.0.0.1"), "loopback");
  assert.equal(addressScope("::1"), "loopback");
  for (const a of ["10.1.2.3", "172.16.0.1", "172.31.255.254", "192.168.1.10", "100.64.0.1", "169.254.1.1", "fd00::1", "fe80::1", "::ffff:192.168.0.1"]) {
    assert.equal(addressScope(a), "private", a);
  }
  for (const a of ["203.0.113.7", "172.32.0.1", "8.8.8.8", "2001:db8::1", "::ffff:8.8.8.8"]) assert.equal(addressScope(a), "global", a);
});

test("domains under reserved or local names do not look public; ordinary ones do", () => {
  for (const d of ["localhost", "example.test", "chat.lan", "home.arpa", "x.home.arpa", "box.local", "intranet", "10.0.0.1"]) assert.equal(looksPublic(d), false, d);
  for (const d of ["example.com", "chat.example.org", "jabber.ccc.de"]) assert.equal(looksPublic(d), true, d);
});
