// `doctor cert` on files: real certificates minted in the test (a CA, an intermediate and leaves
// with the flaw under test), checked the way the CLI checks --cert/--key. The test root is
// trusted through extraTrust, as --ca-file does.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test, type TestContext } from "node:test";
import { loadConfig } from "../../../src/config/load.js";
import type { CertSource } from "../../../src/doctor/cert/source.js";
import { certReport } from "../../../src/doctor/doctor.js";
import type { Report } from "../../../src/doctor/report.js";
import type { CheckOutcome } from "../../../src/doctor/types.js";
import { generateSelfSigned } from "../../../src/tls/selfsigned.js";
import { authority, DAY_MS, EKU, issue, tempDir, writePair, type CertSpec, type Issued } from "./pki.js";

const DOMAIN = "example.test";
const ALL_NAMES = [DOMAIN, `conference.${DOMAIN}`, `pubsub.${DOMAIN}`, `proxy.${DOMAIN}`, `upload.${DOMAIN}`];
const { root, intermediate } = authority();

const config = (dataDir = "/nonexistent/chatctl-doctor") =>
  loadConfig({
    env: {},
    // No listener is probed in these tests: the files are checked on their own.
    flags: { domain: DOMAIN, dataDir, "listeners.c2s.enabled": false, "listeners.c2sDirectTls.enabled": false },
  });

function leaf(spec: Partial<CertSpec> = {}): Issued {
  return issue({ commonName: DOMAIN, issuer: intermediate, dns: ALL_NAMES, ...spec });
}

async function check(t: TestContext, chain: Issued[], opts: { key?: Issued; now?: Date } = {}): Promise<Report> {
  const files = writePair(t, chain, opts.key ?? chain[0]!);
  const source: CertSource = { kind: "files", certPath: files.certPath, keyPath: files.keyPath, origin: "command line" };
  return await certReport(config(), { source, extraTrust: [root.cert], ...(opts.now ? { now: opts.now } : {}) });
}

function find(r: Report, id: string): CheckOutcome {
  const found = r.checks.find((c) => c.id === id);
  assert.ok(found, `no ${id} in ${r.checks.map((c) => c.id).join(", ")}`);
  return found;
}

test("a full chain to a trusted root, with every name, a matching key and both usages passes every check", async (t) => {
  const r = await check(t, [leaf(), intermediate]);
  assert.deepEqual(r.checks.map((c) => [c.id, c.status]), [
    ["cert.load", "ok"],
    ["cert.names", "ok"],
    ["cert.validity", "ok"],
    ["cert.key-match", "ok"],
    ["cert.key-strength", "ok"],
    ["cert.chain", "ok"],
    ["cert.key-usage", "ok"],
  ]);
  assert.match(find(r, "cert.chain").detail, /complete: CN=example\.test ← CN=Doctor Test Intermediate ← CN=Doctor Test Root \(trusted\)/);
  assert.match(find(r, "cert.key-strength").detail, /EC P-256/);
});

test("a certificate without conference. fails and names exactly that name, with the certbot command for all of them", async (t) => {
  const r = await check(t, [leaf({ dns: ALL_NAMES.filter((n) => !n.startsWith("conference.")) }), intermediate]);
  const names = find(r, "cert.names");
  assert.equal(names.status, "fail");
  assert.match(names.detail, /^does not cover conference\.example\.test \(it has DNS:example\.test, DNS:pubsub/);
  assert.deepEqual(names.fix, [`certbot certonly --cert-name ${DOMAIN} --expand ${ALL_NAMES.map((n) => `-d ${n}`).join(" ")}`]);
});

test("a *.domain wildcard covers every service name; the domain itself still needs its own entry", async (t) => {
  const both = await check(t, [leaf({ dns: [DOMAIN, `*.${DOMAIN}`] }), intermediate]);
  assert.equal(find(both, "cert.names").status, "ok");
  assert.match(find(both, "cert.names").detail, /conference\.example\.test \(DNS:\*\.example\.test\)/);
  const wildcardOnly = await check(t, [leaf({ dns: [`*.${DOMAIN}`] }), intermediate]);
  assert.match(find(wildcardOnly, "cert.names").detail, /^does not cover example\.test \(/);
});

test("an expired certificate fails; one expiring within 14 days warns; within a day fails", async (t) => {
  const now = Date.now();
  const expired = await check(t, [leaf({ notBefore: new Date(now - 100 * DAY_MS), notAfter: new Date(now - DAY_MS) }), intermediate]);
  assert.equal(find(expired, "cert.validity").status, "fail");
  assert.match(find(expired, "cert.validity").detail, /^expired on \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);

  const soon = await check(t, [leaf({ notAfter: new Date(now + 5 * DAY_MS + 3_600_000) }), intermediate]);
  assert.equal(find(soon, "cert.validity").status, "warn");
  assert.match(find(soon, "cert.validity").detail, /^expires in 5 days/);

  const hours = await check(t, [leaf({ notAfter: new Date(now + 12 * 3_600_000) }), intermediate]);
  assert.equal(find(hours, "cert.validity").status, "fail");
  assert.match(find(hours, "cert.validity").detail, /^expires in 1[12] hours/);
});

test("a certificate not valid yet fails and points at the clock", async (t) => {
  const r = await check(t, [leaf({ notBefore: new Date(Date.now() + 2 * DAY_MS), notAfter: new Date(Date.now() + 90 * DAY_MS) }), intermediate]);
  const c = find(r, "cert.validity");
  assert.equal(c.status, "fail");
  assert.match(c.detail, /^not valid before /);
  assert.match(c.hint!, /clock/);
});

test("a key that belongs to another certificate fails, with the commands that show the mismatch", async (t) => {
  const other = leaf();
  const r = await check(t, [leaf(), intermediate], { key: other });
  const c = find(r, "cert.key-match");
  assert.equal(c.status, "fail");
  assert.match(c.detail, /does not belong to the certificate/);
  assert.match(c.fix![0]!, /^openssl x509 -noout -pubkey -in .*fullchain\.pem$/);
  assert.match(c.fix![1]!, /^openssl pkey -pubout -in .*privkey\.pem$/);
});

test("a self-signed certificate warns clearly that federation will fail and clients will ask to trust it", async (t) => {
  const selfSigned = generateSelfSigned({ commonName: DOMAIN, altNames: ALL_NAMES.slice(1) });
  const dir = tempDir(t);
  writeFileSync(join(dir, "cert.pem"), selfSigned.cert);
  writeFileSync(join(dir, "key.pem"), selfSigned.key);
  const r = await certReport(config(), { source: { kind: "files", certPath: join(dir, "cert.pem"), keyPath: join(dir, "key.pem"), origin: "command line" } });
  const c = find(r, "cert.chain");
  assert.equal(c.status, "warn");
  assert.match(c.detail, /^self-signed: federation will fail \(other servers refuse it\) and clients will ask their users to trust it$/);
  // Everything else about it is fine.
  assert.deepEqual(r.checks.filter((x) => x.status !== "ok").map((x) => x.id), ["cert.chain"]);
});

test("a chain without its intermediate fails and names the missing issuer", async (t) => {
  const r = await check(t, [leaf()]);
  const c = find(r, "cert.chain");
  assert.equal(c.status, "fail");
  assert.match(c.detail, /^incomplete chain: .* lacks the issuer "CN=Doctor Test Intermediate" of CN=example\.test$/);
  assert.match(c.hint!, /fullchain\.pem/);
});

test("a chain ending at a root nobody trusts warns (private CA); certificates out of order warn too", async (t) => {
  // The same chain as above, root included, but checked without trusting the test root.
  const withRoot = writePair(t, [leaf(), intermediate, root]);
  const privateCa = await certReport(config(), { source: { kind: "files", certPath: withRoot.certPath, keyPath: withRoot.keyPath, origin: "command line" } });
  assert.equal(find(privateCa, "cert.chain").status, "warn");
  assert.match(find(privateCa, "cert.chain").detail, /ends at a root that is not trusted here/);

  const shuffled = await check(t, [leaf(), root, intermediate]);
  assert.equal(find(shuffled, "cert.chain").status, "warn");
  assert.match(find(shuffled, "cert.chain").detail, /not in leaf-to-root order/);
});

test("without clientAuth the key usage warns (outgoing federation); without serverAuth it fails; no EKU at all is fine", async (t) => {
  const serverOnly = await check(t, [leaf({ eku: [EKU.serverAuth] }), intermediate]);
  assert.equal(find(serverOnly, "cert.key-usage").status, "warn");
  assert.match(find(serverOnly, "cert.key-usage").detail, /no clientAuth/);
  const clientOnly = await check(t, [leaf({ eku: [EKU.clientAuth] }), intermediate]);
  assert.equal(find(clientOnly, "cert.key-usage").status, "fail");
  const none = await check(t, [leaf({ eku: null }), intermediate]);
  assert.equal(find(none, "cert.key-usage").status, "ok");
});

test("an RSA key under 2048 bits fails; RSA 2048 passes", async (t) => {
  const weak = await check(t, [leaf({ key: { type: "rsa", bits: 1024 } }), intermediate]);
  assert.equal(find(weak, "cert.key-strength").status, "fail");
  assert.match(find(weak, "cert.key-strength").detail, /^RSA 1024: RSA keys under 2048 bits/);
  const good = await check(t, [leaf({ key: { type: "rsa", bits: 2048 } }), intermediate]);
  assert.equal(find(good, "cert.key-strength").status, "ok");
});

test("an unreadable certificate fails cert.load with the reason, and the checks that need it are left out", async (t) => {
  const files = writePair(t, [leaf()]);
  const r = await certReport(config(), { source: { kind: "files", certPath: join(files.dir, "missing.pem"), keyPath: files.keyPath, origin: "command line" } });
  assert.deepEqual(r.checks.map((c) => [c.id, c.status]), [["cert.load", "fail"]]);
  assert.match(r.checks[0]!.detail, /cannot read the certificate .*missing\.pem: no such file/);

  writeFileSync(files.certPath, leaf().keyPem);
  const swapped = await certReport(config(), { source: { kind: "files", certPath: files.certPath, keyPath: files.keyPath, origin: "command line" } });
  assert.match(swapped.checks[0]!.hint!, /swapped/);
});

test("with nothing configured the certificate chatctl generated in its data directory is the one checked", async (t) => {
  const dir = tempDir(t);
  const generated = generateSelfSigned({ commonName: DOMAIN, altNames: ALL_NAMES.slice(1) });
  mkdirSync(join(dir, "tls"));
  writeFileSync(join(dir, "tls", `${DOMAIN}.crt`), generated.cert);
  writeFileSync(join(dir, "tls", `${DOMAIN}.key`), generated.key);
  const r = await certReport(config(dir));
  assert.match(find(r, "cert.load").detail, /example\.test\.crt \(generated by chatctl\)/);
  assert.equal(find(r, "cert.chain").status, "warn");

  const empty = await certReport(config(join(dir, "elsewhere")));
  assert.deepEqual(empty.checks.map((c) => [c.id, c.status]), [["cert.load", "warn"]]);
  assert.match(empty.checks[0]!.detail, /no certificate configured .* chatctl serve will generate a self-signed certificate/);
});
