// Where the server's certificate comes from: the configured files (validated up front so a bad
// path or key fails at start with a ConfigError, not at the first handshake), or a self-signed
// certificate generated once per data dir and kept until it no longer fits the configuration.
import assert from "node:assert/strict";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { ConfigError } from "../../../src/errors.js";
import { loadOrCreateCredentials, serviceNames } from "../../../src/tls/credentials.js";
import { generateSelfSigned } from "../../../src/tls/selfsigned.js";
import { recordingLogger, tempDir, testConfig } from "./helpers.js";

const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;
const posix = process.platform !== "win32";

function assertConfigError(fn: () => unknown, key: string, mentions: string): ConfigError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ConfigError, `expected a ConfigError, got ${String(caught)}`);
  assert.equal(caught.key, key);
  assert.ok(caught.message.includes(key), `message names ${key}: ${caught.message}`);
  assert.ok(caught.message.includes(mentions), `message mentions ${mentions}: ${caught.message}`);
  return caught;
}

test("serviceNames lists the enabled services under the domain, in a fixed order", (t) => {
  const config = testConfig(tempDir(t), { domain: "chat.example", services: { upload: true, conference: true } });
  assert.deepEqual(serviceNames(config), ["conference.chat.example", "upload.chat.example"]);
  assert.deepEqual(serviceNames(testConfig(tempDir(t))), []);
});

test("first start generates a self-signed certificate for the domain and enabled services", (t) => {
  const dataDir = tempDir(t);
  const log = recordingLogger();
  const creds = loadOrCreateCredentials(testConfig(dataDir, { services: { conference: true, pubsub: true } }), log);
  assert.equal(creds.selfSigned, true);
  assert.deepEqual(creds.names, ["localhost", "conference.localhost", "pubsub.localhost"]);
  assert.equal(creds.certPath, join(dataDir, "tls", "localhost.crt"));
  assert.equal(creds.keyPath, join(dataDir, "tls", "localhost.key"));
  assert.equal(readFileSync(creds.certPath, "utf8"), creds.cert);
  assert.equal(readFileSync(creds.keyPath, "utf8"), creds.key);
  assert.ok(new X509Certificate(creds.cert).checkPrivateKey(createPrivateKey(creds.key)));
  assert.match(log.text("info"), /no certificate was generated yet/);
  if (posix) {
    // The key is a secret: only the server's user may read it or list the directory.
    assert.equal(statSync(join(dataDir, "tls")).mode & 0o777, 0o700);
    assert.equal(statSync(creds.keyPath).mode & 0o777, 0o600);
  }
});

test("later starts reuse the stored certificate", (t) => {
  const config = testConfig(tempDir(t), { services: { conference: true } });
  const first = loadOrCreateCredentials(config, recordingLogger());
  const log = recordingLogger();
  const second = loadOrCreateCredentials(config, log);
  assert.equal(fingerprint(second.cert), fingerprint(first.cert));
  assert.equal(second.key, first.key);
  assert.equal(log.text("info"), "", "nothing generated, nothing to announce");
});

test("enabling a service regenerates the certificate so it covers the new name", (t) => {
  const dataDir = tempDir(t);
  const first = loadOrCreateCredentials(testConfig(dataDir, { services: { conference: true } }), recordingLogger());
  const log = recordingLogger();
  const second = loadOrCreateCredentials(testConfig(dataDir, { services: { conference: true, upload: true } }), log);
  assert.notEqual(fingerprint(second.cert), fingerprint(first.cert));
  assert.deepEqual(second.names, ["localhost", "conference.localhost", "upload.localhost"]);
  assert.match(log.text("info"), /does not cover upload\.localhost/);
});

test("disabling a service keeps the certificate: covering an extra name does no harm", (t) => {
  const dataDir = tempDir(t);
  const first = loadOrCreateCredentials(testConfig(dataDir, { services: { conference: true, pubsub: true } }), recordingLogger());
  const second = loadOrCreateCredentials(testConfig(dataDir, { services: { conference: true } }), recordingLogger());
  assert.equal(fingerprint(second.cert), fingerprint(first.cert));
});

test("an expired stored certificate is regenerated, and the log says why", (t) => {
  const config = testConfig(tempDir(t));
  const first = loadOrCreateCredentials(config, recordingLogger());
  const expired = generateSelfSigned({ commonName: "localhost", altNames: [], days: 1, now: new Date(Date.now() - 10 * 86_400_000) });
  writeFileSync(first.certPath, expired.cert);
  writeFileSync(first.keyPath, expired.key);
  const log = recordingLogger();
  const second = loadOrCreateCredentials(config, log);
  assert.notEqual(fingerprint(second.cert), fingerprint(expired.cert));
  assert.ok(new Date(new X509Certificate(second.cert).validTo).getTime() > Date.now());
  assert.match(log.text("info"), /expired/);
});

test("a stored key that no longer matches its certificate is regenerated", (t) => {
  const config = testConfig(tempDir(t));
  const first = loadOrCreateCredentials(config, recordingLogger());
  writeFileSync(first.keyPath, generateSelfSigned({ commonName: "localhost", altNames: [] }).key);
  const log = recordingLogger();
  const second = loadOrCreateCredentials(config, log);
  assert.ok(new X509Certificate(second.cert).checkPrivateKey(createPrivateKey(second.key)));
  assert.match(log.text("info"), /does not match/);
});

test("a changed domain gets its own certificate, and the log names the old domain", (t) => {
  const dataDir = tempDir(t);
  loadOrCreateCredentials(testConfig(dataDir), recordingLogger());
  const log = recordingLogger();
  const creds = loadOrCreateCredentials(testConfig(dataDir, { domain: "chat.example" }), log);
  assert.equal(creds.certPath, join(dataDir, "tls", "chat.example.crt"));
  assert.deepEqual(creds.names, ["chat.example"]);
  assert.match(log.text("info"), /domain changed.*localhost/);
});

test("configured certificate files are loaded as a full chain, with the names the leaf covers", (t) => {
  const dir = tempDir(t);
  const leaf = generateSelfSigned({ commonName: "chat.example", altNames: ["conference.chat.example"] });
  const other = generateSelfSigned({ commonName: "intermediate.example", altNames: [] });
  const certPath = join(dir, "fullchain.pem");
  const keyPath = join(dir, "privkey.pem");
  writeFileSync(certPath, leaf.cert + other.cert);
  writeFileSync(keyPath, leaf.key);
  const log = recordingLogger();
  const config = testConfig(join(dir, "data"), { domain: "chat.example", services: { conference: true }, tls: { cert: certPath, key: keyPath } });
  const creds = loadOrCreateCredentials(config, log);
  assert.equal(creds.selfSigned, false);
  assert.equal(creds.cert, leaf.cert + other.cert);
  assert.equal(creds.key, leaf.key);
  assert.equal(creds.certPath, certPath);
  assert.equal(creds.keyPath, keyPath);
  assert.deepEqual(creds.names, ["chat.example", "conference.chat.example"]);
  assert.doesNotMatch(log.text("warn"), /does not cover|expired/);
});

test("a configured key that belongs to another certificate is a ConfigError on tls.key", (t) => {
  const dir = tempDir(t);
  const certPath = join(dir, "cert.pem");
  const keyPath = join(dir, "key.pem");
  writeFileSync(certPath, generateSelfSigned({ commonName: "localhost", altNames: [] }).cert);
  writeFileSync(keyPath, generateSelfSigned({ commonName: "localhost", altNames: [] }).key);
  const config = testConfig(dir, { tls: { cert: certPath, key: keyPath } });
  assertConfigError(() => loadOrCreateCredentials(config, recordingLogger()), "tls.key", keyPath);
});

test("a configured key of another algorithm than the certificate is a ConfigError on tls.key", (t) => {
  const dir = tempDir(t);
  const certPath = join(dir, "cert.pem");
  const keyPath = join(dir, "key.pem");
  writeFileSync(certPath, generateSelfSigned({ commonName: "localhost", altNames: [], keyType: "ec" }).cert);
  writeFileSync(keyPath, generateSelfSigned({ commonName: "localhost", altNames: [], keyType: "rsa" }).key);
  assertConfigError(() => loadOrCreateCredentials(testConfig(dir, { tls: { cert: certPath, key: keyPath } }), recordingLogger()), "tls.key", keyPath);
});

test("a certificate file that is not PEM is a ConfigError on tls.cert naming the file", (t) => {
  const dir = tempDir(t);
  const good = generateSelfSigned({ commonName: "localhost", altNames: [] });
  const certPath = join(dir, "cert.pem");
  const keyPath = join(dir, "key.pem");
  writeFileSync(keyPath, good.key);
  const config = testConfig(dir, { tls: { cert: certPath, key: keyPath } });

  writeFileSync(certPath, "this is not a certificate\n");
  assertConfigError(() => loadOrCreateCredentials(config, recordingLogger()), "tls.cert", certPath);

  // PEM armour around bytes that are not a certificate.
  writeFileSync(certPath, "-----BEGIN CERTIFICATE-----\nZ2FyYmFnZQ==\n-----END CERTIFICATE-----\n");
  assertConfigError(() => loadOrCreateCredentials(config, recordingLogger()), "tls.cert", certPath);

  // The classic mistake: the two settings swapped. The hint says so.
  const swapped = assertConfigError(
    () => loadOrCreateCredentials(testConfig(dir, { tls: { cert: keyPath, key: certPath } }), recordingLogger()),
    "tls.cert",
    keyPath,
  );
  assert.match(swapped.hint ?? "", /swapped/);
});

test("a key file that is not a private key is a ConfigError on tls.key", (t) => {
  const dir = tempDir(t);
  const good = generateSelfSigned({ commonName: "localhost", altNames: [] });
  const certPath = join(dir, "cert.pem");
  const keyPath = join(dir, "key.pem");
  writeFileSync(certPath, good.cert);
  writeFileSync(keyPath, "-----BEGIN PRIVATE KEY-----\nZ2FyYmFnZQ==\n-----END PRIVATE KEY-----\n");
  assertConfigError(() => loadOrCreateCredentials(testConfig(dir, { tls: { cert: certPath, key: keyPath } }), recordingLogger()), "tls.key", keyPath);
});

test("a passphrase-protected key is a ConfigError on tls.key that says so", (t) => {
  const dir = tempDir(t);
  const good = generateSelfSigned({ commonName: "localhost", altNames: [] });
  const certPath = join(dir, "cert.pem");
  const keyPath = join(dir, "key.pem");
  writeFileSync(certPath, good.cert);
  const encrypted = createPrivateKey(good.key).export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "secret" });
  writeFileSync(keyPath, encrypted);
  const err = assertConfigError(
    () => loadOrCreateCredentials(testConfig(dir, { tls: { cert: certPath, key: keyPath } }), recordingLogger()),
    "tls.key",
    keyPath,
  );
  assert.match(err.message, /passphrase/);
});

test("an unreadable certificate path is a ConfigError on tls.cert naming the file", (t) => {
  const dir = tempDir(t);
  const keyPath = join(dir, "key.pem");
  writeFileSync(keyPath, generateSelfSigned({ commonName: "localhost", altNames: [] }).key);
  const certPath = join(dir, "missing.pem");
  assertConfigError(() => loadOrCreateCredentials(testConfig(dir, { tls: { cert: certPath, key: keyPath } }), recordingLogger()), "tls.cert", certPath);
});

test("tls.cert without tls.key is a ConfigError on the missing one", (t) => {
  const dir = tempDir(t);
  assertConfigError(() => loadOrCreateCredentials(testConfig(dir, { tls: { cert: join(dir, "c.pem") } }), recordingLogger()), "tls.key", "tls.cert");
});

test("a configured certificate that is expired or misses the domain loads, with warnings", (t) => {
  const dir = tempDir(t);
  const expired = generateSelfSigned({ commonName: "other.example", altNames: [], days: 1, now: new Date(Date.now() - 10 * 86_400_000) });
  const certPath = join(dir, "cert.pem");
  const keyPath = join(dir, "key.pem");
  writeFileSync(certPath, expired.cert);
  writeFileSync(keyPath, expired.key);
  const log = recordingLogger();
  const creds = loadOrCreateCredentials(testConfig(dir, { domain: "chat.example", tls: { cert: certPath, key: keyPath } }), log);
  assert.equal(creds.selfSigned, false);
  const warnings = log.text("warn");
  assert.match(warnings, /expired/);
  assert.match(warnings, /does not cover chat\.example/);
});
