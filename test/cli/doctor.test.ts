// `chatctl doctor …` end to end: the real binary, its exit codes (0 nothing failed, 1 something
// did, 2 usage error) and its --json document, against dnsmasq and certificates made here.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { sourceFromOptions } from "../../src/cli/commands/doctor/cert.js";
import { loadConfig } from "../../src/config/load.js";
import { dnsPlan } from "../../src/doctor/dns/plan.js";
import { listenerTargets } from "../../src/doctor/listeners.js";
import { certChecks, dnsChecks, systemChecks } from "../../src/doctor/registry.js";
import type { ReportJson } from "../../src/doctor/report.js";
import { UsageError } from "../../src/errors.js";
import { freePort, noDnsmasq, startDnsmasq, type Dnsmasq } from "../integration/doctor/dnsmasq.js";
import { authority, DAY_MS, issue, writePair } from "../unit/doctor/pki.js";
import { DOMAIN, repoRoot, sandbox, type Sandbox } from "./helpers.js";

const NAMES = [DOMAIN, ...["conference", "pubsub", "proxy", "upload"].map((s) => `${s}.${DOMAIN}`)];

function parse(stdout: string): ReportJson {
  return JSON.parse(stdout) as ReportJson;
}

describe("chatctl doctor", () => {
  let box: Sandbox;
  before(async () => {
    box = await sandbox();
  });
  after(async () => {
    await box.remove();
  });

  describe("doctor dns", { skip: noDnsmasq }, () => {
    let dns: Dnsmasq;
    let resolver: string;
    before(async () => {
      dns = await startDnsmasq(
        [DOMAIN, "missing.test", "legacy.test"],
        [
          `--srv-host=_xmpp-client._tcp.${DOMAIN},xmpp.${DOMAIN},5222,0,5`,
          `--srv-host=_xmpps-client._tcp.${DOMAIN},xmpp.${DOMAIN},5223,0,5`,
          `--host-record=xmpp.${DOMAIN},127.0.0.1`,
          `--cname=upload.${DOMAIN},xmpp.${DOMAIN}`,
          `--cname=proxy.${DOMAIN},xmpp.${DOMAIN}`,
          // legacy.test: complete, plus an obsolete _jabber record (a warning only).
          "--srv-host=_xmpp-client._tcp.legacy.test,xmpp.legacy.test,5222,0,5",
          "--srv-host=_xmpps-client._tcp.legacy.test,xmpp.legacy.test,5223,0,5",
          "--srv-host=_jabber._tcp.legacy.test,xmpp.legacy.test,5222,0,5",
          "--host-record=xmpp.legacy.test,127.0.0.1",
          "--host-record=upload.legacy.test,127.0.0.1",
          "--host-record=proxy.legacy.test,127.0.0.1",
        ],
      );
      resolver = `${dns.address.host}:${dns.address.port}`;
    });
    after(async () => {
      await dns?.stop();
    });

    test("a good zone exits 0 and --json prints the documented document", async () => {
      const r = await box.run(["doctor", "dns", "--resolver", resolver, "--json"]);
      assert.equal(r.code, 0, r.stderr + r.stdout);
      const json = parse(r.stdout);
      assert.equal(json.version, 1);
      assert.equal(json.command, "doctor dns");
      assert.equal(json.domain, DOMAIN);
      assert.equal(json.status, "ok");
      assert.equal(json.exitCode, 0);
      assert.deepEqual(json.context, { resolver });
      assert.equal(json.summary.fail + json.summary.warn, 0);
      for (const c of json.checks) assert.deepEqual(Object.keys(c).slice(0, 2), ["id", "title"]);
    });

    test("a missing record exits 1 and the human report shows the zone line that fixes it", async () => {
      const r = await box.run(["doctor", "dns", "missing.test", "--resolver", resolver]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /^FAIL +dns\.srv-records +_xmpp-client\._tcp\.missing\.test/m);
      assert.match(r.stdout, /^ +_xmpp-client\._tcp\.missing\.test\. 3600 IN SRV 0 5 5222 missing\.test\.$/m);
    });

    test("warnings alone exit 0; with --strict they exit 1 (the option works before or after the subcommand)", async () => {
      const relaxed = await box.run(["doctor", "dns", "legacy.test", "--resolver", resolver, "--json"]);
      assert.equal(relaxed.code, 0, relaxed.stderr);
      assert.equal(parse(relaxed.stdout).status, "warn");
      const strict = await box.run(["doctor", "dns", "legacy.test", "--resolver", resolver, "--strict"]);
      assert.equal(strict.code, 1);
      const before = await box.run(["doctor", "--strict", "--json", "dns", "legacy.test", "--resolver", resolver]);
      assert.equal(before.code, 1);
      assert.equal(parse(before.stdout).strict, true);
    });
  });

  test("a resolver that does not answer exits 1 and is named as such", async () => {
    const port = await freePort();
    const r = await box.run(["doctor", "dns", "--resolver", `127.0.0.1:${port}`, "--timeout", "500"]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, new RegExp(`^FAIL +dns\\.resolver +resolver 127\\.0\\.0\\.1:${port} did not answer$`, "m"));
  });

  test("usage errors exit 2 before anything runs: a bad --resolver, --cert without --key, --starttls without --host", async () => {
    const badResolver = await box.run(["doctor", "dns", "--resolver", "dns.example.com"]);
    assert.equal(badResolver.code, 2);
    assert.match(badResolver.stderr, /--resolver/);
    assert.match(badResolver.stderr, /expected an IP address/);
    const certOnly = await box.run(["doctor", "cert", "--cert", "fullchain.pem"]);
    assert.equal(certOnly.code, 2);
    assert.match(certOnly.stderr, /^chatctl: --cert needs --key$/m);
    const starttls = await box.run(["doctor", "cert", "--starttls"]);
    assert.equal(starttls.code, 2);
    assert.match(starttls.stderr, /--starttls only applies with --host/);
    const timeout = await box.run(["doctor", "--timeout", "0"]);
    assert.equal(timeout.code, 2);
    const extra = await box.run(["doctor", "frobnicate"]);
    assert.equal(extra.code, 2);
  });

  test("doctor cert on good files exits 0; on an expired certificate it exits 1 naming the problem", async (t) => {
    const { root, intermediate } = authority();
    const good = writePair(t, [issue({ commonName: DOMAIN, issuer: intermediate, dns: NAMES }), intermediate], undefined, [root]);
    const ok = await box.run(["doctor", "cert", "--cert", good.certPath, "--key", good.keyPath, "--ca-file", good.caPath, "--json"]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.deepEqual(parse(ok.stdout).context, { certificate: good.certPath });

    const now = Date.now();
    const old = issue({ commonName: DOMAIN, issuer: intermediate, dns: NAMES, notBefore: new Date(now - 100 * DAY_MS), notAfter: new Date(now - DAY_MS) });
    const expired = writePair(t, [old, intermediate], undefined, [root]);
    const r = await box.run(["doctor", "cert", "--cert", expired.certPath, "--key", expired.keyPath, "--ca-file", expired.caPath, "--json"]);
    assert.equal(r.code, 1);
    const validity = parse(r.stdout).checks.find((c) => c.id === "cert.validity");
    assert.equal(validity?.status, "fail");
    assert.match(validity!.detail, /^expired on /);
  });

  test("the full doctor reports an invalid configuration as a failed check (exit 1), with the file and line", async () => {
    await box.writeConfig(`domain: ${DOMAIN}\nlisteners:\n  c2s:\n    port: "not a port"\n`);
    try {
      const r = await box.run(["doctor", "--json"]);
      assert.equal(r.code, 1, r.stderr);
      const json = parse(r.stdout);
      assert.deepEqual(json.checks.map((c) => [c.id, c.status]), [["config.valid", "fail"]]);
      assert.match(json.checks[0]!.detail, new RegExp(`^${box.configPath.replace(/[.]/g, "\\.")}:4: listeners\\.c2s\\.port`));
    } finally {
      await box.writeConfig(`domain: ${DOMAIN}\nstorage:\n  backend: sqlite\nlog:\n  level: warn\n`);
    }
  });
});

test("chatctl-doctor(1) explains every check the registry can report", () => {
  const page = readFileSync(join(repoRoot, "man", "chatctl-doctor.1.md"), "utf8");
  const config = loadConfig({ env: {}, flags: { domain: "example.com", dataDir: "/nonexistent", "listeners.c2s.port": 15222 } });
  const listeners = listenerTargets(config);
  const ids = new Set([
    ...dnsChecks(dnsPlan(config, { s2sPort: 5269 })).map((c) => c.id),
    ...certChecks(listeners).map((c) => c.id),
    ...systemChecks(true, listeners).map((c) => c.id),
  ]);
  const missing = [...ids].filter((id) => !page.includes(`\`${id}\``));
  assert.deepEqual(missing, []);
});

test("doctor cert chooses what to examine from its flags: files, a host (STARTTLS, direct TLS or guessed), or the configuration", () => {
  assert.equal(sourceFromOptions({}), undefined);
  assert.deepEqual(sourceFromOptions({ cert: "a.pem", key: "k.pem" }), { kind: "files", certPath: join(process.cwd(), "a.pem"), keyPath: join(process.cwd(), "k.pem"), origin: "command line" });
  const host = { host: "xmpp.example.org", port: 5223 };
  assert.deepEqual(sourceFromOptions({ host }), { kind: "host", target: { ...host, mode: "auto", streamTo: "" } });
  assert.equal((sourceFromOptions({ host, directTls: true }) as { target: { mode: string } }).target.mode, "direct-tls");
  assert.equal((sourceFromOptions({ host, starttls: true }) as { target: { mode: string } }).target.mode, "starttls");
  assert.throws(() => sourceFromOptions({ host, cert: "a.pem", key: "k.pem" }), UsageError);
  assert.throws(() => sourceFromOptions({ host, starttls: true, directTls: true }), /exclude each other/);
  assert.throws(() => sourceFromOptions({ key: "k.pem" }), /--key needs --cert/);
});
