// Group chat benchmark (never part of `npm test`): one room of N occupants (default 500) on a
// chatctl server started as its own process (bench/adapters/chatctl.ts, pinned to --server-cpus),
// the occupants spread over load-generator worker processes (bench/lib/pool.ts, worker.ts, pinned
// to --gen-cpus), driven by the W4 workload of the comparative benchmark (bench/workloads/w4-muc.ts):
//   - fixed rate: groupchat messages so that the server makes --rate deliveries per second; p50
//     and p99 latency from the intended send time to each occupant's receipt; deliveries lost;
//   - saturation: --senders occupants each keep --window messages in flight; groupchat deliveries
//     per second, and the server's CPU per delivery;
//   - the server's RSS: idle, with every occupant joined, and the peak sampled during the run.
// Room archiving (XEP-0313 on the room JID) is on, as the server ships (muc.archiveByDefault);
// --no-archive measures routing alone. bench/README.md ("The group chat benchmark") explains it.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { makeCertificate } from "../adapters/common.js";
import { chatctlAdapter } from "../adapters/chatctl.js";
import type { BenchEnv, StartedServer } from "../adapters/types.js";
import { WorkerPool } from "../lib/pool.js";
import { pinSelf, sleep, usage } from "../lib/proc.js";
import type { Plan, WorkloadContext } from "../workloads/context.js";
import { runW4 } from "../workloads/w4-muc.js";

const REPO_DIR = resolve(fileURLToPath(new URL("../../../", import.meta.url)));

const { values: args } = parseArgs({
  options: {
    occupants: { type: "string", default: "500" },
    workers: { type: "string", default: "4" },
    rate: { type: "string", default: "2000" },
    senders: { type: "string", default: "10" },
    window: { type: "string", default: "5" },
    duration: { type: "string", default: "10" },
    "rate-duration": { type: "string", default: "15" },
    "server-cpus": { type: "string", default: "0" },
    "gen-cpus": { type: "string", default: "1" },
    "no-archive": { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (args.help) {
  console.log(`usage: node dist/bench/muc/run.js [options]

  --occupants N        occupants of the room (default 500)
  --workers N          load-generator processes the occupants are spread over (default 4)
  --rate N             deliveries per second the fixed-rate phase asks of the server (default 2000)
  --senders N          occupants that send (default 10)
  --window N           messages each sender keeps in flight at saturation (default 5)
  --duration S         seconds measured at saturation (default 10)
  --rate-duration S    seconds measured at the fixed rate (default 15)
  --server-cpus LIST   CPUs the server is pinned to (default 0)
  --gen-cpus LIST      CPUs the generator is pinned to (default 1)
  --no-archive         rooms keep no archive (routing only)
  --keep               keep the scratch directory (server data and logs)
  --json               print one JSON object of the figures instead of text

example: npm run build && node dist/bench/muc/run.js --occupants 500 --json`);
  process.exit(0);
}

const count = (name: string, v: string | undefined, min: number): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number >= ${min}, got ${v}`);
  return n;
};
const occupants = Math.round(count("occupants", args.occupants, 2));
const workers = Math.round(count("workers", args.workers, 1));
const started = Date.now();
const log = (line: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
const mib = (kb: number) => Math.round((kb / 1024) * 10) / 10;

const plan: Plan = {
  quick: false,
  repeat: 1,
  settleMs: 2000,
  // W4 only: the other workloads' settings are not used.
  w1: { inFlight: 0, warmupMs: 0, durationMs: 0 },
  w2: { levels: [], concurrency: 0, settleMs: 0 },
  w3: { pairs: 0, window: 0, warmupMs: 0, durationMs: 0, rate: 0, rateDurationMs: 0, drainMs: 0, to: "bare", bodyBytes: 64 },
  w4: {
    sizes: [occupants],
    senders: Math.round(count("senders", args.senders, 1)),
    deliveriesPerSecond: count("rate", args.rate, 1),
    window: Math.round(count("window", args.window, 1)),
    warmupMs: 3000,
    durationMs: count("duration", args.duration, 1) * 1000,
    rateDurationMs: count("rate-duration", args["rate-duration"], 1) * 1000,
    drainMs: 10_000,
    bodyBytes: 64,
  },
};

if (!pinSelf(args["gen-cpus"]!)) log(`could not pin this process to CPU ${args["gen-cpus"]}`);
const workDir = mkdtempSync(join(os.tmpdir(), "chatctl-bench-muc-"));
const cert = makeCertificate(workDir, "bench.local");
const env: BenchEnv = {
  workDir,
  repoDir: REPO_DIR,
  domain: "bench.local",
  mucDomain: "conference.bench.local",
  certFile: cert.cert,
  keyFile: cert.key,
  userPrefix: "u",
  userCount: occupants,
  password: "bench-password-1",
  serverCpus: args["server-cpus"]!,
  nice: 0,
  archive: !args["no-archive"],
  cpuProfile: false,
  log,
};

let server: StartedServer | undefined;
let pool: WorkerPool | undefined;
let sampler: NodeJS.Timeout | undefined;
try {
  await chatctlAdapter.ensureInstalled(env);
  log(`chatctl ${chatctlAdapter.version(env)}: creating ${occupants} accounts`);
  await chatctlAdapter.prepare(env);
  server = await chatctlAdapter.start(env, "muc");
  const s = server;
  pool = WorkerPool.start(workers, args["gen-cpus"]!, join(workDir, "workers.log"));
  await sleep(plan.settleMs);
  const idleRssKb = usage(s.pids()).rssKb;
  log(`server up in ${s.startupMs.toFixed(0)} ms, idle RSS ${mib(idleRssKb)} MiB; ${occupants} occupants over ${workers} workers, archive ${env.archive ? "on" : "off"}`);
  let peakRssKb = idleRssKb;
  sampler = setInterval(() => {
    peakRssKb = Math.max(peakRssKb, usage(s.pids()).rssKb);
  }, 250);
  const ctx: WorkloadContext = { env, adapter: chatctlAdapter, server: s, pool, plan, rep: 0, log };
  const outcome = await runW4(ctx);
  clearInterval(sampler);
  const afterRssKb = usage(s.pids()).rssKb;
  const m = (k: string) => outcome.metrics[`w4.${occupants}.${k}`] ?? null;
  const figures = {
    occupants,
    workers,
    archive: env.archive,
    joinSeconds: m("join_s"),
    fixedRate: { deliveriesPerSecond: plan.w4.deliveriesPerSecond, p50Ms: m("rate_p50_ms"), p99Ms: m("rate_p99_ms"), lost: m("rate_lost") },
    saturation: { deliveriesPerSecond: m("sat_deliveries_per_s"), serverCpuUsPerDelivery: m("sat_cpu_us_per_delivery"), generatorCpuPct: m("sat_gen_cpu") },
    serverRssMiB: { idle: mib(idleRssKb), peak: mib(peakRssKb), after: mib(afterRssKb) },
    failure: outcome.failure ?? outcome.unavailable ?? null,
    notes: outcome.notes,
    machine: { cpus: os.cpus().length, loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100), node: process.versions.node },
  };
  if (args.json) {
    console.log(JSON.stringify(figures, null, 2));
  } else {
    const f = (v: number | null, digits = 0) => (v === null ? "n/a" : v.toFixed(digits));
    console.log(`room of ${occupants} occupants (${workers} generator workers, archive ${env.archive ? "on" : "off"})`);
    console.log(`  join of all occupants:      ${f(figures.joinSeconds, 1)} s`);
    console.log(`  fixed rate ${plan.w4.deliveriesPerSecond} deliveries/s: p50 ${f(figures.fixedRate.p50Ms, 1)} ms, p99 ${f(figures.fixedRate.p99Ms, 1)} ms, lost ${f(figures.fixedRate.lost)}`);
    console.log(`  saturation:                 ${f(figures.saturation.deliveriesPerSecond)} groupchat deliveries/s, ${f(figures.saturation.serverCpuUsPerDelivery, 1)} µs server CPU each (generator ${f(figures.saturation.generatorCpuPct)} % busy)`);
    console.log(`  server RSS:                 idle ${figures.serverRssMiB.idle} MiB, peak ${figures.serverRssMiB.peak} MiB, after ${figures.serverRssMiB.after} MiB`);
    console.log(`  machine: ${figures.machine.cpus} CPUs, load average ${figures.machine.loadavg.join(" ")}`);
    if (figures.failure) console.log(`  FAILED: ${figures.failure}`);
    for (const n of figures.notes) console.log(`  note: ${n}`);
  }
  process.exitCode = figures.failure ? 1 : 0;
} finally {
  if (sampler) clearInterval(sampler);
  await pool?.stop();
  if (server) log(`server stopped: ${await server.stop()}`);
  if (args.keep) log(`kept ${workDir}`);
  else rmSync(workDir, { recursive: true, force: true });
}
