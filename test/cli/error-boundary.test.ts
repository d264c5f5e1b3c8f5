// main()'s one error boundary: each kind of failure gets its exit code from DESIGN.md and a
// "chatctl: <message>" line with the hint under it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CommanderError } from "commander";
import { buildProgram, reportError } from "../../src/cli/main.js";
import { createOutput } from "../../src/cli/output.js";
import { ChatctlError, ConfigError, UnreachableError, UsageError } from "../../src/errors.js";
import { StoreError } from "../../src/storage/types.js";
import { capture } from "./helpers.js";

function report(err: unknown, debug = false) {
  const stdout = capture();
  const stderr = capture();
  const code = reportError(err, createOutput({ stdout: stdout.stream, stderr: stderr.stream }, false), { debug, failedCommand: buildProgram() });
  return { code, stderr: stderr.text(), stdout: stdout.text() };
}

test("help and version are successes, whatever commander's own exit code", () => {
  assert.equal(report(new CommanderError(0, "commander.helpDisplayed", "(outputHelp)")).code, 0);
  assert.equal(report(new CommanderError(0, "commander.version", "0.1.0")).code, 0);
});

test("commander parse errors are usage errors (2) printed once, without commander's prefix", () => {
  const r = report(new CommanderError(1, "commander.unknownOption", "error: unknown option '--x'"));
  assert.equal(r.code, 2);
  assert.equal(r.stderr, "chatctl: unknown option '--x'\nhint: run \"chatctl --help\" for usage\n");
});

test("usage and configuration errors exit 2 with their hint on the next line", () => {
  assert.deepEqual(report(new UsageError("bad", "do this")), { code: 2, stderr: "chatctl: bad\nhint: do this\n", stdout: "" });
  const config = report(new ConfigError("/etc/chatctl/chatctl.yml", "listeners.c2s.port", "expected a port", "use 5222", 4));
  assert.equal(config.code, 2);
  assert.match(config.stderr, /^chatctl: \/etc\/chatctl\/chatctl\.yml:4: listeners\.c2s\.port: expected a port\nhint: use 5222\n$/);
});

test("chatctl errors exit with their own code: failed operation 1, unreachable 3", () => {
  assert.equal(report(new ChatctlError("CHATCTL_E_USER_EXISTS", "exists")).code, 1);
  assert.equal(report(new UnreachableError("no server")).code, 3);
});

test("a busy or unavailable store means the storage could not be reached (3)", () => {
  assert.equal(report(new StoreError("busy", "database is locked")).code, 3);
  assert.equal(report(new StoreError("corrupt", "bad page")).code, 1);
});

test("anything else is an internal error (1) asking for a report; the stack only at debug level", () => {
  const quiet = report(new TypeError("x is undefined"));
  assert.equal(quiet.code, 1);
  assert.match(quiet.stderr, /^chatctl: internal error, please report: x is undefined\n/);
  assert.doesNotMatch(quiet.stderr, /at /);
  assert.match(quiet.stderr, /--log-level debug/);
  const debug = report(new TypeError("x is undefined"), true);
  assert.match(debug.stderr, /TypeError: x is undefined\n\s+at /);
});
