import { test } from "node:test";
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { createLogger, type LoggerOptions } from "../../../src/log/logger.js";

/** A stream that keeps what is written, like pino's test sink. */
function sink(): Writable & { lines: () => string[]; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return Object.assign(stream, {
    text: () => chunks.join(""),
    lines: () => chunks.join("").split("\n").filter((l) => l !== ""),
  });
}

const FIXED = new Date("2024-03-01T12:34:56.789Z");

function jsonLogger(extra: Partial<LoggerOptions> = {}) {
  const out = sink();
  const log = createLogger({ level: "info", format: "json", stream: out, now: () => FIXED, ...extra });
  return { log, out, records: () => out.lines().map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test("json lines carry level, time, msg, then bindings, then the call's fields", () => {
  const { log, out } = jsonLogger({ bindings: { host: "example.org" } });
  log.info({ jid: "a@example.org", n: 3 }, "session bound");
  const [line] = out.lines();
  assert.equal(line, '{"level":"info","time":"2024-03-01T12:34:56.789Z","msg":"session bound","host":"example.org","jid":"a@example.org","n":3}');
});

test("a string alone is the message; an object alone has no msg", () => {
  const { log, records } = jsonLogger();
  log.warn("disk almost full");
  log.info({ queued: 2 });
  assert.deepEqual(records()[0], { level: "warn", time: FIXED.toISOString(), msg: "disk almost full" });
  assert.deepEqual(records()[1], { level: "info", time: FIXED.toISOString(), queued: 2 });
});

test("levels below the threshold are not written, and the threshold can change at runtime", () => {
  const { log, records } = jsonLogger();
  log.debug("hidden");
  log.info("shown");
  log.level = "debug";
  log.debug("now shown");
  log.level = "silent";
  log.fatal("silent means nothing at all");
  assert.deepEqual(
    records().map((r) => r.msg),
    ["shown", "now shown"],
  );
});

test("a disabled level never looks at its arguments", () => {
  // The cheapness guarantee: no field is read (so none is serialised) below the threshold.
  const { log, out } = jsonLogger({ level: "warn" });
  const tripwire = {
    get expensive(): string {
      throw new Error("a disabled level read its fields");
    },
  };
  log.trace(tripwire, "x");
  log.debug(tripwire, "x");
  log.info(tripwire, "x");
  assert.equal(out.text(), "");
});

test("an unknown level is refused rather than silently logging everything", () => {
  const { log } = jsonLogger();
  assert.throws(() => {
    (log as { level: string }).level = "verbose";
  }, TypeError);
});

test("child loggers add bindings, override same-named ones and leave the parent alone", () => {
  const { log, records } = jsonLogger({ bindings: { host: "example.org", module: "core" } });
  const session = log.child({ session: "c2s1a2b" });
  const mam = session.child({ module: "mam" });
  mam.info("query");
  session.info("bound");
  log.info("parent");
  const [fromMam, fromSession, fromParent] = records();
  assert.deepEqual({ ...fromMam, time: undefined }, { level: "info", time: undefined, msg: "query", host: "example.org", module: "mam", session: "c2s1a2b" });
  assert.equal(fromSession!.module, "core");
  assert.equal(fromSession!.session, "c2s1a2b");
  assert.equal(fromParent!.session, undefined);
});

test("a child starts at its parent's level and changes independently", () => {
  const { log, records } = jsonLogger({ level: "warn" });
  const child = log.child({ c: 1 });
  child.info("hidden");
  child.level = "info";
  child.info("child info");
  log.info("parent info stays hidden");
  assert.deepEqual(
    records().map((r) => r.msg),
    ["child info"],
  );
});

test("secrets are redacted by key name at any depth, case-insensitively, in fields and bindings", () => {
  const { log, records } = jsonLogger();
  const child = log.child({ authorization: "Basic abc", peer: "10.0.0.1" });
  child.info(
    {
      user: "alice",
      password: "hunter2",
      sasl: { mechanism: "SCRAM-SHA-256", saslPayload: "biwsbj1h" },
      stored: [{ StoredKey: "k1", serverKey: "k2", iterations: 4096 }],
      deep: { a: { b: { c: { Token: "t", Secret: "s", pass: "p" } } } },
    },
    "auth",
  );
  const record = records()[0]!;
  assert.equal(record.authorization, "[Redacted]");
  assert.equal(record.peer, "10.0.0.1");
  assert.equal(record.user, "alice");
  assert.equal(record.password, "[Redacted]");
  assert.deepEqual(record.sasl, { mechanism: "SCRAM-SHA-256", saslPayload: "[Redacted]" });
  assert.deepEqual(record.stored, [{ StoredKey: "[Redacted]", serverKey: "[Redacted]", iterations: 4096 }]);
  assert.deepEqual(record.deep, { a: { b: { c: { Token: "[Redacted]", Secret: "[Redacted]", pass: "[Redacted]" } } } });
  assert.doesNotMatch(JSON.stringify(record), /hunter2|biwsbj1h|Basic abc|"k1"|"k2"/);
});

test("errors logged as { err } keep type, message, code and stack", () => {
  const { log, records } = jsonLogger();
  const err = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED", port: 5432 });
  log.error({ err }, "storage unreachable");
  const logged = records()[0]!.err as Record<string, unknown>;
  assert.equal(logged.type, "Error");
  assert.equal(logged.message, "connect ECONNREFUSED 127.0.0.1:5432");
  assert.equal(logged.code, "ECONNREFUSED");
  assert.equal(logged.port, 5432);
  assert.match(String(logged.stack), /^Error: connect ECONNREFUSED[^\n]*\n\s+at /);
});

test("an Error passed alone is logged as { err } with its message", () => {
  const { log, records } = jsonLogger();
  log.error(new TypeError("bad input", { cause: new Error("root cause") }));
  const record = records()[0]!;
  assert.equal(record.msg, "bad input");
  const err = record.err as Record<string, unknown>;
  assert.equal(err.type, "TypeError");
  assert.equal((err.cause as Record<string, unknown>).message, "root cause");
});

test("cycles, bigints, dates, buffers and value objects serialise without throwing", () => {
  const { log, records } = jsonLogger();
  const loop: Record<string, unknown> = { name: "loop" };
  loop.self = loop;
  const shared = { x: 1 };
  log.info({
    loop,
    twice: [shared, shared],
    big: 10n ** 20n,
    when: new Date("2024-01-02T03:04:05.000Z"),
    bytes: Buffer.from("abc"),
    jid: { toJSON: () => "a@example.org/res" },
  });
  const record = records()[0]!;
  assert.deepEqual(record.loop, { name: "loop", self: "[Circular]" });
  // The same object twice is not a cycle.
  assert.deepEqual(record.twice, [{ x: 1 }, { x: 1 }]);
  assert.equal(record.big, "100000000000000000000");
  assert.equal(record.when, "2024-01-02T03:04:05.000Z");
  assert.equal(record.bytes, "[Buffer 3 bytes]");
  assert.equal(record.jid, "a@example.org/res");
});

test("a caller's field cannot overwrite level, time or msg", () => {
  const { log, records } = jsonLogger();
  log.info({ level: "fatal", time: "yesterday", msg: "forged", room: "r" }, "real");
  assert.deepEqual(records()[0], { level: "info", time: FIXED.toISOString(), msg: "real", room: "r" });
});

test("pretty lines read time, level, bindings, message, fields, without colour on a non-TTY stream", () => {
  const out = sink();
  const log = createLogger({ level: "info", format: "pretty", stream: out, bindings: { session: "c2s1a2b" } });
  log.info({ jid: "alice@example.org", resource: "phone one" }, "resource bound");
  const text = out.text();
  assert.match(text, /^\d{2}:\d{2}:\d{2}\.\d{3} INFO  \[session=c2s1a2b\] resource bound jid=alice@example.org resource="phone one"\n$/);
  assert.doesNotMatch(text, /\x1b\[/);
});

test("pretty lines show an error's message inline and its stack below", () => {
  const out = sink();
  const log = createLogger({ level: "info", format: "pretty", stream: out });
  log.error({ err: Object.assign(new Error("boom"), { code: "E_BOOM" }) }, "failed");
  const [first, second] = out.text().split("\n");
  assert.match(first!, / ERROR failed err="Error: boom \(E_BOOM\)"$/);
  assert.match(second!, /^\s+at /);
});

test("pretty colour is used on a TTY unless NO_COLOR is set", () => {
  const tty = Object.assign(sink(), { isTTY: true });
  createLogger({ level: "info", format: "pretty", stream: tty }).warn("coloured");
  const saved = process.env.NO_COLOR;
  process.env.NO_COLOR = "1";
  try {
    const plain = Object.assign(sink(), { isTTY: true });
    createLogger({ level: "info", format: "pretty", stream: plain }).warn("plain");
    assert.doesNotMatch(plain.text(), /\x1b\[/);
  } finally {
    if (saved === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = saved;
  }
  if (saved === undefined || saved === "") assert.match(tty.text(), /\x1b\[33mWARN/);
});

test("logging to an ended, destroyed or failing stream neither throws nor raises an error event", async () => {
  const ended = sink();
  const endedLog = createLogger({ level: "info", format: "json", stream: ended });
  ended.end();
  endedLog.info("after end");

  const destroyed = sink();
  const destroyedLog = createLogger({ level: "info", format: "json", stream: destroyed });
  destroyed.destroy();
  destroyedLog.info("after destroy");

  // A stream whose write fails asynchronously, as a closed pipe does (EPIPE).
  const broken = new Writable({
    write(_chunk, _enc, done) {
      done(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
    },
  });
  const brokenLog = createLogger({ level: "info", format: "json", stream: broken });
  brokenLog.info("first write fails");
  await new Promise((resolve) => setImmediate(resolve));
  brokenLog.info("later writes are skipped");
  await new Promise((resolve) => setImmediate(resolve));
  // Reaching this point means no 'error' event went unhandled (it would have failed the test).
  assert.equal(ended.text(), "");
});
