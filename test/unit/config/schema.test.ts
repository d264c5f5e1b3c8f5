import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { configReference, exampleConfigYaml, loadConfig } from "../../../src/config/load.js";
import { CONFIG_KEYS, defaultDataDir, defaultValue, envName, keySpec, type DefaultContext } from "../../../src/config/schema.js";
import { suggestKey } from "../../../src/config/file.js";
import { missingFile } from "./helpers.js";

const EXAMPLE = fileURLToPath(new URL("../../../../chatctl.example.yml", import.meta.url));
const REGENERATE = `node -e 'import("./dist/src/config/reference.js").then(m => process.stdout.write(m.exampleConfigYaml()))' > chatctl.example.yml`;

/** Every leaf path of a nested object. */
function leafPaths(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}

test("variable names are CHATCTL_ plus the path in UPPER_SNAKE", () => {
  assert.equal(envName("dataDir"), "CHATCTL_DATA_DIR");
  assert.equal(envName("listeners.c2s.port"), "CHATCTL_LISTENERS_C2S_PORT");
  assert.equal(envName("listeners.c2sDirectTls.port"), "CHATCTL_LISTENERS_C2S_DIRECT_TLS_PORT");
  assert.equal(envName("c2s.authTimeout"), "CHATCTL_C2S_AUTH_TIMEOUT");
  assert.equal(envName("c2s.maxStanzaBytesPreAuth"), "CHATCTL_C2S_MAX_STANZA_BYTES_PRE_AUTH");
  assert.equal(envName("admin.group"), "CHATCTL_ADMIN_GROUP");
});

test("keys and variable names are unique", () => {
  const paths = CONFIG_KEYS.map((s) => s.path);
  assert.equal(new Set(paths).size, paths.length);
  assert.equal(new Set(paths.map(envName)).size, paths.length);
});

test("the schema describes exactly the keys a loaded Config holds", () => {
  // With every optional key set, the loaded object's leaves are the schema's keys (source aside).
  const here = fileURLToPath(import.meta.url);
  const config = loadConfig({
    configPath: missingFile(),
    explicit: false,
    env: {},
    flags: { "tls.cert": here, "tls.key": here, "storage.path": "/tmp/x.sqlite", "upload.publicUrl": "https://upload.example.org", "proxy.advertisedHost": "files.example.org" },
  });
  const { source: _source, ...rest } = config;
  assert.deepEqual(leafPaths(rest).sort(), CONFIG_KEYS.map((s) => s.path).sort());
});

test("every default passes its own key's validation", () => {
  // loadConfig validates values only where they enter; a default that broke its own rule would slip through.
  const config = loadConfig({ configPath: missingFile(), explicit: false, env: {} });
  const flags = Object.fromEntries(CONFIG_KEYS.map((s) => [s.path, leafValue(config, s.path)]));
  assert.deepEqual(loadConfig({ configPath: missingFile(), explicit: false, env: {}, flags }), config);
});

function leafValue(config: object, path: string): unknown {
  return path.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], config);
}

test("the data directory default follows XDG for users and /var/lib for root", () => {
  const ctx = (over: Partial<DefaultContext>): DefaultContext => ({ env: {}, isRoot: false, home: "/home/alice", stderrIsTTY: false, ...over });
  assert.equal(defaultDataDir(ctx({ env: { XDG_DATA_HOME: "/xdg" } })), "/xdg/chatctl");
  assert.equal(defaultDataDir(ctx({})), "/home/alice/.local/share/chatctl");
  assert.equal(defaultDataDir(ctx({ env: { XDG_DATA_HOME: "relative/dir" } })), "/home/alice/.local/share/chatctl", "a relative XDG_DATA_HOME is ignored");
  assert.equal(defaultDataDir(ctx({ isRoot: true, env: { XDG_DATA_HOME: "/xdg" } })), "/var/lib/chatctl");
});

test("the log format default is pretty on a terminal and json otherwise", () => {
  const spec = keySpec("log.format")!;
  const ctx = { env: {}, isRoot: false, home: "/h" };
  assert.equal(defaultValue(spec, { ...ctx, stderrIsTTY: true }), "pretty");
  assert.equal(defaultValue(spec, { ...ctx, stderrIsTTY: false }), "json");
});

test("suggestions find typos among siblings, in section names and across sections", () => {
  assert.equal(suggestKey("listeners.c2s.prot"), "listeners.c2s.port");
  assert.equal(suggestKey("listener"), "listeners");
  assert.equal(suggestKey("listener.c2s.port"), "listeners.c2s.port");
  assert.equal(suggestKey("c2s.max_depth"), "c2s.maxDepth");
  assert.equal(suggestKey("scramIterations"), "auth.scramIterations");
  assert.equal(suggestKey("c2s.colour"), undefined);
});

test("the reference lists every key with its variable, type, default and doc", () => {
  const rows = configReference();
  assert.deepEqual(
    rows.map((r) => r.key),
    CONFIG_KEYS.map((s) => s.path),
  );
  for (const row of rows) {
    assert.equal(row.env, envName(row.key));
    assert.ok(row.type && row.default && row.doc, `incomplete row for ${row.key}`);
  }
  const port = rows.find((r) => r.key === "listeners.c2s.port")!;
  assert.deepEqual(port, { key: "listeners.c2s.port", env: "CHATCTL_LISTENERS_C2S_PORT", type: "port (0–65535)", default: "5222", doc: port.doc });
  assert.equal(rows.find((r) => r.key === "listeners.c2s.addresses")!.default, '["0.0.0.0", "::"]');
});

test("chatctl.example.yml is what the schema generates", () => {
  assert.equal(readFileSync(EXAMPLE, "utf8"), exampleConfigYaml(), `chatctl.example.yml is out of date; after building, run: ${REGENERATE}`);
});

test("chatctl.example.yml mentions every key, set or commented out", () => {
  // Uncommenting the "# key: value" lines must yield a document holding every schema key.
  const uncommented = readFileSync(EXAMPLE, "utf8").replace(/^(\s*)# ([a-z][A-Za-z0-9]*: )/gm, "$1$2");
  assert.deepEqual(leafPaths(parse(uncommented)).sort(), CONFIG_KEYS.map((s) => s.path).sort());
});

test("chatctl.example.yml loads without error and sets only default values", () => {
  const fromExample = loadConfig({ configPath: EXAMPLE, env: {} });
  const builtIn = loadConfig({ configPath: missingFile(), explicit: false, env: {} });
  assert.equal(fromExample.source, EXAMPLE);
  assert.deepEqual({ ...fromExample, source: undefined }, { ...builtIn, source: undefined });
});
