// The live probe against a real `chatctl serve` on loopback ephemeral ports, serving a CA-signed
// certificate that lacks pubsub.<domain>: the doctor must see, through STARTTLS and direct TLS
// and for each SNI, that the served certificate does not cover that name.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../../../src/config/load.js";
import type { Config } from "../../../src/config/types.js";
import { certReport, fullReport } from "../../../src/doctor/doctor.js";
import type { Report } from "../../../src/doctor/report.js";
import type { CheckOutcome } from "../../../src/doctor/types.js";
import { authority, issue } from "../../unit/doctor/pki.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { freePort, noDnsmasq, startDnsmasq } from "./dnsmasq.js";

const DOMAIN = "example.test";
const SERVED = [DOMAIN, `conference.${DOMAIN}`, `proxy.${DOMAIN}`, `upload.${DOMAIN}`]; // no pubsub.

function find(r: Report, id: string, subject?: RegExp): CheckOutcome {
  const found = r.checks.find((c) => c.id === id && (subject === undefined || subject.test(c.subject ?? "")));
  assert.ok(found, `no ${id} ${subject ?? ""} in: ${r.checks.map((c) => `${c.id} ${c.subject ?? ""}`).join(", ")}`);
  return found;
}

describe("doctor cert: live probe of a running chatctl server", () => {
  const { root, intermediate } = authority();
  let server: TestServer;
  let dir: string;
  let certPath: string;
  let keyPath: string;
  /** The server's configuration with its real ports, as the doctor on that host would read it. */
  let config: Config;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "chatctl-doctor-probe-"));
    const leaf = issue({ commonName: DOMAIN, issuer: intermediate, dns: SERVED });
    certPath = join(dir, "fullchain.pem");
    keyPath = join(dir, "privkey.pem");
    writeFileSync(certPath, leaf.pem + intermediate.pem);
    writeFileSync(keyPath, leaf.keyPem, { mode: 0o600 });
    // A known proxy port, so the doctor's configuration below can name it (proxy.address probes it).
    const proxyPort = await freePort();
    server = await startTestServer({ domain: DOMAIN, "tls.cert": certPath, "tls.key": keyPath, "proxy.port": proxyPort });
    config = loadConfig({
      env: {},
      flags: {
        domain: DOMAIN,
        dataDir: server.dataDir,
        "tls.cert": certPath,
        "tls.key": keyPath,
        "listeners.c2s.addresses": ["127.0.0.1"],
        "listeners.c2s.port": server.port,
        "listeners.c2sDirectTls.addresses": ["127.0.0.1"],
        "listeners.c2sDirectTls.port": server.tlsPort,
        "proxy.addresses": ["127.0.0.1"],
        "proxy.port": proxyPort,
      },
    });
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("both listeners serve the configured certificate, and for SNI pubsub. it does not cover the name", async () => {
    const r = await certReport(config, { extraTrust: [root.cert] });
    for (const listener of [/^listeners\.c2s 127\.0\.0\.1:\d+ \(STARTTLS\)$/, /^listeners\.c2sDirectTls 127\.0\.0\.1:\d+ \(direct TLS\)$/]) {
      const served = find(r, "cert.served", listener);
      assert.equal(served.status, "ok");
      assert.match(served.detail, new RegExp(`^serves ${certPath.replace(/[.]/g, "\\.")} \\(TLSv1\\.[23], TLS_`));
      const names = find(r, "cert.served-names", listener);
      assert.equal(names.status, "fail");
      assert.match(names.detail, /^the certificate served \(CN=example\.test\) does not cover pubsub\.example\.test$/);
      assert.equal(find(r, "cert.served-chain", listener).status, "ok");
    }
    // The file itself tells the same story.
    assert.match(find(r, "cert.names").detail, /^does not cover pubsub\.example\.test/);
  });

  test("--host finds out by itself whether a port speaks STARTTLS or direct TLS", async () => {
    const direct = await certReport(config, { source: { kind: "host", target: { host: "127.0.0.1", port: server.tlsPort, mode: "auto", streamTo: DOMAIN } }, extraTrust: [root.cert] });
    assert.match(find(direct, "cert.load").detail, /\(direct TLS\) presents 2 certificates \(CN=example\.test\)/);
    assert.equal(find(direct, "cert.chain").status, "ok");
    assert.equal(direct.checks.some((c) => c.id === "cert.key-match"), false);
    const starttls = await certReport(config, { source: { kind: "host", target: { host: "127.0.0.1", port: server.port, mode: "auto", streamTo: DOMAIN } }, extraTrust: [root.cert] });
    assert.match(find(starttls, "cert.load").detail, /\(STARTTLS\) presents/);
    assert.equal(find(starttls, "cert.served-names").status, "fail");
  });

  test("--host on a port where nothing listens fails cert.load with the reason", async () => {
    const port = await freePort();
    const r = await certReport(config, { source: { kind: "host", target: { host: "127.0.0.1", port, mode: "starttls", streamTo: DOMAIN } } });
    assert.equal(find(r, "cert.load").status, "fail");
    assert.match(find(r, "cert.load").detail, new RegExp(`^nothing listens on 127\\.0\\.0\\.1:${port} \\(connection refused\\)$`));
  });

  test("a server that does not serve the domain asked for ends the stream, and the doctor names its error", async () => {
    const r = await certReport(config, { source: { kind: "host", target: { host: "127.0.0.1", port: server.port, mode: "starttls", streamTo: "elsewhere.test" } } });
    assert.equal(find(r, "cert.load").status, "fail");
    assert.match(find(r, "cert.load").detail, /closed the stream with the error <host-unknown\/>$/);
  });

  test("the full doctor on the server's host: listeners reachable, database healthy, DNS and certificate checked", { skip: noDnsmasq }, async () => {
    const dns = await startDnsmasq(
      [DOMAIN],
      [
        `--srv-host=_xmpp-client._tcp.${DOMAIN},xmpp.${DOMAIN},${server.port},0,5`,
        `--srv-host=_xmpps-client._tcp.${DOMAIN},xmpp.${DOMAIN},${server.tlsPort},0,5`,
        `--host-record=xmpp.${DOMAIN},127.0.0.1`,
        `--host-record=upload.${DOMAIN},127.0.0.1`,
        `--host-record=proxy.${DOMAIN},127.0.0.1`,
      ],
    );
    try {
      const r = await fullReport({ ok: true, config }, { resolvers: [dns.address], timeoutMs: 2000, extraTrust: [root.cert] });
      assert.equal(find(r, "config.valid").status, "ok");
      assert.match(find(r, "listeners.reachable", /STARTTLS/).detail, /^answers and offers STARTTLS \(TLSv1\.[23]\)$/);
      assert.match(find(r, "listeners.reachable", /direct TLS/).detail, /^answers and completes a direct TLS handshake/);
      assert.match(find(r, "storage.health").detail, /chatctl\.sqlite: .*, quick_check ok, schema version \d+$/);
      assert.notEqual(find(r, "storage.disk-space").status, "skip");
      assert.equal(find(r, "dns.srv-ports", /_xmpps-client/).status, "ok");
      // The proxy answers SOCKS5 on loopback, which only this machine can use for a .test domain.
      assert.equal(find(r, "proxy.address").status, "warn");
      // The only failures are the missing pubsub. name, in the file and as served.
      assert.deepEqual([...new Set(r.checks.filter((c) => c.status === "fail").map((c) => c.id))], ["cert.names", "cert.served-names"]);
    } finally {
      await dns.stop();
    }
  });
});
