// `chatctl serve` lifecycle. The signal handling is driven in-process with a fake server and a
// fake signal source, so each step is observed rather than waited for; one test then runs the
// real binary and real server end to end.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { after, before, describe, test } from "node:test";
import { run, type ServeDeps, type ServedServer } from "../../src/cli/commands/serve.js";
import type { CliContext, SignalName } from "../../src/cli/context.js";
import type { Config } from "../../src/config/types.js";
import { ChatctlError } from "../../src/errors.js";
import { createLogger } from "../../src/log/logger.js";
import { binPath, fakeContext, sandbox, type Sandbox } from "./helpers.js";

const config = {
  domain: "example.test",
  listeners: { c2s: { port: 5222 }, c2sDirectTls: { port: 5223 } },
  log: { level: "info", format: "json" },
} as unknown as Config;

interface Harness {
  ctx: CliContext;
  deps: ServeDeps;
  signals: EventEmitter;
  /** Resolves once serve has subscribed to its signals (the server is up). */
  ready: Promise<void>;
  closeCalls: string[];
  /** Settles the fake server's close(). */
  finishClose(): void;
  reloadOutcome: ReturnType<ServedServer["reloadCertificates"]>;
  reloads: number;
  forced: boolean;
  logLines(): Array<Record<string, unknown>>;
}

function harness(): Harness {
  const signals = new EventEmitter();
  let markReady!: () => void;
  let finishClose!: () => void;
  const closed = new Promise<void>((resolve) => (finishClose = resolve));
  const fake = fakeContext({
    loadConfig: async () => config,
    overrides: {
      onSignal(signal: SignalName, handler: () => void) {
        signals.on(signal, handler);
        if (signals.listenerCount("SIGHUP") && signals.listenerCount("SIGTERM") && signals.listenerCount("SIGINT")) markReady();
        return () => void signals.off(signal, handler);
      },
      requestForcedExit: () => void (h.forced = true),
    },
  });
  const h: Harness = {
    ctx: fake.ctx,
    signals,
    ready: new Promise((resolve) => (markReady = resolve)),
    closeCalls: [],
    finishClose: () => finishClose(),
    reloadOutcome: { ok: true },
    reloads: 0,
    forced: false,
    // The logger writes JSON lines to ctx.stderr.
    logLines: () => fake.stderr.text().split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
    deps: {
      createLogger,
      startServer: async () => ({
        reloadCertificates: () => {
          h.reloads++;
          return h.reloadOutcome;
        },
        close: (reason?: string) => {
          h.closeCalls.push(reason ?? "");
          return closed;
        },
      }),
    },
  };
  return h;
}

const listenerCount = (signals: EventEmitter) => ["SIGHUP", "SIGTERM", "SIGINT"].reduce((n, s) => n + signals.listenerCount(s), 0);

describe("serve signal handling", () => {
  test("SIGTERM closes the server once with system-shutdown, then serve resolves 0 and unsubscribes", async () => {
    const h = harness();
    const result = run({}, h.ctx, h.deps);
    await h.ready;
    h.signals.emit("SIGTERM");
    assert.deepEqual(h.closeCalls, ["system-shutdown"]);
    h.finishClose();
    assert.equal(await result, 0);
    assert.equal(h.forced, false);
    assert.equal(listenerCount(h.signals), 0);
  });

  test("a second stop signal while closing resolves 1 and asks main() for a forced exit", async () => {
    const h = harness();
    const result = run({}, h.ctx, h.deps);
    await h.ready;
    h.signals.emit("SIGINT");
    h.signals.emit("SIGTERM");
    assert.equal(await result, 1);
    assert.equal(h.forced, true);
    assert.deepEqual(h.closeCalls, ["system-shutdown"], "close is not called a second time");
    assert.equal(listenerCount(h.signals), 0);
    assert.ok(h.logLines().some((l) => l.level === "warn" && /second stop signal/.test(String(l.msg))));
  });

  test("SIGHUP reloads the certificates and logs the outcome, and the server keeps running", async () => {
    const h = harness();
    const result = run({}, h.ctx, h.deps);
    await h.ready;
    h.signals.emit("SIGHUP");
    h.reloadOutcome = { ok: false, error: new Error("key does not match certificate") };
    h.signals.emit("SIGHUP");
    assert.equal(h.reloads, 2);
    assert.deepEqual(h.closeCalls, []);
    const lines = h.logLines();
    assert.ok(lines.some((l) => l.level === "info" && l.msg === "certificates reloaded"), JSON.stringify(lines));
    const failure = lines.find((l) => l.level === "error" && /certificate reload failed/.test(String(l.msg)));
    assert.ok(failure, JSON.stringify(lines));
    assert.match(JSON.stringify(failure), /key does not match certificate/);
    h.signals.emit("SIGTERM");
    h.finishClose();
    assert.equal(await result, 0);
  });

  test("a port already in use is reported as a failed operation (exit 1) naming the port", async () => {
    const h = harness();
    h.deps.startServer = async () => {
      throw Object.assign(new Error("listen EADDRINUSE"), { code: "EADDRINUSE", address: "::", port: 5222 });
    };
    await assert.rejects(run({}, h.ctx, h.deps), (err: unknown) => {
      assert.ok(err instanceof ChatctlError);
      assert.equal(err.exitCode, 1);
      assert.match(err.message, /\[::\]:5222: address already in use/);
      return true;
    });
  });
});

describe("serve end to end", () => {
  let box: Sandbox;
  before(async () => {
    box = await sandbox();
  });
  after(async () => {
    await box.remove();
  });

  test("the real server starts on free ports and SIGTERM stops it with exit code 0", async () => {
    const child = spawn(process.execPath, [binPath, ...box.args("--log-level", "info", "serve", "--port", "0", "--tls-port", "0")], {
      // The SOCKS5 proxy and the upload HTTPS listener on loopback and free ports too (tests never bind all interfaces).
      env: { ...box.env, CHATCTL_PROXY_ADDRESSES: "127.0.0.1", CHATCTL_PROXY_PORT: "0", CHATCTL_UPLOAD_ADDRESSES: "127.0.0.1", CHATCTL_UPLOAD_PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let signalled = false;
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    child.stderr.setEncoding("utf8").on("data", (s: string) => {
      stderr += s;
      // serve logs "ready" once its signal handlers are installed (before that, SIGTERM would
      // kill the process the default way).
      if (!signalled && /"msg":"ready: /.test(stderr)) {
        signalled = true;
        child.kill("SIGTERM");
      }
    });
    const code = await exited;
    assert.ok(signalled, `serve never reported ready:\n${stderr}`);
    assert.match(stderr, /"msg":"listening"/);
    assert.equal(code, 0, stderr);
    assert.match(stderr, /stop signal received/);
  });
});
