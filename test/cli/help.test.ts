// The program surface: help, version, and how parse errors map to exit codes (DESIGN.md: 0 ok,
// 2 usage). Most run main() in-process (fast, and proves output is routed to the given streams);
// the first spawns the real binary to prove the shim and the exit code reach the shell.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Command } from "commander";
import { buildProgram } from "../../src/cli/main.js";
import { repoRoot, runCli, runMain } from "./helpers.js";

test("chatctl --help from the real binary lists the commands and exits 0", async () => {
  const r = await runCli(["--help"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Usage: chatctl/);
  assert.match(r.stdout, /^\s+serve\b/m);
  assert.match(r.stdout, /^\s+user\b/m);
  assert.match(r.stdout, /Example:/);
});

test("--version prints the package.json version and exits 0", async () => {
  const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string };
  const r = await runMain(["--version"]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout.trim(), pkg.version);
});

test("every command's --help exits 0 and has an Example section", async () => {
  const paths: string[][] = [];
  const walk = (cmd: Command, path: string[]) => {
    paths.push(path);
    for (const sub of cmd.commands) walk(sub, [...path, sub.name()]);
  };
  walk(buildProgram(), []);
  assert.ok(paths.length >= 6, "program, serve, user and its four verbs");
  for (const path of paths) {
    const r = await runMain([...path, "--help"]);
    assert.equal(r.code, 0, `chatctl ${path.join(" ")} --help`);
    assert.match(r.stdout, /\nExample:\n {2}# .+\n {2}\$ chatctl /, `chatctl ${path.join(" ")} --help`);
  }
});

test("an unknown option exits 2 and names the option and where to get help", async () => {
  const r = await runCli(["user", "list", "--frobnicate"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^chatctl: unknown option '--frobnicate'/m);
  assert.match(r.stderr, /chatctl user list --help/);
  assert.equal(r.stdout, "");
});

test("an unknown command exits 2", async () => {
  const r = await runMain(["frobnicate"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /chatctl: unknown command 'frobnicate'/);
});

test("a missing argument exits 2 and names it", async () => {
  const r = await runMain(["user", "add"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /missing required argument 'user'/);
});

test("a group without its subcommand prints the group's help on stderr and exits 2", async () => {
  const r = await runMain(["user"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Usage: chatctl user/);
});

test("an invalid option value is a usage error (exit 2) before anything runs", async () => {
  const port = await runMain(["serve", "--port", "http"]);
  assert.equal(port.code, 2);
  assert.match(port.stderr, /--port <n>.*expected a port number/);
  const level = await runMain(["--log-level", "loud", "user", "list"]);
  assert.equal(level.code, 2);
  assert.match(level.stderr, /--log-level/);
});
