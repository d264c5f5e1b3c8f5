// The real prompts behind ctx.prompts (@inquirer/prompts on the terminal's streams): what the user
// types comes back, the question is drawn on stderr (stdout stays clean for redirected output),
// and Ctrl-D at a prompt is "aborted", exit 1, not a crash.
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { describe, test } from "node:test";
import { createContext } from "../../src/cli/context.js";
import { createOutput } from "../../src/cli/output.js";
import { ChatctlError } from "../../src/errors.js";
import { capture } from "./helpers.js";

function terminal(typed: string | null) {
  const stdin = new PassThrough();
  if (typed === null) stdin.end();
  else stdin.write(typed);
  const stdout = capture();
  const stderr = capture();
  const ctx = createContext({
    io: { stdin, stdout: stdout.stream, stderr: stderr.stream, isTTY: true, env: {} },
    out: createOutput({ stdout: stdout.stream, stderr: stderr.stream }, false),
    globals: { color: false },
    onForcedExit: () => {},
  });
  return { ctx, stdout, stderr };
}

describe("terminal prompts", () => {
  test("text returns the line typed and draws the question on stderr only", async () => {
    const t = terminal("maintenance at 18:00\n");
    assert.equal(await t.ctx.prompts.text("Message:"), "maintenance at 18:00");
    assert.match(t.stderr.text(), /Message:.*maintenance at 18:00/);
    assert.equal(t.stdout.text(), "");
  });

  test("confirm takes y as yes", async () => {
    const t = terminal("y\n");
    assert.equal(await t.ctx.prompts.confirm("Send it?", false), true);
  });

  test("a closed terminal at the prompt aborts with a clear error instead of hanging", async () => {
    const t = terminal(null);
    await assert.rejects(
      Promise.race([t.ctx.prompts.text("Message:"), new Promise((_, reject) => setTimeout(() => reject(new Error("the prompt hung")), 10_000).unref())]),
      (err) => err instanceof ChatctlError && err.code === "CHATCTL_E_ABORTED",
    );
  });
});
