// Shared by the config tests: temporary config files and a precise ConfigError assertion.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, ExitCode } from "../../../src/errors.js";

/** A fresh directory for one test's files. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "chatctl-config-"));
}

/** Writes `text` as a config file in a fresh directory and returns its path. */
export function configFile(text: string, name = "chatctl.yml"): string {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return file;
}

/** A path that certainly does not exist, for "no config file" cases. */
export function missingFile(): string {
  return join(tempDir(), "absent.yml");
}

export interface ExpectedConfigError {
  /** ConfigError.file: the file path, "environment variable X" or "command line". */
  file: string;
  key: string;
  line: number | undefined;
  /** Text the "expected …" part must contain. */
  expected: string | RegExp;
  /** Text the fix must contain. */
  fix: string | RegExp;
}

/**
 * Runs `fn`, requires a ConfigError, and checks every part a user needs: where (file or variable
 * and line), which key, what was expected, and what to do, both as fields and in the printed
 * message (message + hint, which is how the CLI shows it).
 */
export function expectConfigError(fn: () => unknown, want: ExpectedConfigError): ConfigError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ConfigError, `expected a ConfigError, got ${String(caught)}`);
  const err = caught;
  assert.equal(err.exitCode, ExitCode.USAGE);
  assert.equal(err.code, "CHATCTL_E_CONFIG_INVALID");
  assert.equal(err.file, want.file);
  assert.equal(err.key, want.key);
  assert.equal(err.line, want.line);
  const matches = (text: string, pattern: string | RegExp) => (typeof pattern === "string" ? text.includes(pattern) : pattern.test(text));
  assert.ok(matches(err.expected, want.expected), `expected-part ${JSON.stringify(err.expected)} lacks ${String(want.expected)}`);
  assert.ok(matches(err.fix, want.fix), `fix ${JSON.stringify(err.fix)} lacks ${String(want.fix)}`);
  const where = want.line !== undefined ? `${want.file}:${want.line}` : want.file;
  assert.ok(err.message.startsWith(`${where}: ${want.key}: `), `message ${JSON.stringify(err.message)} does not start with ${where}: ${want.key}`);
  assert.ok(err.message.includes(err.expected));
  assert.equal(err.hint, err.fix);
  return err;
}
