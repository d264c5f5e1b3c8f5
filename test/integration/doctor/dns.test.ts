// `doctor dns` against a real DNS server: one dnsmasq serving a zone per situation (good,
// missing SRV, wrong port, CNAME target, "." target …), and a port where nobody answers. Each
// test asserts the status of the check concerned and the fix it proposes.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../../../src/config/load.js";
import type { Config } from "../../../src/config/types.js";
import type { HostPort } from "../../../src/dns/address.js";
import { Resolver } from "../../../src/dns/resolver.js";
import { dnsReport } from "../../../src/doctor/doctor.js";
import type { Report } from "../../../src/doctor/report.js";
import type { CheckOutcome } from "../../../src/doctor/types.js";
import { freePort, noDnsmasq, startDnsmasq, type Dnsmasq } from "./dnsmasq.js";

const srv = (service: string, domain: string, target?: string, port?: number, priority = 0, weight = 5) =>
  `--srv-host=_${service}._tcp.${domain}${target === undefined ? "" : `,${target},${port},${priority},${weight}`}`;

const ZONES: Record<string, string[]> = {
  // Everything right for the default listeners (5222 STARTTLS, 5223 direct TLS).
  "good.test": [
    srv("xmpp-client", "good.test", "xmpp.good.test", 5222),
    srv("xmpps-client", "good.test", "xmpp.good.test", 5223),
    "--host-record=xmpp.good.test,127.0.0.1,::1",
    "--host-record=upload.good.test,127.0.0.1",
    "--cname=proxy.good.test,xmpp.good.test",
  ],
  // No _xmpp-client record; the _xmpps-client one tells which host the fix should use.
  "missing.test": [srv("xmpps-client", "missing.test", "xmpp.missing.test", 5223), "--host-record=xmpp.missing.test,127.0.0.1"],
  // No SRV at all, but the domain has an address and the listener is on the default port.
  "fallback.test": ["--host-record=fallback.test,127.0.0.1"],
  // Direct TLS advertised on the STARTTLS port.
  "port.test": [srv("xmpp-client", "port.test", "xmpp.port.test", 5222), srv("xmpps-client", "port.test", "xmpp.port.test", 5222), "--host-record=xmpp.port.test,127.0.0.1"],
  // A target that is an alias.
  "cname.test": [srv("xmpp-client", "cname.test", "alias.cname.test", 5222), "--cname=alias.cname.test,xmpp.cname.test", "--host-record=xmpp.cname.test,127.0.0.1"],
  // Direct TLS explicitly not offered.
  "dot.test": [srv("xmpp-client", "dot.test", "xmpp.dot.test", 5222), srv("xmpps-client", "dot.test"), "--host-record=xmpp.dot.test,127.0.0.1"],
  // An IP address where a host name belongs, and a target without any address.
  "literal.test": [srv("xmpp-client", "literal.test", "192.0.2.5", 5222), srv("xmpps-client", "literal.test", "nowhere.literal.test", 5223)],
  // Two targets sharing the load and a backup.
  "order.test": [
    srv("xmpp-client", "order.test", "a.order.test", 5222, 0, 60),
    srv("xmpp-client", "order.test", "b.order.test", 5222, 0, 40),
    srv("xmpp-client", "order.test", "backup.order.test", 5222, 10, 0),
    "--host-record=a.order.test,127.0.0.1",
    "--host-record=b.order.test,127.0.0.2",
    "--host-record=backup.order.test,127.0.0.3",
    srv("jabber", "order.test", "a.order.test", 5222),
  ],
  // A public-looking domain pointing at private and loopback addresses.
  "example.net": [srv("xmpp-client", "example.net", "xmpp.example.net", 5222), srv("xmpp-server", "example.net", "xmpp.example.net", 5269), "--host-record=xmpp.example.net,10.1.2.3"],
};

describe("doctor dns against dnsmasq", { skip: noDnsmasq }, () => {
  let dns: Dnsmasq;
  before(async () => {
    dns = await startDnsmasq(Object.keys(ZONES), Object.values(ZONES).flat());
  });
  after(async () => {
    await dns?.stop();
  });

  function config(domain: string, flags: Record<string, unknown> = {}): Config {
    return loadConfig({ env: {}, flags: { domain, dataDir: "/nonexistent/chatctl-doctor", ...flags } });
  }

  async function report(domain: string, flags: Record<string, unknown> = {}, opts: { s2sPort?: number; resolvers?: HostPort[]; target?: string } = {}): Promise<Report> {
    return await dnsReport(config(domain, flags), {
      resolvers: opts.resolvers ?? [dns.address],
      timeoutMs: 1000,
      hostAddresses: () => ["192.0.2.10"],
      ...(opts.s2sPort !== undefined ? { s2sPort: opts.s2sPort } : {}),
      ...(opts.target !== undefined ? { target: opts.target } : {}),
    });
  }

  function find(r: Report, id: string, subject?: string): CheckOutcome {
    const found = r.checks.find((c) => c.id === id && (subject === undefined || c.subject === subject));
    assert.ok(found, `no ${id} ${subject ?? ""} in: ${r.checks.map((c) => `${c.id} ${c.subject ?? ""}`).join(", ")}`);
    return found;
  }

  test("a complete zone passes every check (federation is skipped while S2S is off)", async () => {
    const r = await report("good.test");
    const notOk = r.checks.filter((c) => c.status !== "ok").map((c) => `${c.id}: ${c.status} ${c.detail}`);
    assert.deepEqual(notOk, [`dns.s2s: skip S2S not enabled: _xmpp-server/_xmpps-server records for good.test, conference.good.test, pubsub.good.test, proxy.good.test, upload.good.test not checked`]);
    assert.match(find(r, "dns.srv-targets", "_xmpp-client._tcp.good.test").detail, /xmpp\.good\.test\. → 127\.0\.0\.1, ::1/);
    assert.match(find(r, "dns.service-names", "proxy.good.test").detail, /via xmpp\.good\.test\./);
  });

  test("a missing _xmpp-client record for a non-default port fails with the record to add, on the host already in use", async () => {
    const r = await report("missing.test", { "listeners.c2s.port": 15222 });
    const c = find(r, "dns.srv-records", "_xmpp-client._tcp.missing.test");
    assert.equal(c.status, "fail");
    assert.match(c.detail, /no SRV record: without it clients try port 5222, but listeners\.c2s listens on 15222/);
    assert.deepEqual(c.fix, ["_xmpp-client._tcp.missing.test. 3600 IN SRV 0 5 15222 xmpp.missing.test."]);
    // Nothing to compare ports or targets with: those checks are left out rather than skipped.
    assert.equal(r.checks.some((x) => x.id === "dns.srv-ports" && x.subject === "_xmpp-client._tcp.missing.test"), false);
  });

  test("--target chooses the host the proposed records point at, and gives it this host's address when it has none", async () => {
    const r = await report("missing.test", { "listeners.c2s.port": 15222 }, { target: "chat.missing.test" });
    assert.deepEqual(find(r, "dns.srv-records", "_xmpp-client._tcp.missing.test").fix, [
      "_xmpp-client._tcp.missing.test. 3600 IN SRV 0 5 15222 chat.missing.test.",
      "chat.missing.test. 3600 IN A 192.0.2.10",
    ]);
  });

  test("no SRV record is fine when the default port on the domain's own address reaches the listener", async () => {
    const r = await report("fallback.test");
    const c = find(r, "dns.srv-records", "_xmpp-client._tcp.fallback.test");
    assert.equal(c.status, "ok");
    assert.match(c.detail, /clients fall back to fallback\.test:5222 \(127\.0\.0\.1\)/);
    assert.deepEqual(c.fix, ["_xmpp-client._tcp.fallback.test. 3600 IN SRV 0 5 5222 fallback.test."]);
    // Direct TLS has no fallback port: without the record clients never find it.
    const direct = find(r, "dns.srv-records", "_xmpps-client._tcp.fallback.test");
    assert.equal(direct.status, "warn");
    assert.match(direct.detail, /use STARTTLS instead/);
  });

  test("a record on the wrong port fails, says it is the STARTTLS port, and gives the corrected record", async () => {
    const r = await report("port.test");
    const c = find(r, "dns.srv-ports", "_xmpps-client._tcp.port.test");
    assert.equal(c.status, "fail");
    assert.match(c.detail, /xmpp\.port\.test\. port 5222, but listeners\.c2sDirectTls listens on 5223 \(5222 is the listeners\.c2s port: STARTTLS/);
    assert.deepEqual(c.fix, ["_xmpps-client._tcp.port.test. 3600 IN SRV 0 5 5223 xmpp.port.test."]);
    assert.equal(find(r, "dns.srv-ports", "_xmpp-client._tcp.port.test").status, "ok");
  });

  test("a CNAME target is flagged (RFC 2782) and the fix points at the canonical host", async () => {
    const r = await report("cname.test");
    const c = find(r, "dns.srv-target-names", "_xmpp-client._tcp.cname.test");
    assert.equal(c.status, "warn");
    assert.match(c.detail, /alias\.cname\.test\. is an alias \(CNAME\) of xmpp\.cname\.test\./);
    assert.match(c.hint!, /RFC 2782/);
    assert.deepEqual(c.fix, ["_xmpp-client._tcp.cname.test. 3600 IN SRV 0 5 5222 xmpp.cname.test."]);
    // It does resolve (through the alias): that part is fine.
    assert.equal(find(r, "dns.srv-targets", "_xmpp-client._tcp.cname.test").status, "ok");
  });

  test("a '.' target reads as a deliberately disabled service: a warning while the listener runs, fine once it is off", async () => {
    const running = find(await report("dot.test"), "dns.srv-records", "_xmpps-client._tcp.dot.test");
    assert.equal(running.status, "warn");
    assert.match(running.detail, /target "\.": service deliberately disabled, but listeners\.c2sDirectTls serves it on port 5223/);
    assert.deepEqual(running.fix, ["_xmpps-client._tcp.dot.test. 3600 IN SRV 0 5 5223 xmpp.dot.test."]);

    const off = find(await report("dot.test", { "listeners.c2sDirectTls.enabled": false }), "dns.srv-records", "_xmpps-client._tcp.dot.test");
    assert.equal(off.status, "ok");
    assert.match(off.detail, /service deliberately disabled/);
  });

  test("a resolver that does not answer is reported once as such, not as missing records", async () => {
    const port = await freePort();
    const r = await report("good.test", {}, { resolvers: [{ host: "127.0.0.1", port }] });
    const c = find(r, "dns.resolver");
    assert.equal(c.status, "fail");
    assert.equal(c.detail, `resolver 127.0.0.1:${port} did not answer`);
    assert.match(c.hint!, /--resolver IP\[:PORT\]/);
    assert.equal(r.checks.filter((x) => x.status === "fail").length, 1);
    assert.equal(r.checks.some((x) => /no SRV record|does not resolve/.test(x.detail)), false);
  });

  test("a resolver that refuses to answer for the domain is reported once, and the checks that need it stay out", async () => {
    // dnsmasq has no upstream here: for a zone it does not serve it answers REFUSED.
    const r = await report("elsewhere.org");
    const c = find(r, "dns.resolver");
    assert.equal(c.status, "fail");
    assert.match(c.detail, /refused to answer for elsewhere\.org$/);
    assert.deepEqual(r.checks.map((x) => x.id), ["dns.resolver", "dns.s2s"]);
  });

  test("an IP literal as target fails with an A record and a host name to use instead; a target without address fails too", async () => {
    const r = await report("literal.test");
    const literal = find(r, "dns.srv-target-names", "_xmpp-client._tcp.literal.test");
    assert.equal(literal.status, "fail");
    assert.match(literal.detail, /192\.0\.2\.5 is an IP address/);
    assert.deepEqual(literal.fix, ["xmpp.literal.test. 3600 IN A 192.0.2.5", "_xmpp-client._tcp.literal.test. 3600 IN SRV 0 5 5222 xmpp.literal.test."]);
    const dead = find(r, "dns.srv-targets", "_xmpps-client._tcp.literal.test");
    assert.equal(dead.status, "fail");
    assert.match(dead.detail, /nowhere\.literal\.test\. has no A or AAAA record/);
    assert.deepEqual(dead.fix, ["nowhere.literal.test. 3600 IN A 192.0.2.10"]);
  });

  test("several targets: the RFC 2782 order is explained with each target's share; the obsolete _jabber record is noted", async () => {
    const r = await report("order.test");
    const c = find(r, "dns.srv-order", "_xmpp-client._tcp.order.test");
    assert.equal(c.status, "ok");
    assert.match(c.detail, /^first priority 0: a\.order\.test\.:5222 \(weight 60, 60% of first tries\), b\.order\.test\.:5222 \(weight 40, 40% of first tries\); then priority 10: backup\.order\.test\.:5222/);
    assert.match(c.hint!, /RFC 2782/);
    const jabber = find(r, "dns.legacy-jabber");
    assert.equal(jabber.status, "warn");
    assert.match(jabber.hint!, /delete the _jabber\._tcp\.order\.test records/);
  });

  test("a public-looking domain whose targets have private addresses is flagged: a warning for clients, a failure for federation", async () => {
    const r = await report("example.net", {}, { s2sPort: 5269 });
    const client = find(r, "dns.private-addresses", "_xmpp-client._tcp.example.net");
    assert.equal(client.status, "warn");
    assert.match(client.detail, /xmpp\.example\.net\. → 10\.1\.2\.3 \(private\): clients outside this network cannot connect/);
    assert.equal(find(r, "dns.private-addresses", "_xmpp-server._tcp.example.net").status, "fail");
    // The .test zones are not meant to be public: no such check there.
    assert.equal((await report("good.test")).checks.some((x) => x.id === "dns.private-addresses"), false);
  });

  test("with --s2s-port, each service name needs a federation record or address, and the fix names the port", async () => {
    const r = await report("good.test", {}, { s2sPort: 5269 });
    assert.equal(r.checks.some((c) => c.id === "dns.s2s"), false);
    const conference = find(r, "dns.srv-records", "_xmpp-server._tcp.conference.good.test");
    assert.equal(conference.status, "fail");
    assert.deepEqual(conference.fix, ["_xmpp-server._tcp.conference.good.test. 3600 IN SRV 0 5 5269 xmpp.good.test."]);
    // upload.good.test has an address, so federation falls back to it on 5269.
    assert.equal(find(r, "dns.srv-records", "_xmpp-server._tcp.upload.good.test").status, "ok");
  });

  test("the resolver falls back to TCP for an answer too big for UDP (many SRV records)", async () => {
    const many = Array.from({ length: 40 }, (_, i) => srv("xmpp-client", "big.test", `host${i}.big.test`, 5222, 0, i + 1));
    const big = await startDnsmasq(["big.test"], many);
    try {
      const resolver = new Resolver({ servers: [big.address], timeoutMs: 1000 });
      const response = await resolver.query("_xmpp-client._tcp.big.test", "SRV");
      assert.equal(response.transport, "tcp");
      assert.equal(response.answers.length, 40);
    } finally {
      await big.stop();
    }
  });
});
