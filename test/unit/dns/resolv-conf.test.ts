import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { parseResolvConf, systemResolvConf } from "../../../src/dns/resolv-conf.js";

test("nameserver lines become servers on port 53, at most three as in libc, comments ignored", () => {
  const conf = parseResolvConf(
    ["# generated", "search example.com", "nameserver 10.0.0.1", "nameserver ::1 ; local", "nameserver not-an-ip", "nameserver 10.0.0.2", "nameserver 10.0.0.3"].join("\n"),
  );
  assert.deepEqual(conf.servers, [
    { host: "10.0.0.1", port: 53 },
    { host: "::1", port: 53 },
    { host: "10.0.0.2", port: 53 },
  ]);
});

test("options timeout and attempts are honoured (timeout is in seconds in the file)", () => {
  const conf = parseResolvConf("nameserver 10.0.0.1\noptions rotate timeout:1 attempts:4 ndots:2\n");
  assert.equal(conf.timeoutMs, 1000);
  assert.equal(conf.attempts, 4);
});

test("a file without nameserver, or no file, means the local server, as the C library assumes", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "chatctl-resolv-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "resolv.conf");
  writeFileSync(path, "search example.com\n");
  assert.deepEqual(systemResolvConf(path).servers, [{ host: "127.0.0.1", port: 53 }]);
  assert.deepEqual(systemResolvConf(join(dir, "missing")).servers, [{ host: "127.0.0.1", port: 53 }]);
});
