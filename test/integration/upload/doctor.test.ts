// The upload.url doctor check on real certificate files and a real DNS server (dnsmasq on a
// loopback port): the upload URL's host must resolve and be covered by the certificate.
import assert from "node:assert/strict";
import { after, before, describe, test, type TestContext } from "node:test";
import { loadConfig } from "../../../src/config/load.js";
import type { Config } from "../../../src/config/types.js";
import { createUploadUrlCheck } from "../../../src/doctor/checks/upload-url.js";
import { ProbeCache } from "../../../src/doctor/probe.js";
import { fullReport } from "../../../src/doctor/doctor.js";
import type { CheckResult } from "../../../src/doctor/types.js";
import { Resolver } from "../../../src/dns/resolver.js";
import { authority, issue, tempDir, writePair } from "../../unit/doctor/pki.js";
import { noDnsmasq, startDnsmasq, type Dnsmasq } from "../doctor/dnsmasq.js";

const DOMAIN = "example.test";

describe("doctor: upload.url", { skip: noDnsmasq }, () => {
  let dns: Dnsmasq;
  const { intermediate } = authority();

  before(async () => {
    dns = await startDnsmasq([DOMAIN], [`--host-record=files.${DOMAIN},192.0.2.7`, `--host-record=upload.${DOMAIN},192.0.2.8`]);
  });
  after(async () => {
    await dns?.stop();
  });

  function configWith(t: TestContext, flags: Record<string, unknown>): Config {
    return loadConfig({ env: {}, flags: { domain: DOMAIN, dataDir: tempDir(t), ...flags } });
  }

  function certFor(t: TestContext, names: string[]): { "tls.cert": string; "tls.key": string } {
    const leaf = issue({ commonName: names[0]!, dns: names, issuer: intermediate });
    const pair = writePair(t, [leaf, intermediate]);
    return { "tls.cert": pair.certPath, "tls.key": pair.keyPath };
  }

  async function check(config: Config): Promise<CheckResult | undefined> {
    const c = createUploadUrlCheck({ resolver: (timeoutMs) => new Resolver({ servers: [dns.address], timeoutMs, attempts: 1 }) });
    return c.run({ config: { ok: true, config }, probes: new ProbeCache(1000) });
  }

  test("the default host is fine when the certificate chatctl will generate covers it", async (t) => {
    const r = await check(configWith(t, {}));
    assert.equal(r?.status, "ok");
    assert.match(r!.detail, /^https:\/\/upload\.example\.test:5281\/: upload\.example\.test .*; the certificate chatctl generates will cover upload\.example\.test/);
  });

  test("a public URL on another host that resolves and is in the certificate passes, naming the address", async (t) => {
    const r = await check(configWith(t, { "upload.publicUrl": `https://files.${DOMAIN}`, ...certFor(t, [DOMAIN, `upload.${DOMAIN}`, `files.${DOMAIN}`]) }));
    assert.equal(r?.status, "ok", r?.detail);
    assert.match(r!.detail, /files\.example\.test → 192\.0\.2\.7; covered by the certificate \(DNS:files\.example\.test\)$/);
  });

  test("a host the certificate does not cover fails, with the certbot command that would", async (t) => {
    const r = await check(configWith(t, { "upload.publicUrl": `https://files.${DOMAIN}:8443/share`, ...certFor(t, [DOMAIN, `upload.${DOMAIN}`]) }));
    assert.equal(r?.status, "fail");
    assert.match(r!.detail, /does not cover files\.example\.test \(it has DNS:example\.test, DNS:upload\.example\.test\)/);
    assert.ok(r!.fix?.[0]?.includes(`-d files.${DOMAIN}`));
  });

  test("a host that does not resolve fails before the certificate is looked at", async (t) => {
    const r = await check(configWith(t, { "upload.publicUrl": `https://nowhere.${DOMAIN}`, ...certFor(t, [`nowhere.${DOMAIN}`]) }));
    assert.equal(r?.status, "fail");
    assert.match(r!.detail, /^nowhere\.example\.test, the host of upload\.publicUrl, does not resolve \(no such name\)$/);
  });

  test("a public URL the generated certificate will not cover fails", async (t) => {
    const r = await check(configWith(t, { "upload.publicUrl": `https://files.${DOMAIN}` }));
    assert.equal(r?.status, "fail");
    assert.match(r!.detail, /^the certificate chatctl generates covers example\.test, .*upload\.example\.test, not files\.example\.test$/);
  });

  test("a public URL that is not https fails with the key to fix", async (t) => {
    const r = await check(configWith(t, { "upload.publicUrl": `http://files.${DOMAIN}` }));
    assert.equal(r?.status, "fail");
    assert.match(r!.detail, /upload\.publicUrl: expected an https:\/\/ URL/);
  });

  test("without services.upload the check is left out of the full report", async (t) => {
    const config = configWith(t, { "services.upload": false, "listeners.c2s.enabled": false, "listeners.c2sDirectTls.enabled": false });
    const r = await fullReport({ ok: true, config }, { resolvers: [dns.address], timeoutMs: 500 });
    assert.equal(r.checks.some((c) => c.id === "upload.url"), false);
    const enabled = configWith(t, { "listeners.c2s.enabled": false, "listeners.c2sDirectTls.enabled": false });
    const withUpload = await fullReport({ ok: true, config: enabled }, { resolvers: [dns.address], timeoutMs: 500 });
    assert.equal(withUpload.checks.find((c) => c.id === "upload.url")?.status, "ok");
  });
});
