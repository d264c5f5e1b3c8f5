// chatctl benchmark orchestrator: chatctl vs Prosody vs ejabberd on this machine, same run.
//   node dist/bench/run.js [--servers chatctl,prosody,ejabberd] [--workloads W0,W1,W2,W3,W4]
//                          [--quick] [--repeat N] [--workers N] [--cpu-prof] [--out DIR] …
// See bench/README.md. Every server is a fresh process from a template data directory, on
// loopback ports chosen here, pinned to the server CPU; the load generator runs in worker
// processes pinned to the generator CPU; this process only orchestrates.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { buildDir, chatctlAdapter } from "./adapters/chatctl.js";
import { makeCertificate, tailFile } from "./adapters/common.js";
import { ejabberdAdapter } from "./adapters/ejabberd.js";
import { prosodyAdapter } from "./adapters/prosody.js";
import { SERVER_NAMES, type Adapter, type BenchEnv, type ServerName, type StartedServer } from "./adapters/types.js";
import { metricCatalog } from "./lib/metrics.js";
import { WorkerPool } from "./lib/pool.js";
import { cpuTimes, pinSelf, singleCpu, sleep, usage } from "./lib/proc.js";
import { summarizeProfile, type ProfileSummary } from "./lib/profile.js";
import { buildSummary, renderMarkdown, type Meta, type Results, type RunRecord } from "./lib/report.js";
import { WORKLOAD_IDS, type Plan, type WorkloadContext, type WorkloadId, type WorkloadOutcome } from "./workloads/context.js";
import { runW1 } from "./workloads/w1-login.js";
import { runW2 } from "./workloads/w2-idle.js";
import { runW3 } from "./workloads/w3-chat.js";
import { runW4 } from "./workloads/w4-muc.js";

const ADAPTERS: Record<ServerName, Adapter> = { chatctl: chatctlAdapter, prosody: prosodyAdapter, ejabberd: ejabberdAdapter };
const REPO_DIR = resolve(fileURLToPath(new URL("../..", import.meta.url)));

const USAGE = `usage: node dist/bench/run.js [options]

  --servers LIST       chatctl,prosody,ejabberd (default: all three)
  --workloads LIST     W0,W1,W2,W3,W4 (default: all)
  --quick              short runs, small sizes, one repetition (debugging)
  --repeat N           repetitions (default 3; 1 with --quick)
  --workers N          load-generator worker processes (default 1)
  --cpu-prof           run chatctl with node --cpu-prof and summarize the W3 profile
  --w2-levels LIST     idle session levels (default 1000,5000,10000)
  --w4-sizes LIST      room sizes (default 100,500)
  --rate N             W3 fixed offered rate, msg/s (default 1000)
  --login-inflight N   W1 concurrent logins (default 50)
  --pairs N            W3 session pairs (default 50)
  --duration S         measured seconds for W1 and saturation phases (default 10)
  --to bare|full       W3 addressing (default bare)
  --server-cpus LIST   taskset CPU list for servers (default 0)
  --gen-cpus LIST      taskset CPU list for the generator and this process (default 1)
  --archive            every server archives messages (XEP-0313); default off for all
  --label NAME         add -NAME to the result file names
  --out DIR            where results go (default bench/results)
  --max-minutes N      stop starting new runs after N minutes (default 180)
  --quiet-wait S       before each run, wait up to S seconds for other processes to leave
                       both CPUs mostly idle (default 10; 0 = do not wait)
  --nice N             niceness of servers and generator (default -10 as root, else 0):
                       unrelated work on the machine then disturbs the measurements less
  --no-install         do not apt-get install missing peers
  --keep               keep the scratch directory (configs, data, logs)
  -h, --help
`;

function parseList(text: string | undefined, fallback: readonly string[]): string[] {
  if (text === undefined) return [...fallback];
  return text.split(",").map((s) => s.trim()).filter(Boolean);
}

function numberList(text: string | undefined, fallback: number[]): number[] {
  if (text === undefined) return fallback;
  const out = text.split(",").map((s) => Number(s.trim()));
  if (out.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`not a list of positive integers: ${text}`);
  return out;
}

interface Options {
  servers: ServerName[];
  workloads: WorkloadId[];
  plan: Plan;
  workers: number;
  cpuProf: boolean;
  serverCpus: string;
  genCpus: string;
  outDir: string;
  maxMinutes: number;
  install: boolean;
  keep: boolean;
  quietWaitMs: number;
  nice: number;
  label: string | undefined;
  archive: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      servers: { type: "string" },
      workloads: { type: "string" },
      quick: { type: "boolean", default: false },
      repeat: { type: "string" },
      workers: { type: "string" },
      "cpu-prof": { type: "boolean", default: false },
      "w2-levels": { type: "string" },
      "w4-sizes": { type: "string" },
      rate: { type: "string" },
      "login-inflight": { type: "string" },
      pairs: { type: "string" },
      duration: { type: "string" },
      to: { type: "string" },
      "server-cpus": { type: "string" },
      "gen-cpus": { type: "string" },
      out: { type: "string" },
      "max-minutes": { type: "string" },
      "no-install": { type: "boolean", default: false },
      "quiet-wait": { type: "string" },
      label: { type: "string" },
      archive: { type: "boolean", default: false },
      nice: { type: "string" },
      keep: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const servers = parseList(values.servers, SERVER_NAMES);
  for (const s of servers) if (!(SERVER_NAMES as readonly string[]).includes(s)) throw new Error(`unknown server ${s} (known: ${SERVER_NAMES.join(", ")})`);
  const workloads = parseList(values.workloads, WORKLOAD_IDS).map((w) => w.toUpperCase());
  for (const w of workloads) if (!(WORKLOAD_IDS as readonly string[]).includes(w)) throw new Error(`unknown workload ${w} (known: ${WORKLOAD_IDS.join(", ")})`);
  const quick = values.quick === true;
  const num = (v: string | undefined, d: number, name: string) => {
    if (v === undefined) return d;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
    return n;
  };
  const durationMs = num(values.duration, quick ? 4 : 10, "duration") * 1000;
  const to = values.to ?? "bare";
  if (to !== "bare" && to !== "full") throw new Error("--to must be bare or full");
  const plan: Plan = {
    quick,
    repeat: Math.round(num(values.repeat, quick ? 1 : 3, "repeat")),
    settleMs: 2000,
    w1: { inFlight: Math.round(num(values["login-inflight"], quick ? 20 : 50, "login-inflight")), warmupMs: quick ? 2000 : 3000, durationMs },
    w2: { levels: numberList(values["w2-levels"], quick ? [500, 1000] : [1000, 5000, 10000]), concurrency: 100, settleMs: quick ? 2000 : 5000 },
    w3: {
      pairs: Math.round(num(values.pairs, 50, "pairs")),
      window: 10,
      warmupMs: quick ? 1500 : 3000,
      durationMs,
      rate: num(values.rate, 1000, "rate"),
      rateDurationMs: quick ? 5000 : 20_000,
      drainMs: 5000,
      to,
      bodyBytes: 64,
    },
    w4: {
      sizes: numberList(values["w4-sizes"], quick ? [50] : [100, 500]),
      senders: 10,
      deliveriesPerSecond: 2000,
      window: 5,
      warmupMs: quick ? 1500 : 3000,
      durationMs,
      rateDurationMs: quick ? 5000 : 15_000,
      drainMs: 10_000,
      bodyBytes: 64,
    },
  };
  return {
    servers: servers as ServerName[],
    workloads: workloads as WorkloadId[],
    plan,
    workers: Math.round(num(values.workers, 1, "workers")),
    cpuProf: values["cpu-prof"] === true,
    serverCpus: values["server-cpus"] ?? "0",
    genCpus: values["gen-cpus"] ?? "1",
    outDir: resolve(values.out ?? join(REPO_DIR, "bench", "results")),
    maxMinutes: num(values["max-minutes"], 180, "max-minutes"),
    install: values["no-install"] !== true,
    nice: values.nice === undefined ? (process.getuid?.() === 0 ? -10 : 0) : niceValue(values.nice),
    archive: values.archive === true,
    label: values.label === undefined ? undefined : labelValue(values.label),
    quietWaitMs: values["quiet-wait"] === undefined ? 10_000 : Math.max(0, Number(values["quiet-wait"])) * 1000,
    keep: values.keep === true,
  };
}

function labelValue(text: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,40}$/.test(text)) throw new Error("--label: letters, digits, '.', '_' and '-' only");
  return text;
}

function niceValue(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < -20 || n > 19) throw new Error("--nice must be an integer from -20 to 19");
  return n;
}

function accountsNeeded(o: Options): number {
  const p = o.plan;
  let n = 1;
  if (o.workloads.includes("W1")) n = Math.max(n, p.w1.inFlight * 4);
  if (o.workloads.includes("W2")) n = Math.max(n, ...p.w2.levels);
  if (o.workloads.includes("W3")) n = Math.max(n, p.w3.pairs * 2);
  if (o.workloads.includes("W4")) n = Math.max(n, ...p.w4.sizes);
  return n;
}

function machine(): Pick<Meta, "cpu" | "cores" | "memoryGiB" | "kernel" | "host"> {
  const cpus = os.cpus();
  return {
    host: os.hostname(),
    cpu: cpus[0]?.model.trim() ?? "?",
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
  };
}

async function runWorkload(w: WorkloadId, ctx: WorkloadContext): Promise<WorkloadOutcome> {
  switch (w) {
    case "W0":
      return { metrics: {}, notes: [] };
    case "W1":
      return runW1(ctx);
    case "W2":
      return runW2(ctx);
    case "W3":
      return runW3(ctx);
    case "W4":
      return runW4(ctx);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** Waits (bounded) until both benchmark CPUs are less than 25% busy over one second. */
async function waitQuiet(o: Options): Promise<{ ok: boolean; waitedMs: number; loadPct: number }> {
  const cpus = [singleCpu(o.serverCpus), singleCpu(o.genCpus)].filter((c): c is number => c !== undefined);
  const t0 = performance.now();
  let load = 0;
  do {
    const a = cpus.map((c) => cpuTimes(c));
    await sleep(1000);
    const b = cpus.map((c) => cpuTimes(c));
    load = Math.max(0, ...cpus.map((_, i) => {
      const x = a[i];
      const y = b[i];
      return x && y && y.totalMs > x.totalMs ? ((y.busyMs - x.busyMs) / (y.totalMs - x.totalMs)) * 100 : 0;
    }));
    if (load < 25) return { ok: true, waitedMs: performance.now() - t0, loadPct: load };
  } while (performance.now() - t0 < o.quietWaitMs);
  return { ok: o.quietWaitMs === 0, waitedMs: performance.now() - t0, loadPct: load };
}

interface LoadSample {
  t: number;
  serverCpu: { busyMs: number; totalMs: number } | undefined;
  genCpu: { busyMs: number; totalMs: number } | undefined;
  server: number;
  gen: number;
}

function sampleLoad(o: Options, server: StartedServer, pool: WorkerPool): LoadSample {
  const s = singleCpu(o.serverCpus);
  const g = singleCpu(o.genCpus);
  return {
    t: performance.now(),
    serverCpu: s === undefined ? undefined : cpuTimes(s),
    genCpu: g === undefined ? undefined : cpuTimes(g),
    server: usage(server.pids()).cpuMs,
    gen: usage([...pool.pids(), process.pid]).cpuMs,
  };
}

/** CPU time other processes took on the server's and the generator's CPU, as % of wall time. */
function foreignLoad(a: LoadSample, b: LoadSample): RunRecord["foreignCpu"] {
  const wall = b.t - a.t;
  if (!a.serverCpu || !b.serverCpu || !a.genCpu || !b.genCpu || wall <= 0) return undefined;
  const pct = (busy: number, ours: number) => Math.max(0, ((busy - ours) / wall) * 100);
  return {
    serverCpuPct: pct(b.serverCpu.busyMs - a.serverCpu.busyMs, b.server - a.server),
    generatorCpuPct: pct(b.genCpu.busyMs - a.genCpu.busyMs, b.gen - a.gen),
  };
}

async function main(): Promise<number> {
  const started = Date.now();
  const o = parseOptions(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s] ${line}\n`);
  const notes: string[] = [];
  if (os.cpus().length < 2) notes.push("fewer than 2 CPUs: server and generator share a CPU");
  if (!pinSelf(o.genCpus)) notes.push(`could not pin the orchestrator to CPU ${o.genCpus}`);
  if (o.nice !== 0) {
    try {
      os.setPriority(o.nice);
    } catch {
      notes.push(`could not set this process's niceness to ${o.nice}`);
    }
  }

  const workDir = mkdtempSync(join(os.tmpdir(), "chatctl-bench-"));
  chmodSync(workDir, 0o755); // ejabberd runs as its own user and must reach its files
  log(`scratch directory ${workDir}`);
  const cert = makeCertificate(workDir, "bench.local");
  chmodSync(cert.key, 0o644);
  const env: BenchEnv = {
    workDir,
    repoDir: REPO_DIR,
    domain: "bench.local",
    mucDomain: "conference.bench.local",
    certFile: cert.cert,
    keyFile: cert.key,
    userPrefix: "u",
    userCount: accountsNeeded(o),
    password: "bench-password-1",
    serverCpus: o.serverCpus,
    nice: o.nice,
    archive: o.archive,
    cpuProfile: o.cpuProf,
    log,
  };

  // -- install and prepare each server; a server that cannot be prepared is reported, not fatal --
  const versions: Meta["versions"] = {};
  const broken = new Map<ServerName, string>();
  for (const name of o.servers) {
    const a = ADAPTERS[name];
    try {
      if (o.install || name === "chatctl") await a.ensureInstalled(env);
      versions[name] = a.version(env);
      log(`${name} ${versions[name]}: creating ${env.userCount} accounts`);
      await a.prepare(env);
    } catch (err) {
      broken.set(name, (err as Error).message);
      log(`${name}: cannot be benchmarked: ${(err as Error).message}`);
    }
  }

  let pool = WorkerPool.start(o.workers, o.genCpus, join(workDir, "workers.log"), o.nice);
  const runs: RunRecord[] = [];
  const profiles: ProfileSummary[] = [];
  let current: StartedServer | undefined;
  let interrupted = false;
  const onSignal = (sig: NodeJS.Signals) => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log(`${sig}: stopping after cleanup`);
    void (async () => {
      if (current) await current.stop().catch(() => undefined);
      await pool.stop();
      if (!o.keep) rmSync(workDir, { recursive: true, force: true });
      process.exit(130);
    })();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const deadline = started + o.maxMinutes * 60_000;
  const workloads = o.workloads.includes("W0") && o.workloads.length > 1 ? o.workloads.filter((w) => w !== "W0") : o.workloads;
  outer: for (let rep = 0; rep < o.plan.repeat; rep++) {
    // Rotate the server order each repetition, so no server always runs first (or last).
    const order = o.servers.map((_, i) => o.servers[(i + rep) % o.servers.length]!);
    for (const name of order) {
      for (const w of workloads) {
        if (Date.now() > deadline) {
          notes.push(`stopped early: --max-minutes ${o.maxMinutes} reached before repetition ${rep + 1} finished`);
          break outer;
        }
        const t0 = Date.now();
        const record: RunRecord = { server: name, rep, workload: w, startupMs: null, idleRssMb: null, outcome: { metrics: {}, notes: [] }, stopped: "", seconds: 0 };
        runs.push(record);
        const reason = broken.get(name);
        if (reason) {
          record.outcome.failure = `server could not be prepared: ${reason}`;
          continue;
        }
        const quiet = await waitQuiet(o);
        if (quiet.waitedMs > 1500 || !quiet.ok) {
          log(`  waited ${(quiet.waitedMs / 1000).toFixed(0)} s for the CPUs to calm down (other processes' load now ${quiet.loadPct.toFixed(0)}%${quiet.ok ? "" : ", still busy: running anyway"})`);
        }
        log(`rep ${rep + 1}/${o.plan.repeat} ${name} ${w}: starting server`);
        let server: StartedServer;
        try {
          server = await ADAPTERS[name].start(env, `${rep}-${w}`);
        } catch (err) {
          const [first, ...rest] = (err as Error).message.split("\n");
          record.outcome.failure = `server did not start: ${first}`;
          if (rest.length) record.logTail = rest.join("\n");
          log(`  ${record.outcome.failure}`);
          continue;
        }
        current = server;
        record.logFiles = server.logFiles;
        await sleep(o.plan.settleMs);
        const idle = usage(server.pids());
        if (o.workloads.includes("W0")) {
          record.startupMs = server.startupMs;
          record.idleRssMb = idle.rssKb / 1024;
        }
        log(`  up in ${server.startupMs.toFixed(0)} ms, idle RSS ${(idle.rssKb / 1024).toFixed(1)} MiB, pids ${server.pids().join(",")}`);
        const load0 = sampleLoad(o, server, pool);
        try {
          const ctx: WorkloadContext = { env, adapter: ADAPTERS[name], server, pool, plan: o.plan, rep, log };
          record.outcome = await withTimeout(runWorkload(w, ctx), 30 * 60_000, `${name} ${w}`);
        } catch (err) {
          record.outcome = { metrics: {}, notes: [], failure: (err as Error).message };
          // The workers may hold half-finished state: replace them.
          await pool.stop();
          pool = WorkerPool.start(o.workers, o.genCpus, join(workDir, "workers.log"), o.nice);
        }
        record.foreignCpu = foreignLoad(load0, sampleLoad(o, server, pool));
        if (record.foreignCpu && (record.foreignCpu.serverCpuPct > 25 || record.foreignCpu.generatorCpuPct > 25)) {
          record.outcome.notes.push(
            `${w}: other processes on this machine used ${record.foreignCpu.serverCpuPct.toFixed(0)}% of the server CPU and ${record.foreignCpu.generatorCpuPct.toFixed(0)}% of the generator CPU during the workload (repetition ${rep + 1}): figures are noisy`,
          );
        }
        if (record.outcome.failure) {
          log(`  ${name} ${w} FAILED: ${record.outcome.failure}`);
          record.logTail = server.logFiles.map((f) => `==> ${f} <==\n${tailFile(f, 30)}`).join("\n");
        }
        for (const [k, v] of Object.entries(record.outcome.metrics)) if (v !== null) log(`  ${k} = ${Number(v).toFixed(2)}`);
        record.stopped = await server.stop();
        current = undefined;
        record.seconds = (Date.now() - t0) / 1000;
        if (name === "chatctl" && o.cpuProf && w === "W3") {
          const profDir = join(server.dir, "cpu-prof");
          const files = existsSync(profDir) ? readdirSync(profDir).filter((f) => f.endsWith(".cpuprofile")) : [];
          for (const f of files) {
            try {
              profiles.push(summarizeProfile(join(profDir, f), buildDir(env)));
            } catch (err) {
              notes.push(`could not read CPU profile ${f}: ${(err as Error).message}`);
            }
          }
          if (files.length === 0) notes.push(`chatctl wrote no CPU profile in repetition ${rep + 1} (stop: ${record.stopped})`);
        }
        if (interrupted) break outer;
      }
    }
  }
  await pool.stop();

  // -- report --
  const metrics = metricCatalog(o.plan.w2.levels, o.plan.w4.sizes);
  const { summary, ratios } = buildSummary(runs, o.servers, metrics);
  const now = new Date();
  const date = now.toISOString().slice(0, 10);
  const mach = machine();
  const meta: Meta = {
    ...mach,
    date,
    node: process.versions.node,
    command: `node dist/bench/run.js ${process.argv.slice(2).join(" ")}`.trim(),
    serverCpus: o.serverCpus,
    generatorCpus: o.genCpus,
    workers: o.workers,
    nice: o.nice,
    archive: o.archive,
    versions,
    notes,
    durationMinutes: (Date.now() - started) / 60_000,
  };
  const results: Results = { meta, plan: o.plan, servers: o.servers, workloads: o.workloads, metrics, runs, summary, ratios, profiles };
  mkdirSync(o.outDir, { recursive: true });
  const stem = join(o.outDir, `${date}-${mach.host}${o.plan.quick ? "-quick" : ""}${o.label ? `-${o.label}` : ""}`);
  let base = stem;
  for (let i = 2; existsSync(`${base}.md`) || existsSync(`${base}.json`); i++) base = `${stem}-${i}`;
  writeFileSync(`${base}.json`, JSON.stringify(results, null, 1) + "\n");
  writeFileSync(`${base}.md`, renderMarkdown(results));
  log(`results: ${base}.md and ${base}.json`);
  process.stdout.write(readFileSync(`${base}.md`, "utf8"));

  if (o.keep) log(`kept ${workDir}`);
  else rmSync(workDir, { recursive: true, force: true });
  return runs.some((r) => r.outcome.failure) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(2);
  },
);
