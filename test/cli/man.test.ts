// Man pages are generated from the commander definitions (STYLE-ANCHORS §4.4 rule 12). These
// tests make a new option, command or config key without a regenerated page fail the suite.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Help, type Command } from "commander";
import { buildProgram } from "../../src/cli/main.js";
import { configReference } from "../../src/config/load.js";
import { repoRoot } from "./helpers.js";

function buildMan(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, "scripts", "build-man.mjs"), ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (output += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (output += s));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

function roff(page: string): string {
  return readFileSync(join(repoRoot, "man", `${page}.1`), "utf8");
}

/** roff writes a real minus as \- so that copied options work. */
const inRoff = (text: string) => text.replace(/-/g, "\\-");

test("build-man --check passes: the committed pages match the command definitions", async () => {
  const r = await buildMan(["--check"]);
  assert.equal(r.code, 0, r.output);
});

test("every page has a .TH header and names every option of the commands it documents", () => {
  const help = new Help();
  const program = buildProgram();
  const pages: Array<[string, Command[]]> = [["chatctl", [program]]];
  for (const cmd of program.commands) pages.push([`chatctl-${cmd.name()}`, [cmd, ...cmd.commands]]);
  for (const [page, commands] of pages) {
    const text = roff(page);
    assert.match(text, new RegExp(`^\\.TH "${page.toUpperCase()}" "1" `, "m"), page);
    for (const cmd of commands) {
      for (const option of help.visibleOptions(cmd)) {
        assert.ok(text.includes(inRoff(option.flags)), `${page}.1 lacks ${option.flags} (${cmd.name()})`);
      }
    }
  }
});

test("chatctl-serve(1) documents every configuration key and its variable", () => {
  const text = roff("chatctl-serve");
  for (const row of configReference()) {
    assert.ok(text.includes(`\\fB${inRoff(row.key)}\\fR`), row.key);
    assert.ok(text.includes(inRoff(row.env)), row.env);
  }
});
