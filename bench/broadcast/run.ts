// Broadcast benchmark: N connected clients (default 5,000) receive one XEP-0133 announcement sent
// through the local admin socket of an in-process chatctl server. The clients live in load-
// generator worker processes (bench/lib/pool.ts, worker.ts), so that reading thousands of TLS
// streams does not starve the server's event loop, which this process then has to itself.
// Reports the time until the last client had the announcement, the server's RSS (idle, with the
// clients, peak during the broadcast) and its worst event-loop delay meanwhile (what batching
// bounds). Never part of `npm test`; numbers are printed, not asserted.
//   node dist/bench/broadcast/run.js [--clients 5000] [--workers 2] [--json]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { LocalAdminClient } from "../../src/admin/local.js";
import { loadConfig } from "../../src/config/load.js";
import { createLogger } from "../../src/log/logger.js";
import { startServer } from "../../src/server/index.js";
import { adminSocketPath } from "../../src/services/admins.js";
import { WorkerPool, mergeErrors } from "../lib/pool.js";
import { pinSelf } from "../lib/proc.js";
import type { AwaitTextResult, ConnectResult } from "../lib/protocol.js";

const USAGE = `usage: node dist/bench/broadcast/run.js [options]

  --clients N        connected clients that receive the announcement (default 5000)
  --workers N        load-generator processes holding the clients (default 2)
  --concurrency N    logins in flight per worker (default 100)
  --server-cpus LIST taskset CPU list for this process, i.e. the server (default 0)
  --gen-cpus LIST    taskset CPU list for the workers (default 1)
  --json             print one JSON object instead of text
  -h, --help

example: node dist/bench/broadcast/run.js --clients 2000 --workers 2`;

const { values } = parseArgs({
  options: {
    clients: { type: "string", default: "5000" },
    workers: { type: "string", default: "2" },
    concurrency: { type: "string", default: "100" },
    "server-cpus": { type: "string", default: "0" },
    "gen-cpus": { type: "string", default: "1" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const clients = Number(values.clients);
const workers = Number(values.workers);
const concurrency = Number(values.concurrency);
if (![clients, workers, concurrency].every((n) => Number.isInteger(n) && n > 0)) {
  console.error(`--clients, --workers and --concurrency must be positive integers\n\n${USAGE}`);
  process.exit(2);
}

const TAG = "broadcast";
const TEXT = "bench announcement";
const PASSWORD = "bench-password";
const DOMAIN = "localhost";
const clock = (): number => performance.timeOrigin + performance.now();
const rssMiB = (): number => process.memoryUsage.rss() / 1048576;
const say = (line: string): void => {
  if (!values.json) console.log(line);
};

const pinned = pinSelf(values["server-cpus"]);
const dataDir = mkdtempSync(join(tmpdir(), "chatctl-bench-broadcast-"));
const config = loadConfig({
  env: {},
  flags: {
    dataDir,
    domain: DOMAIN,
    "listeners.c2s.addresses": ["127.0.0.1"],
    "listeners.c2s.port": 0,
    "listeners.c2sDirectTls.addresses": ["127.0.0.1"],
    "listeners.c2sDirectTls.port": 0,
    "log.level": "warn",
    "auth.scramIterations": 4096,
    "c2s.maxConnections": clients + 10,
    // Nothing here uses them, and their fixed ports would collide with other software.
    "services.proxy": false,
    "services.upload": false,
  },
});
// The default module list, which includes ad-hoc commands, announce and the local admin socket.
const server = await startServer(config, createLogger({ level: "warn", format: "json" })).catch((err: unknown) => {
  rmSync(dataDir, { recursive: true, force: true });
  throw err;
});
const port = server.addresses().c2s[0]!.port;
const pool = WorkerPool.start(workers, values["gen-cpus"], join(dataDir, "workers.log"));

try {
  let t = performance.now();
  const users = Array.from({ length: clients }, (_, i) => `u${i}`);
  for (const user of users) server.host.auth.createUser(user, PASSWORD);
  say(`created ${clients} accounts in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const idleRss = rssMiB();

  // Worker i holds users i, i + workers, i + 2·workers …
  t = performance.now();
  const logins = await pool.all<ConnectResult>(
    (i) => ({
      op: "connect",
      args: {
        ep: { host: "127.0.0.1", port, domain: DOMAIN },
        tag: TAG,
        users: users.filter((_, k) => k % workers === i),
        password: PASSWORD,
        concurrency,
        timeoutMs: 120_000,
        presence: true,
        firstIndex: i * clients,
      },
    }),
    60 * 60_000,
  );
  const loggedIn = logins.reduce((n, r) => n + r.ok, 0);
  const loginErrors = logins.reduce((e, r) => mergeErrors(e, r.errors), {} as Record<string, number>);
  const loginSeconds = (performance.now() - t) / 1000;
  say(`logged in ${loggedIn} of ${clients} clients in ${loginSeconds.toFixed(1)} s (${workers} workers)`);
  for (const [reason, n] of Object.entries(loginErrors)) say(`  login failure ×${n}: ${reason}`);
  const connectedRss = rssMiB();

  // The workers install their waiters when the await-text request arrives; a stats-reset round
  // trip after it proves that every worker has done so before the announcement goes out.
  const waiting = pool.all<AwaitTextResult>(() => ({ op: "await-text", args: { tag: TAG, text: TEXT, timeoutMs: 10 * 60_000 } }), 11 * 60_000);
  await pool.resetStats();

  const admin = await LocalAdminClient.connect(adminSocketPath(dataDir), DOMAIN);
  let peakRss = rssMiB();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMiB())), 50);
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const t0 = clock();
  const result = await admin.run("http://jabber.org/protocol/admin#announce", { announcement: TEXT });
  const answeredMs = clock() - t0;
  const got = await waiting;
  lag.disable();
  clearInterval(sampler);
  peakRss = Math.max(peakRss, rssMiB());
  const received = got.reduce((n, r) => n + r.received, 0);
  const firstMs = Math.min(...got.filter((r) => r.received > 0).map((r) => r.firstAt)) - t0;
  const lastMs = Math.max(...got.map((r) => r.lastAt)) - t0;
  const gen = await pool.stats();

  const report = {
    clients,
    workers,
    loggedIn,
    loginSeconds: round(loginSeconds, 1),
    recipients: Number(result.fields.get("recipients")?.values[0] ?? NaN),
    commandAnsweredMs: round(answeredMs, 0),
    received,
    firstClientMs: round(firstMs, 0),
    lastClientMs: round(lastMs, 0),
    serverRssMiB: { idle: round(idleRss, 1), connected: round(connectedRss, 1), peakDuringBroadcast: round(peakRss, 1) },
    eventLoopDelayMs: { p50: round(lag.percentile(50) / 1e6, 1), p99: round(lag.percentile(99) / 1e6, 1), max: round(lag.max / 1e6, 1) },
    generatorCpuShareDuringBroadcast: round(gen.cpuShare, 2),
    pinned: pinned ? { server: values["server-cpus"], generator: values["gen-cpus"] } : false,
  };
  if (values.json) console.log(JSON.stringify(report));
  else {
    say(`announcement: ${report.recipients} recipients, command answered in ${report.commandAnsweredMs} ms`);
    say(`received by ${received} of ${loggedIn} clients: first after ${report.firstClientMs} ms, last after ${report.lastClientMs} ms`);
    say(`server RSS: idle ${report.serverRssMiB.idle} MiB, with the clients ${report.serverRssMiB.connected} MiB, peak during the broadcast ${report.serverRssMiB.peakDuringBroadcast} MiB`);
    say(`event-loop delay during the broadcast: p50 ${report.eventLoopDelayMs.p50} ms, p99 ${report.eventLoopDelayMs.p99} ms, max ${report.eventLoopDelayMs.max} ms`);
    say(`generator CPU during the broadcast: ${(gen.cpuShare * 100).toFixed(0)}% of a core over ${workers} workers`);
  }
  await admin.close();
  await pool.all(() => ({ op: "close", args: { tag: TAG } }), 5 * 60_000).catch(() => undefined);
} finally {
  await pool.stop();
  await server.close("bench finished");
  rmSync(dataDir, { recursive: true, force: true });
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
