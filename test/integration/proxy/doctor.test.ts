// chatctl doctor's proxy.address check against real configurations, a real resolver lookup and a
// real running server: it names the address clients get, fails for loopback or the wildcard on a
// public domain and for a name that does not resolve, and sends a SOCKS5 greeting to a running
// proxy.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../../../src/config/load.js";
import { proxyAddressCheck } from "../../../src/doctor/checks/proxy-address.js";
import { fullReport } from "../../../src/doctor/doctor.js";
import { ProbeCache } from "../../../src/doctor/probe.js";
import type { CheckResult } from "../../../src/doctor/types.js";
import { freePort } from "../doctor/dnsmasq.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const dirs: string[] = [];
function config(flags: Record<string, unknown>) {
  const dataDir = mkdtempSync(join(tmpdir(), "chatctl-proxy-doctor-"));
  dirs.push(dataDir);
  return loadConfig({ env: {}, flags: { dataDir, "listeners.c2sDirectTls.enabled": false, ...flags } });
}
async function check(flags: Record<string, unknown>): Promise<CheckResult> {
  const result = await proxyAddressCheck.run({ config: { ok: true, config: config(flags) }, probes: new ProbeCache(1000) });
  assert.ok(result, "the check ran");
  return result;
}

describe("doctor proxy.address", () => {
  let t: TestServer;
  let proxyPort = 0;
  let deadPort = 0;
  before(async () => {
    proxyPort = await freePort();
    deadPort = await freePort();
    t = await startTestServer({ "proxy.port": proxyPort });
  });
  after(async () => {
    await t.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test("a public domain advertising loopback fails and says which setting to change", async () => {
    const r = await check({ domain: "chat.example.org", "proxy.advertisedHost": "127.0.0.1", "proxy.port": deadPort, "listeners.c2s.port": deadPort });
    assert.equal(r.status, "fail");
    assert.match(r.detail, new RegExp(`^proxy\\.chat\\.example\\.org advertises 127\\.0\\.0\\.1:${deadPort} \\(proxy\\.advertisedHost\\): loopback`));
    assert.match(r.hint!, /proxy\.advertisedHost/);
  });

  test("the wildcard address fails, whatever the domain", async () => {
    const r = await check({ domain: "chat.lan", "proxy.advertisedHost": "0.0.0.0", "proxy.port": deadPort });
    assert.equal(r.status, "fail");
    assert.match(r.detail, /wildcard/);
  });

  test("a LAN domain advertising loopback is a warning (only this machine can use it)", async () => {
    const r = await check({ domain: "chat.lan", "proxy.addresses": ["127.0.0.1"], "proxy.port": 0 });
    assert.equal(r.status, "warn");
    assert.match(r.detail, /advertises 127\.0\.0\.1:0 \(from proxy\.addresses\): loopback/);
  });

  test("a public domain advertising a private address is a warning about users outside the network (NAT)", async () => {
    const r = await check({ domain: "chat.example.org", "proxy.advertisedHost": "192.168.1.10", "proxy.port": 0 });
    assert.equal(r.status, "warn");
    assert.match(r.detail, /advertises 192\.168\.1\.10:0 \(proxy\.advertisedHost\): a private address/);
    assert.match(r.hint!, /forward the port/);
  });

  test("an advertised name that does not resolve fails", async () => {
    const r = await check({ domain: "chat.example.org", "proxy.advertisedHost": "no-such-host.invalid", "proxy.port": deadPort });
    assert.equal(r.status, "fail");
    assert.match(r.detail, /no-such-host\.invalid:\d+ \(proxy\.advertisedHost\), which does not resolve/);
  });

  test("the running proxy of a localhost server answers the SOCKS5 greeting: ok, with the address and its source", async () => {
    const r = await check({ domain: "localhost", "proxy.addresses": ["127.0.0.1"], "proxy.port": proxyPort });
    assert.equal(r.status, "ok");
    assert.equal(r.detail, `proxy.localhost advertises 127.0.0.1:${proxyPort} (from proxy.addresses): answers SOCKS5`);
  });

  test("the server runs but nothing answers at the proxy's address: fail", async () => {
    const r = await check({ domain: "localhost", "proxy.addresses": ["127.0.0.1"], "proxy.port": deadPort, "listeners.c2s.addresses": ["127.0.0.1"], "listeners.c2s.port": t.port });
    assert.equal(r.status, "fail");
    assert.match(r.detail, new RegExp(`but 127\\.0\\.0\\.1 port ${deadPort} refuses connections$`));
  });

  test("with the server stopped, the address is still reported, not probed", async () => {
    const r = await check({ domain: "localhost", "proxy.addresses": ["127.0.0.1"], "proxy.port": deadPort, "listeners.c2s.addresses": ["127.0.0.1"], "listeners.c2s.port": deadPort });
    assert.equal(r.status, "ok");
    assert.match(r.detail, /not probed: the server is not running$/);
  });

  test("the full doctor report includes proxy.address, and leaves it out when services.proxy is off", async () => {
    const flags = { domain: "example.test", "listeners.c2s.addresses": ["127.0.0.1"], "listeners.c2s.port": deadPort, "proxy.addresses": ["127.0.0.1"], "proxy.port": deadPort };
    const opts = { resolvers: [{ host: "127.0.0.1", port: deadPort }], timeoutMs: 300 };
    const on = await fullReport({ ok: true, config: config(flags) }, opts);
    assert.ok(on.checks.some((c) => c.id === "proxy.address"));
    const off = await fullReport({ ok: true, config: config({ ...flags, "services.proxy": false }) }, opts);
    assert.ok(!off.checks.some((c) => c.id === "proxy.address"));
  });
});
