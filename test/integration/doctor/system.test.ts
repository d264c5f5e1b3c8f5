// The host checks of the full doctor: configuration, listeners, database, disk — on real files
// and sockets in a temp directory.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { loadConfig } from "../../../src/config/load.js";
import { fullReport } from "../../../src/doctor/doctor.js";
import type { Report } from "../../../src/doctor/report.js";
import type { CheckOutcome } from "../../../src/doctor/types.js";
import { ConfigError } from "../../../src/errors.js";
import { openStorage } from "../../../src/storage/open.js";
import { tempDir } from "../../unit/doctor/pki.js";
import { freePort } from "./dnsmasq.js";

function find(r: Report, id: string): CheckOutcome {
  const found = r.checks.find((c) => c.id === id);
  assert.ok(found, `no ${id} in: ${r.checks.map((c) => c.id).join(", ")}`);
  return found;
}

/** A configuration with listeners on a port nobody listens on, and DNS pointed at a dead resolver. */
async function setup(dataDir: string, flags: Record<string, unknown> = {}) {
  const dead = await freePort();
  const config = loadConfig({
    env: {},
    flags: {
      domain: "example.test",
      dataDir,
      "listeners.c2s.addresses": ["127.0.0.1"],
      "listeners.c2s.port": dead,
      "listeners.c2sDirectTls.enabled": false,
      ...flags,
    },
  });
  return { config, dead, opts: { resolvers: [{ host: "127.0.0.1", port: dead }], timeoutMs: 500 } };
}

test("an invalid configuration is reported as the one failure, with the file, key and fix, and nothing else runs", async () => {
  const error = new ConfigError("/etc/chatctl/chatctl.yml", "listeners.c2s.port", "expected a port number", "set listeners.c2s.port to 5222", 7);
  const r = await fullReport({ ok: false, error });
  assert.deepEqual(r.checks.map((c) => [c.id, c.status]), [["config.valid", "fail"]]);
  assert.equal(r.checks[0]!.detail, "/etc/chatctl/chatctl.yml:7: listeners.c2s.port: expected a port number");
  assert.match(r.checks[0]!.hint!, /^set listeners\.c2s\.port to 5222; then run chatctl doctor again/);
});

test("a listener nobody listens on fails with the address, and the database not created yet is a warning", async (t) => {
  const dir = tempDir(t);
  const { config, dead, opts } = await setup(join(dir, "data"));
  const r = await fullReport({ ok: true, config }, opts);
  const listener = find(r, "listeners.reachable");
  assert.equal(listener.status, "fail");
  assert.match(listener.detail, new RegExp(`^nothing listens on 127\\.0\\.0\\.1:${dead} \\(connection refused\\): the server is not running`));
  assert.equal(find(r, "storage.health").status, "warn");
  // The data directory does not exist yet: the space is measured where it will be created.
  assert.match(find(r, "storage.disk-space").detail, new RegExp(`free of .* on ${dir.replace(/[.]/g, "\\.")} \\(.*data does not exist yet\\)$`));
});

test("a healthy database passes quick_check and reports its size against the archive cap and its schema version", async (t) => {
  const dir = tempDir(t);
  const { config, opts } = await setup(dir);
  openStorage(config).close();
  const c = find(await fullReport({ ok: true, config }, opts), "storage.health");
  assert.equal(c.status, "ok");
  assert.match(c.detail, /chatctl\.sqlite: \d+(\.\d)? KiB of the 2(\.0)? GiB archive cap \(0 %\), quick_check ok, schema version \d+$/);
});

test("a database past 80 % of the archive cap is a warning that says how to purge", async (t) => {
  const dir = tempDir(t);
  const { config, opts } = await setup(dir, { "mam.maxStorageBytes": 4096 });
  openStorage(config).close();
  const c = find(await fullReport({ ok: true, config }, opts), "storage.health");
  assert.equal(c.status, "warn");
  assert.match(c.detail, /archive cap \(\d+ %\)/);
  assert.match(c.hint!, /chatctl mam purge/);
});

test("a file that is not a database fails storage.health and says what to do", async (t) => {
  const dir = tempDir(t);
  const { config, opts } = await setup(dir);
  writeFileSync(join(dir, "chatctl.sqlite"), "this is not a database, just text that is long enough to have a header".repeat(20));
  const c = find(await fullReport({ ok: true, config }, opts), "storage.health");
  assert.equal(c.status, "fail");
  assert.match(c.detail, /SQLITE_NOTADB/);
  assert.match(c.hint!, /restore a backup/);
});

test("with the memory backend there is no database to check", async (t) => {
  const { config, opts } = await setup(tempDir(t), { "storage.backend": "memory" });
  assert.equal(find(await fullReport({ ok: true, config }, opts), "storage.health").status, "skip");
});
