// The colour decision and the line reader are small, but every command depends on them.
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { test } from "node:test";
import { readLine } from "../../src/cli/commands/user/accounts.js";
import { createOutput, shouldUseColor } from "../../src/cli/output.js";
import { capture } from "./helpers.js";

test("colour is used only on a terminal, without --no-color, and with NO_COLOR unset or empty", () => {
  assert.equal(shouldUseColor({ isTTY: true, env: {}, colorFlag: true }), true);
  assert.equal(shouldUseColor({ isTTY: false, env: {}, colorFlag: true }), false);
  assert.equal(shouldUseColor({ isTTY: true, env: {}, colorFlag: false }), false);
  assert.equal(shouldUseColor({ isTTY: true, env: { NO_COLOR: "1" }, colorFlag: true }), false);
  // no-color.org: an empty NO_COLOR does not disable colour.
  assert.equal(shouldUseColor({ isTTY: true, env: { NO_COLOR: "" }, colorFlag: true }), true);
});

test("without colour, output has no escape sequences", () => {
  const out = capture();
  const err = capture();
  const o = createOutput({ stdout: out.stream, stderr: err.stream }, false);
  o.list(["alice"], "1 user on example.test");
  o.error("boom", "do this");
  assert.equal(out.text(), "alice\n1 user on example.test\n");
  assert.equal(err.text(), "chatctl: boom\nhint: do this\n");
});

test("readLine returns the first line without CRLF, keeping a character split across chunks", async () => {
  const stream = new PassThrough();
  const line = readLine(stream);
  const bytes = Buffer.from("pässword\r\nsecond line\n");
  // "ä" is two bytes in UTF-8: split the first chunk between them.
  stream.write(bytes.subarray(0, 2));
  stream.write(bytes.subarray(2));
  assert.equal(await line, "pässword");
});

test("readLine without a trailing newline returns everything up to the end", async () => {
  const stream = new PassThrough();
  const line = readLine(stream);
  stream.end("no-newline");
  assert.equal(await line, "no-newline");
});
