import { test } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_CONFIG_PATH, describeConfig, loadConfig } from "../../../src/config/load.js";
import { configFile, missingFile, tempDir } from "./helpers.js";

// Every test passes its own env so the machine's CHATCTL_* variables cannot leak in.
const noEnv = {};

test("without a config file the built-in defaults are used, silently", () => {
  const config = loadConfig({ configPath: missingFile(), explicit: false, env: noEnv });
  assert.equal(config.source, undefined);
  assert.equal(config.domain, "localhost");
  assert.deepEqual(config.listeners, {
    c2s: { enabled: true, addresses: ["0.0.0.0", "::"], port: 5222 },
    c2sDirectTls: { enabled: true, addresses: ["0.0.0.0", "::"], port: 5223 },
  });
  assert.deepEqual(config.tls, { minVersion: "TLSv1.2" });
  assert.deepEqual(config.c2s, {
    requireEncryption: true,
    authTimeout: 30,
    keepaliveInterval: 60,
    maxStanzaBytesPreAuth: 10000,
    maxStanzaBytes: 262144,
    maxDepth: 32,
    maxChildren: 25000,
    maxConnections: 10000,
  });
  assert.deepEqual(config.auth, { backend: "internal", scramIterations: 4096, maxFailuresPerAddress: 10, maxFailuresPerAccount: 5, failureWindow: 300 });
  assert.deepEqual(config.storage, { backend: "sqlite" });
  assert.equal(config.log.level, "info");
  assert.equal(config.log.format, process.stderr.isTTY ? "pretty" : "json");
  assert.deepEqual(config.admin, { group: "jabberadmins", jids: [] });
  assert.deepEqual(config.services, { conference: true, pubsub: true, proxy: true, upload: true });
  assert.deepEqual(config.server, { name: "chatctl", revealOs: false });
  assert.ok(config.dataDir.endsWith("chatctl"));
});

test("the default path is /etc/chatctl/chatctl.yml", () => {
  assert.equal(DEFAULT_CONFIG_PATH, "/etc/chatctl/chatctl.yml");
});

test("two loads never share mutable defaults", () => {
  const a = loadConfig({ configPath: missingFile(), env: noEnv, explicit: false });
  a.listeners.c2s.addresses.push("127.0.0.1");
  a.admin.jids.push("x@example.org");
  const b = loadConfig({ configPath: missingFile(), env: noEnv, explicit: false });
  assert.deepEqual(b.listeners.c2s.addresses, ["0.0.0.0", "::"]);
  assert.deepEqual(b.admin.jids, []);
});

test("file values override defaults; keys left out keep them", () => {
  const file = configFile(
    [
      "domain: Chat.Example.ORG",
      "listeners:",
      "  c2s:",
      "    port: 15222",
      "    addresses:",
      "      - 127.0.0.1",
      "      - ::1",
      "  c2sDirectTls:",
      "    enabled: false",
      "c2s:",
      "  authTimeout: 10",
      "  keepaliveInterval: 0",
      "admin:",
      "  jids: [Admin@Example.org]",
      "services:",
      "  upload: false",
      "log:",
      "  level: debug",
      "  format: pretty",
      "",
    ].join("\n"),
  );
  const config = loadConfig({ configPath: file, env: noEnv });
  assert.equal(config.source, file);
  assert.equal(config.domain, "chat.example.org", "domains are case-insensitive and stored lower-case");
  assert.deepEqual(config.listeners.c2s, { enabled: true, addresses: ["127.0.0.1", "::1"], port: 15222 });
  assert.equal(config.listeners.c2sDirectTls.enabled, false);
  assert.equal(config.listeners.c2sDirectTls.port, 5223);
  assert.equal(config.c2s.authTimeout, 10);
  assert.equal(config.c2s.keepaliveInterval, 0);
  assert.equal(config.c2s.maxDepth, 32);
  assert.deepEqual(config.admin.jids, ["admin@example.org"]);
  assert.equal(config.services.upload, false);
  assert.equal(config.services.pubsub, true);
  assert.deepEqual(config.log, { level: "debug", format: "pretty" });
});

test("relative paths in the file are relative to the file's directory; ~ is the home directory", () => {
  const dir = tempDir();
  writeFileSync(join(dir, "fullchain.pem"), "cert");
  writeFileSync(join(dir, "privkey.pem"), "key");
  const file = join(dir, "chatctl.yml");
  writeFileSync(file, "dataDir: state\ntls:\n  cert: fullchain.pem\n  key: ./privkey.pem\nstorage:\n  path: ~/db.sqlite\n");
  const config = loadConfig({ configPath: file, env: { HOME: "/home/alice" } });
  assert.equal(config.dataDir, join(dir, "state"));
  assert.equal(config.tls.cert, join(dir, "fullchain.pem"));
  assert.equal(config.tls.key, join(dir, "privkey.pem"));
  assert.equal(config.storage.path, "/home/alice/db.sqlite");
});

test("an empty file, or sections left empty, mean defaults", () => {
  assert.equal(loadConfig({ configPath: configFile(""), env: noEnv }).domain, "localhost");
  assert.equal(loadConfig({ configPath: configFile("# only comments\n"), env: noEnv }).c2s.authTimeout, 30);
  assert.equal(loadConfig({ configPath: configFile("tls:\nc2s:\n  # authTimeout: 5\n"), env: noEnv }).c2s.authTimeout, 30);
});

test("YAML anchors and aliases are followed", () => {
  const file = configFile("listeners:\n  c2s:\n    addresses: &lo [127.0.0.1]\n  c2sDirectTls:\n    addresses: *lo\n");
  assert.deepEqual(loadConfig({ configPath: file, env: noEnv }).listeners.c2sDirectTls.addresses, ["127.0.0.1"]);
});

test("environment variables override the file", () => {
  const file = configFile("domain: file.example\nc2s:\n  authTimeout: 10\n  requireEncryption: true\n");
  const config = loadConfig({
    configPath: file,
    env: {
      CHATCTL_DOMAIN: "env.example",
      CHATCTL_C2S_AUTH_TIMEOUT: "20",
      CHATCTL_C2S_REQUIRE_ENCRYPTION: "no",
      CHATCTL_LISTENERS_C2S_ADDRESSES: "127.0.0.1, ::1",
      CHATCTL_LISTENERS_C2S_DIRECT_TLS_ENABLED: "0",
      CHATCTL_SERVER_REVEAL_OS: "YES",
      CHATCTL_ADMIN_JIDS: "a@env.example,b@env.example",
      CHATCTL_MAX_STANZA_SIZE: "ignored: not a config variable",
    },
  });
  assert.equal(config.domain, "env.example");
  assert.equal(config.c2s.authTimeout, 20);
  assert.equal(config.c2s.requireEncryption, false);
  assert.deepEqual(config.listeners.c2s.addresses, ["127.0.0.1", "::1"]);
  assert.equal(config.listeners.c2sDirectTls.enabled, false);
  assert.equal(config.server.revealOs, true);
  assert.deepEqual(config.admin.jids, ["a@env.example", "b@env.example"]);
});

test("an empty variable unsets an optional key the file set", () => {
  const dir = tempDir();
  writeFileSync(join(dir, "c.pem"), "c");
  writeFileSync(join(dir, "k.pem"), "k");
  const file = join(dir, "chatctl.yml");
  writeFileSync(file, "tls:\n  cert: c.pem\n  key: k.pem\n");
  const config = loadConfig({ configPath: file, env: { CHATCTL_TLS_CERT: "", CHATCTL_TLS_KEY: "" } });
  assert.deepEqual(config.tls, { minVersion: "TLSv1.2" });
});

test("flags override variables, which override the file, which overrides defaults", () => {
  const file = configFile("listeners:\n  c2s:\n    port: 1000\n  c2sDirectTls:\n    port: 1001\nc2s:\n  maxDepth: 10\n");
  const env = { CHATCTL_LISTENERS_C2S_PORT: "2000", CHATCTL_LISTENERS_C2S_DIRECT_TLS_PORT: "2001" };
  const config = loadConfig({
    configPath: file,
    env,
    flags: { "listeners.c2s.port": 0, "log.level": "warn", dataDir: "/tmp/flag-data", domain: undefined },
  });
  assert.equal(config.listeners.c2s.port, 0, "flag beats env and file");
  assert.equal(config.listeners.c2sDirectTls.port, 2001, "env beats file");
  assert.equal(config.c2s.maxDepth, 10, "file beats default");
  assert.equal(config.c2s.maxChildren, 25000, "default when nobody sets it");
  assert.equal(config.log.level, "warn");
  assert.equal(config.dataDir, "/tmp/flag-data");
  assert.equal(config.domain, "localhost", "an undefined flag is not a value");
});

test("flags given as text (as a CLI parses them) are read like variables", () => {
  const config = loadConfig({
    configPath: missingFile(),
    explicit: false,
    env: noEnv,
    flags: { "listeners.c2s.port": "0", "services.proxy": "false", "admin.jids": "root@example.org" },
  });
  assert.equal(config.listeners.c2s.port, 0);
  assert.equal(config.services.proxy, false);
  assert.deepEqual(config.admin.jids, ["root@example.org"]);
});

test("both listeners may use port 0, since each gets its own ephemeral port", () => {
  const config = loadConfig({ configPath: missingFile(), explicit: false, env: noEnv, flags: { "listeners.c2s.port": 0, "listeners.c2sDirectTls.port": 0 } });
  assert.equal(config.listeners.c2s.port, 0);
  assert.equal(config.listeners.c2sDirectTls.port, 0);
});

test("describeConfig prints YAML that loads back to the same configuration", () => {
  const original = loadConfig({
    configPath: configFile("domain: example.net\nadmin:\n  jids: [a@example.net]\n"),
    env: { CHATCTL_C2S_MAX_DEPTH: "12" },
  });
  const printed = describeConfig(original);
  assert.match(printed, /^# effective configuration: .*chatctl\.yml/);
  assert.match(printed, /\n {2}# cert: \(not set\)\n/);
  const reloaded = loadConfig({ configPath: configFile(printed), env: noEnv });
  assert.deepEqual({ ...reloaded, source: undefined }, { ...original, source: undefined });
});
