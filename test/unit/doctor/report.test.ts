// The registry runner, the exit-code rule and the two renderings of a report.
import assert from "node:assert/strict";
import { test } from "node:test";
import { renderReport } from "../../../src/doctor/render.js";
import { exitCodeOf, REPORT_VERSION, reportJson, runChecks, type Report } from "../../../src/doctor/report.js";
import { CheckAbort, ok, skip, warn, type Check, type CheckOutcome } from "../../../src/doctor/types.js";

const check = (id: string, run: Check<null>["run"], subject?: string): Check<null> => ({ id, title: id, ...(subject ? { subject } : {}), run });
const row = (status: CheckOutcome["status"]): CheckOutcome => ({ id: `x.${status}`, title: status, status, detail: status });

test("checks run in order; one that throws becomes a failure of that check and the others still run", async () => {
  const outcomes = await runChecks(
    [
      check("a.first", async () => ok("fine")),
      check("a.crash", async () => {
        throw new Error("boom");
      }),
      check("a.after", async () => warn("still ran")),
    ],
    null,
  );
  assert.deepEqual(outcomes.map((o) => [o.id, o.status]), [["a.first", "ok"], ["a.crash", "fail"], ["a.after", "warn"]]);
  assert.match(outcomes[1]!.detail, /the check itself failed: boom/);
});

test("a check with nothing to look at, or aborted without a result, is left out; an abort with a result reports it", async () => {
  const outcomes = await runChecks(
    [
      check("b.nothing", async () => undefined),
      check("b.omitted", async () => {
        throw new CheckAbort(undefined);
      }),
      check("b.skipped", async () => {
        throw new CheckAbort(skip("not checked: reason"));
      }, "subject.example"),
    ],
    null,
  );
  assert.deepEqual(outcomes, [{ id: "b.skipped", title: "b.skipped", subject: "subject.example", status: "skip", detail: "not checked: reason" }]);
});

test("exit code: 1 when something failed; warnings alone give 0 unless strict; skips never count", () => {
  assert.equal(exitCodeOf([row("ok"), row("skip")], false), 0);
  assert.equal(exitCodeOf([row("ok"), row("warn")], false), 0);
  assert.equal(exitCodeOf([row("ok"), row("warn")], true), 1);
  assert.equal(exitCodeOf([row("fail")], false), 1);
  assert.equal(exitCodeOf([], true), 0);
});

const sample: Report = {
  command: "doctor dns",
  domain: "example.test",
  context: { resolver: "127.0.0.1:53" },
  checks: [
    { id: "dns.resolver", title: "The resolver answers", status: "ok", detail: "answered" },
    { id: "dns.srv-ports", title: "SRV ports", subject: "_xmpp-client._tcp.example.test", status: "fail", detail: "wrong port", hint: "replace with:", fix: ["_xmpp-client._tcp.example.test. 3600 IN SRV 0 5 5222 xmpp.example.test."] },
    { id: "dns.s2s", title: "S2S", status: "skip", detail: "S2S not enabled" },
  ],
};

test("the JSON report has the documented shape: version, status, summary, and per check only the fields that apply", () => {
  const json = reportJson(sample, false);
  assert.deepEqual(Object.keys(json), ["version", "command", "domain", "status", "strict", "exitCode", "summary", "context", "checks"]);
  assert.equal(json.version, REPORT_VERSION);
  assert.equal(json.status, "fail");
  assert.equal(json.exitCode, 1);
  assert.deepEqual(json.summary, { ok: 1, warn: 0, fail: 1, skip: 1 });
  assert.deepEqual(Object.keys(json.checks[0]!), ["id", "title", "status", "detail"]);
  assert.deepEqual(Object.keys(json.checks[1]!), ["id", "title", "subject", "status", "detail", "hint", "fix"]);
});

test("the human report is a table with hint and fix lines under the row, a summary, and no colour codes unless asked", () => {
  const text = renderReport(sample, { color: false, strict: false });
  assert.doesNotMatch(text, /\u001b\[/);
  assert.match(text, /^chatctl doctor dns: example\.test \(resolver: 127\.0\.0\.1:53\)$/m);
  assert.match(text, /^STATUS +CHECK +SUBJECT +DETAIL$/m);
  assert.match(text, /^FAIL +dns\.srv-ports +_xmpp-client\._tcp\.example\.test +wrong port$/m);
  assert.match(text, /^ +hint: replace with:$/m);
  assert.match(text, /^ +_xmpp-client\._tcp\.example\.test\. 3600 IN SRV 0 5 5222 xmpp\.example\.test\.$/m);
  assert.match(text, /^3 checks: 1 ok, 0 warnings, 1 failed, 1 skipped: problems found$/m);
  assert.match(renderReport(sample, { color: true, strict: false }), /\u001b\[31mFAIL/);
});
