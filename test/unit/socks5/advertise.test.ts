// The streamhost address the proxy advertises: never the wildcard it binds, loopback only for a
// domain that is this machine's own, otherwise an address other machines can connect to.
import assert from "node:assert/strict";
import type { NetworkInterfaceInfo } from "node:os";
import { test } from "node:test";
import { advertisedHost, isLoopbackDomain } from "../../../src/services/socks5/advertise.js";

function nic(address: string, internal = false): NetworkInterfaceInfo {
  const v6 = address.includes(":");
  return {
    address,
    netmask: v6 ? "ffff:ffff:ffff:ffff::" : "255.255.255.0",
    family: v6 ? "IPv6" : "IPv4",
    mac: "00:00:00:00:00:00",
    internal,
    cidr: null,
    ...(v6 ? { scopeid: 0 } : {}),
  } as NetworkInterfaceInfo;
}

const LAN_HOST = {
  lo: [nic("127.0.0.1", true), nic("::1", true)],
  eth0: [nic("fe80::1"), nic("192.168.1.10")],
};
const ALL = ["0.0.0.0", "::"];

test("a configured host wins whatever the interfaces", () => {
  assert.deepEqual(advertisedHost({ domain: "chat.example.org", proxy: { addresses: ALL, advertisedHost: "files.example.org" } }, LAN_HOST), {
    host: "files.example.org",
    source: "configured",
  });
});

test("bound to all interfaces with a LAN domain: the machine's LAN address, not 0.0.0.0, loopback or link-local", () => {
  assert.deepEqual(advertisedHost({ domain: "chat.lan", proxy: { addresses: ALL } }, LAN_HOST), { host: "192.168.1.10", source: "interface", interfaceName: "eth0" });
});

test("a public domain prefers a global address; a LAN domain a private one", () => {
  const both = { eth0: [nic("192.168.1.10")], eth1: [nic("203.0.113.7")] };
  assert.equal(advertisedHost({ domain: "chat.example.org", proxy: { addresses: ALL } }, both).host, "203.0.113.7");
  assert.equal(advertisedHost({ domain: "chat.lan", proxy: { addresses: ALL } }, both).host, "192.168.1.10");
});

test("localhost gets loopback (the only clients are on this machine)", () => {
  assert.deepEqual(advertisedHost({ domain: "localhost", proxy: { addresses: ALL } }, LAN_HOST), { host: "127.0.0.1", source: "loopback-domain" });
  assert.equal(advertisedHost({ domain: "localhost", proxy: { addresses: ["::"] } }, LAN_HOST).host, "::1");
});

test("a specific bind address is advertised, a non-loopback one first", () => {
  assert.deepEqual(advertisedHost({ domain: "chat.example.org", proxy: { addresses: ["127.0.0.1", "10.0.0.5"] } }, LAN_HOST), { host: "10.0.0.5", source: "bind-address" });
  assert.deepEqual(advertisedHost({ domain: "localhost", proxy: { addresses: ["127.0.0.1"] } }, LAN_HOST), { host: "127.0.0.1", source: "bind-address" });
});

test("only IPv4 bound: IPv6 interface addresses are not candidates; none at all falls back to the domain", () => {
  const v6only = { eth0: [nic("2001:db8::5")] };
  assert.deepEqual(advertisedHost({ domain: "chat.example.org", proxy: { addresses: ["0.0.0.0"] } }, v6only), { host: "chat.example.org", source: "domain" });
  assert.equal(advertisedHost({ domain: "chat.example.org", proxy: { addresses: ALL } }, v6only).host, "2001:db8::5");
});

test("local domains: localhost, *.localhost and loopback addresses, nothing else", () => {
  assert.ok(isLoopbackDomain("localhost"));
  assert.ok(isLoopbackDomain("dev.localhost"));
  assert.ok(isLoopbackDomain("127.0.0.1"));
  assert.ok(!isLoopbackDomain("chat.lan"));
  assert.ok(!isLoopbackDomain("192.168.1.10"));
});
