// How the CLI reports configuration: errors name the file and key and exit 2 (DESIGN.md), and
// serve --print-config shows the merged result without starting anything.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { DOMAIN, sandbox, type Sandbox } from "./helpers.js";

describe("configuration on the command line", () => {
  let box: Sandbox;
  before(async () => {
    box = await sandbox();
  });
  after(async () => {
    await box.remove();
  });

  test("serve --print-config --json prints the effective configuration, including the domain", async () => {
    const r = await box.run(["serve", "--print-config", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const config = JSON.parse(r.stdout) as { domain: string; dataDir: string; storage: { backend: string }; source: string };
    assert.equal(config.domain, DOMAIN);
    assert.equal(config.dataDir, box.dataDir);
    assert.equal(config.storage.backend, "sqlite");
    assert.equal(config.source, box.configPath);
  });

  test("global and serve flags override the file in the effective configuration", async () => {
    const r = await box.run(["--domain", "flag.test", "--log-level", "debug", "serve", "--port", "15222", "--tls-port", "15223", "--print-config", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const config = JSON.parse(r.stdout) as { domain: string; log: { level: string }; listeners: Record<string, { port: number }> };
    assert.equal(config.domain, "flag.test");
    assert.equal(config.log.level, "debug");
    assert.equal(config.listeners.c2s?.port, 15222);
    assert.equal(config.listeners.c2sDirectTls?.port, 15223);
  });

  test("human --print-config prints YAML naming the source file", async () => {
    const r = await box.run(["serve", "--print-config"]);
    assert.equal(r.code, 0, r.stderr);
    const firstLine = r.stdout.split("\n")[0] ?? "";
    assert.ok(firstLine.startsWith("#") && firstLine.includes(box.configPath), firstLine);
    assert.ok(r.stdout.split("\n").includes(`domain: ${DOMAIN}`), r.stdout);
  });

  test("a config file with an unknown key exits 2 and stderr names the file and the key", async () => {
    await box.writeConfig(`domain: ${DOMAIN}\nstorage:\n  backend: sqlite\nfrobnicate: true\n`);
    try {
      for (const args of [["user", "list"], ["serve", "--print-config"]]) {
        const r = await box.run(args);
        assert.equal(r.code, 2, args.join(" "));
        assert.ok(r.stderr.startsWith(`chatctl: ${box.configPath}`), r.stderr);
        assert.match(r.stderr, /frobnicate/);
        assert.equal(r.stdout, "");
      }
    } finally {
      await box.writeConfig(`domain: ${DOMAIN}\nstorage:\n  backend: sqlite\n`);
    }
  });

  test("--config naming a file that does not exist exits 2 and names it", async () => {
    const missing = join(box.dir, "missing.yml");
    const r = await box.run(["--config", missing, "serve", "--print-config"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`chatctl: ${missing.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  });

  test("serve --json without --print-config is a usage error", async () => {
    const r = await box.run(["serve", "--json"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--json only applies to --print-config/);
  });
});
