// The young generation stays at its initial size in chatctl's processes (src/cli/young-
// generation.ts), unless the user chose a size. Proven in child processes that allocate ~100 MB
// of short-lived objects, the burst after which V8 would have grown its semi-spaces.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const MODULE = fileURLToPath(new URL("../../src/cli/young-generation.js", import.meta.url));

/** new_space capacity in KiB after the burst, in a node started with `execArgv` and `NODE_OPTIONS`. */
function newSpaceAfterBurst(execArgv: string[], nodeOptions = ""): number {
  const script = `
    await import(${JSON.stringify(MODULE)});
    const v8 = await import("node:v8");
    let kept = [];
    for (let i = 0; i < 2_000_000; i++) { const o = { i, s: "x" + i }; if (i % 1000 === 0) kept.push(o); }
    const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space");
    process.stdout.write(String(Math.round(space.space_size / 1024)) + " " + kept.length);`;
  const run = spawnSync(process.execPath, [...execArgv, "--input-type=module", "-e", script], {
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.equal(run.status, 0, run.stderr);
  return Number(run.stdout.split(" ")[0]);
}

/** Whether this V8 honours a growth factor set at run time (newer V8s clamp it to at least 2). */
function runtimeFactorHonoured(): boolean {
  const run = spawnSync(process.execPath, ["-e", "require('v8').setFlagsFromString('--semi-space-growth-factor=1'); let k=[]; for (let i=0;i<2e6;i++){const o={i};if(i%1000===0)k.push(o)} process.stdout.write(String(require('v8').getHeapSpaceStatistics().find(s=>s.space_name==='new_space').space_size))"], { encoding: "utf8", timeout: 60_000 });
  return Number(run.stdout) <= 4 * 1024 * 1024;
}

test("chatctl's processes keep V8's young generation at its initial 2 MiB after an allocation burst", (t) => {
  if (!runtimeFactorHonoured()) {
    t.skip(`V8 ${process.versions.v8} ignores the growth factor at run time; run the server as node --max-semi-space-size=1`);
    return;
  }
  assert.ok(newSpaceAfterBurst([]) <= 4 * 1024, "new space grew");
});

test("a young-generation size the user gives on the command line or in NODE_OPTIONS is kept", () => {
  assert.ok(newSpaceAfterBurst(["--max-semi-space-size=8"]) > 4 * 1024, "command-line flag overridden");
  assert.ok(newSpaceAfterBurst([], "--max-semi-space-size=8") > 4 * 1024, "NODE_OPTIONS flag overridden");
});
