// The orchestrator's side of the load-generator workers: spawns them pinned to the generator CPU
// with a raised descriptor limit, sends operations, merges their statistics.
import { spawn, type ChildProcess } from "node:child_process";
import { openSync, closeSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { launchArgv } from "./proc.js";
import type { Op, Reply, WorkerStats } from "./protocol.js";

const WORKER_SCRIPT = fileURLToPath(new URL("./worker.js", import.meta.url));

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

class Worker {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  exited = false;

  constructor(
    readonly index: number,
    readonly child: ChildProcess,
  ) {
    child.on("message", (msg: Reply) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new Error(`worker ${index}: ${msg.error}`));
    });
    child.on("exit", (code, signal) => {
      this.exited = true;
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error(`worker ${index} exited (${signal ?? code})`));
      }
      this.pending.clear();
    });
  }

  call<T>(op: Op, timeoutMs: number): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`worker ${this.index} is gone`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`worker ${this.index}: ${op.op} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.child.send({ ...op, id });
    });
  }
}

export class WorkerPool {
  private constructor(private readonly workers: Worker[]) {}

  /** Starts `count` workers pinned to `cpus`; their stderr goes to `logFile`. */
  static start(count: number, cpus: string, logFile: string, nice = 0): WorkerPool {
    const workers: Worker[] = [];
    for (let i = 0; i < count; i++) {
      const fd = openSync(logFile, "a");
      const [cmd, ...args] = launchArgv(cpus, nice, [process.execPath, "--max-old-space-size=6144", WORKER_SCRIPT]);
      const child = spawn(cmd!, args, { stdio: ["ignore", fd, fd, "ipc"], env: { ...process.env, NODE_OPTIONS: "", BENCH_WORKER_ID: String(i) } });
      closeSync(fd);
      workers.push(new Worker(i, child));
    }
    return new WorkerPool(workers);
  }

  /** PIDs of the worker processes (taskset and bash exec into node, so the spawned PID is node's). */
  pids(): number[] {
    return this.workers.filter((w) => !w.exited && w.child.pid !== undefined).map((w) => w.child.pid!);
  }

  get size(): number {
    return this.workers.length;
  }

  call<T>(worker: number, op: Op, timeoutMs: number): Promise<T> {
    return this.workers[worker]!.call<T>(op, timeoutMs);
  }

  /** The same kind of operation on every worker at once; `op(i)` builds worker i's request. */
  all<T>(op: (i: number) => Op, timeoutMs: number): Promise<T[]> {
    return Promise.all(this.workers.map((w, i) => w.call<T>(op(i), timeoutMs)));
  }

  async resetStats(): Promise<void> {
    await this.all(() => ({ op: "stats-reset", args: {} }), 10_000);
  }

  async stats(): Promise<MergedStats> {
    return mergeStats(await this.all<WorkerStats>(() => ({ op: "stats", args: {} }), 60_000));
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.call({ op: "exit", args: {} }, 5000)));
    for (const w of this.workers) if (!w.exited) w.child.kill("SIGKILL");
  }
}

export interface MergedStats extends Omit<WorkerStats, "cpuMs" | "wallMs"> {
  /** Generator CPU summed over workers, and the longest wall time. */
  cpuMs: number;
  wallMs: number;
  /** Generator CPU as a share of one CPU over the wall time (1.0 = one core saturated). */
  cpuShare: number;
  /** The busiest single worker's CPU share: near 1.0 means that worker was the limit. */
  maxWorkerCpuShare: number;
}

export function mergeErrors(into: Record<string, number>, from: Record<string, number>): Record<string, number> {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
  return into;
}

export function mergeStats(list: WorkerStats[]): MergedStats {
  const out: MergedStats = {
    ok: 0,
    failed: 0,
    sent: 0,
    received: 0,
    errors: {},
    latencies: [],
    dropped: 0,
    cpuMs: 0,
    wallMs: 0,
    cpuShare: 0,
    maxWorkerCpuShare: 0,
  };
  for (const s of list) {
    out.ok += s.ok;
    out.failed += s.failed;
    out.sent += s.sent;
    out.received += s.received;
    out.dropped += s.dropped;
    mergeErrors(out.errors, s.errors);
    for (const v of s.latencies) out.latencies.push(v);
    out.cpuMs += s.cpuMs;
    out.wallMs = Math.max(out.wallMs, s.wallMs);
    out.maxWorkerCpuShare = Math.max(out.maxWorkerCpuShare, s.wallMs > 0 ? s.cpuMs / s.wallMs : 0);
  }
  out.cpuShare = out.wallMs > 0 ? out.cpuMs / out.wallMs : 0;
  return out;
}
