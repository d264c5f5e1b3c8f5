// Every kind of configuration mistake must say where (file and line, or the variable), which
// key, what was expected and what to do (DESIGN.md "CLI conventions").
import { test } from "node:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../../../src/config/load.js";
import { configFile, expectConfigError, missingFile, tempDir } from "./helpers.js";

const fromFile = (text: string) => {
  const file = configFile(text);
  return { file, load: () => loadConfig({ configPath: file, env: {} }) };
};

test("an unknown key is reported at its line with the nearest valid key", () => {
  const { file, load } = fromFile("domain: example.org\nlisteners:\n  c2s:\n    prot: 5222\n");
  expectConfigError(load, {
    file,
    key: "listeners.c2s.prot",
    line: 4,
    expected: 'unknown key "listeners.c2s.prot" (did you mean "listeners.c2s.port"?)',
    fix: "rename it to listeners.c2s.port",
  });
});

test("snake_case and misplaced keys are pointed at their real name", () => {
  const snake = fromFile("data_dir: /srv/chat\n");
  expectConfigError(snake.load, { file: snake.file, key: "data_dir", line: 1, expected: 'did you mean "dataDir"?', fix: "rename it to dataDir" });
  const misplaced = fromFile("domain: example.org\nauthTimeout: 10\n");
  expectConfigError(misplaced.load, { file: misplaced.file, key: "authTimeout", line: 2, expected: 'did you mean "c2s.authTimeout"?', fix: "rename it to c2s.authTimeout" });
});

test("an unknown key with no plausible match suggests nothing", () => {
  const { file, load } = fromFile("c2s:\n  colour: blue\n");
  expectConfigError(load, { file, key: "c2s.colour", line: 2, expected: /^unknown key "c2s\.colour"$/, fix: "chatctl.example.yml lists every valid key" });
});

test("a value of the wrong type names the type expected and the value found", () => {
  const boolean = fromFile("c2s:\n  requireEncryption: \"maybe\"\n");
  expectConfigError(boolean.load, {
    file: boolean.file,
    key: "c2s.requireEncryption",
    line: 2,
    expected: 'expected true or false, got "maybe"',
    fix: "set c2s.requireEncryption to true or false",
  });
  const list = fromFile("admin:\n  jids: admin@example.org\n");
  expectConfigError(list.load, { file: list.file, key: "admin.jids", line: 2, expected: 'expected a list of bare JIDs (user@domain), got "admin@example.org"', fix: 'set admin.jids to bare JIDs such as ["admin@example.org"]' });
});

test("a section written as a single value is reported at that line", () => {
  const { file, load } = fromFile("domain: example.org\ntls: on\n");
  expectConfigError(load, { file, key: "tls", line: 2, expected: "expected a section with the keys cert, key, minVersion", fix: 'indent the keys of tls under "tls:"' });
});

test("a port outside 0–65535 or not a number is refused with an example port", () => {
  const text = fromFile("listeners:\n  c2s:\n    port: abc\n");
  expectConfigError(text.load, {
    file: text.file,
    key: "listeners.c2s.port",
    line: 3,
    expected: 'expected an integer port 0–65535, got "abc"',
    fix: "set listeners.c2s.port to a port number such as 5222",
  });
  const big = fromFile("listeners:\n  c2sDirectTls:\n    port: 70000\n");
  expectConfigError(big.load, {
    file: big.file,
    key: "listeners.c2sDirectTls.port",
    line: 3,
    expected: "expected an integer port 0–65535, got 70000",
    fix: "such as 5223",
  });
});

test("negative and fractional numbers are refused where counts are expected", () => {
  const negative = fromFile("c2s:\n  authTimeout: -5\n");
  expectConfigError(negative.load, { file: negative.file, key: "c2s.authTimeout", line: 2, expected: "expected a positive integer, got -5", fix: "set c2s.authTimeout to a positive integer such as 30" });
  const fraction = fromFile("c2s:\n  keepaliveInterval: 1.5\n");
  expectConfigError(fraction.load, { file: fraction.file, key: "c2s.keepaliveInterval", line: 2, expected: "expected a non-negative integer, got 1.5", fix: "such as 60" });
  const weak = fromFile("auth:\n  scramIterations: 1000\n");
  expectConfigError(weak.load, { file: weak.file, key: "auth.scramIterations", line: 2, expected: "expected an integer ≥ 4096, got 1000", fix: "such as 4096" });
});

test("a value outside an enumeration lists the valid ones and suggests the closest", () => {
  const { file, load } = fromFile("tls:\n  minVersion: TLS1.2\n");
  expectConfigError(load, { file, key: "tls.minVersion", line: 2, expected: 'expected one of "TLSv1.2", "TLSv1.3", got "TLS1.2"', fix: "set tls.minVersion to TLSv1.2" });
  const far = fromFile("log:\n  level: everything\n");
  expectConfigError(far.load, { file: far.file, key: "log.level", line: 2, expected: 'got "everything"', fix: "set log.level to one of: trace, debug, info, warn, error, fatal, silent" });
});

test("an invalid domain is refused", () => {
  const { file, load } = fromFile("domain: \"chat example.org\"\n");
  expectConfigError(load, { file, key: "domain", line: 1, expected: 'expected a domain name such as chat.example.org, got "chat example.org"', fix: "set domain to the domain in your users' addresses" });
});

test("a bad list item is reported at the item's own line", () => {
  const { file, load } = fromFile("listeners:\n  c2s:\n    addresses:\n      - 127.0.0.1\n      - localhost\n");
  expectConfigError(load, { file, key: "listeners.c2s.addresses", line: 5, expected: 'got "localhost" as item 2', fix: 'set listeners.c2s.addresses to IP addresses such as ["0.0.0.0", "::"]' });
});

test("a YAML syntax error carries the line where parsing failed", () => {
  const { file, load } = fromFile("domain: example.org\nlisteners:\n  c2s:\n    port: [5222\n  c2sDirectTls:\n");
  expectConfigError(load, { file, key: "(syntax)", line: 5, expected: /^expected valid YAML: .*\]/, fix: "fix the YAML at that line" });
});

test("a key written twice is a syntax error at the second occurrence", () => {
  const { file, load } = fromFile("domain: a.example\nserver:\n  name: x\ndomain: b.example\n");
  expectConfigError(load, { file, key: "(syntax)", line: 4, expected: "unique", fix: "fix the YAML at that line" });
});

test("a certificate file that does not exist is named with its resolved path", () => {
  const dir = tempDir();
  writeFileSync(join(dir, "privkey.pem"), "key");
  const file = join(dir, "chatctl.yml");
  writeFileSync(file, "tls:\n  cert: missing.pem\n  key: privkey.pem\n");
  const missing = join(dir, "missing.pem");
  expectConfigError(() => loadConfig({ configPath: file, env: {} }), {
    file,
    key: "tls.cert",
    line: 2,
    expected: `expected the path of a readable file, but "${missing}" does not exist`,
    fix: `check that ${missing} exists and is readable`,
  });
});

test("a directory given as the certificate is refused", () => {
  const dir = tempDir();
  const file = join(dir, "chatctl.yml");
  writeFileSync(file, `tls:\n  cert: ${dir}\n`);
  expectConfigError(() => loadConfig({ configPath: file, env: {} }), { file, key: "tls.cert", line: 2, expected: "is not a regular file", fix: "correct tls.cert" });
});

test("a certificate without a key, or a key without a certificate, is refused", () => {
  const dir = tempDir();
  writeFileSync(join(dir, "pem"), "x");
  const certOnly = join(dir, "cert-only.yml");
  writeFileSync(certOnly, "domain: example.org\ntls:\n  cert: pem\n");
  expectConfigError(() => loadConfig({ configPath: certOnly, env: {} }), {
    file: certOnly,
    key: "tls.key",
    line: 3,
    expected: "expected tls.key to be set because tls.cert is set",
    fix: "set tls.key to the private key",
  });
  const keyOnly = join(dir, "key-only.yml");
  writeFileSync(keyOnly, "tls:\n  key: pem\n");
  expectConfigError(() => loadConfig({ configPath: keyOnly, env: {} }), {
    file: keyOnly,
    key: "tls.cert",
    line: 2,
    expected: "expected tls.cert to be set because tls.key is set",
    fix: "set tls.cert to the certificate",
  });
});

test("a pre-authentication stanza limit above the general limit is refused", () => {
  const { file, load } = fromFile("c2s:\n  maxStanzaBytesPreAuth: 500000\n");
  expectConfigError(load, { file, key: "c2s.maxStanzaBytesPreAuth", line: 2, expected: "to be at most c2s.maxStanzaBytes (262144)", fix: "raise c2s.maxStanzaBytes or lower c2s.maxStanzaBytesPreAuth" });
});

test("two enabled listeners on the same port are refused", () => {
  const { file, load } = fromFile("listeners:\n  c2sDirectTls:\n    port: 5222\n");
  expectConfigError(load, { file, key: "listeners.c2sDirectTls.port", line: 3, expected: "both use 5222", fix: "different ports" });
});

test("a bad environment variable is named instead of a file", () => {
  expectConfigError(() => loadConfig({ configPath: missingFile(), explicit: false, env: { CHATCTL_LISTENERS_C2S_PORT: "abc" } }), {
    file: "environment variable CHATCTL_LISTENERS_C2S_PORT",
    key: "listeners.c2s.port",
    line: undefined,
    expected: 'expected an integer port 0–65535, got "abc"',
    fix: "set CHATCTL_LISTENERS_C2S_PORT to a port number such as 5222",
  });
  expectConfigError(() => loadConfig({ configPath: missingFile(), explicit: false, env: { CHATCTL_C2S_REQUIRE_ENCRYPTION: "maybe" } }), {
    file: "environment variable CHATCTL_C2S_REQUIRE_ENCRYPTION",
    key: "c2s.requireEncryption",
    line: undefined,
    expected: 'got "maybe"',
    fix: "set CHATCTL_C2S_REQUIRE_ENCRYPTION to true or false",
  });
  expectConfigError(() => loadConfig({ configPath: missingFile(), explicit: false, env: { CHATCTL_ADMIN_JIDS: "a@example.org,not a jid/x" } }), {
    file: "environment variable CHATCTL_ADMIN_JIDS",
    key: "admin.jids",
    line: undefined,
    expected: "as item 2",
    fix: "set CHATCTL_ADMIN_JIDS to bare JIDs such as admin@example.org",
  });
});

test("a cross-key error caused by a variable names the variable", () => {
  const dir = tempDir();
  writeFileSync(join(dir, "pem"), "x");
  expectConfigError(() => loadConfig({ configPath: missingFile(), explicit: false, env: { CHATCTL_TLS_CERT: join(dir, "pem") } }), {
    file: "environment variable CHATCTL_TLS_CERT",
    key: "tls.key",
    line: undefined,
    expected: "expected tls.key to be set",
    fix: "set tls.key",
  });
});

test("a bad flag names the command line, and an unknown flag key gets a suggestion", () => {
  const base = { configPath: missingFile(), explicit: false, env: {} };
  expectConfigError(() => loadConfig({ ...base, flags: { "log.level": "loud" } }), {
    file: "command line",
    key: "log.level",
    line: undefined,
    expected: 'got "loud"',
    fix: "set the log.level option to one of:",
  });
  expectConfigError(() => loadConfig({ ...base, flags: { "listener.c2s.port": 1 } }), {
    file: "command line",
    key: "listener.c2s.port",
    line: undefined,
    expected: 'did you mean "listeners.c2s.port"?',
    fix: "rename it to listeners.c2s.port",
  });
});

test("an explicitly given config file that does not exist is an error naming it", () => {
  const file = missingFile();
  expectConfigError(() => loadConfig({ configPath: file, env: {} }), {
    file,
    key: "(file)",
    line: undefined,
    expected: "but it does not exist",
    fix: "check the path and permissions",
  });
  expectConfigError(() => loadConfig({ configPath: file, explicit: true, env: {} }), { file, key: "(file)", line: undefined, expected: "does not exist", fix: "check the path" });
});

test("a config path that is a directory is an error naming it", () => {
  const dir = tempDir();
  expectConfigError(() => loadConfig({ configPath: dir, env: {} }), { file: dir, key: "(file)", line: undefined, expected: "is a directory", fix: "check the path" });
});

test("a document that is not a mapping is refused at its line", () => {
  const { file, load } = fromFile("# comment\n- domain: example.org\n");
  expectConfigError(load, { file, key: "(document)", line: 2, expected: "expected a mapping of keys", fix: "top-level keys" });
});
