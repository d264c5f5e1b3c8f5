// What every workload receives, and what it returns.
import type { Adapter, BenchEnv, StartedServer } from "../adapters/types.js";
import type { WorkerPool } from "../lib/pool.js";

export type WorkloadId = "W0" | "W1" | "W2" | "W3" | "W4";
export const WORKLOAD_IDS: readonly WorkloadId[] = ["W0", "W1", "W2", "W3", "W4"];

/** Sizes and durations; `--quick` shrinks them. */
export interface Plan {
  quick: boolean;
  repeat: number;
  settleMs: number;
  w1: { inFlight: number; warmupMs: number; durationMs: number };
  w2: { levels: number[]; concurrency: number; settleMs: number };
  w3: { pairs: number; window: number; warmupMs: number; durationMs: number; rate: number; rateDurationMs: number; drainMs: number; to: "bare" | "full"; bodyBytes: number };
  w4: { sizes: number[]; senders: number; deliveriesPerSecond: number; window: number; warmupMs: number; durationMs: number; rateDurationMs: number; drainMs: number; bodyBytes: number };
}

export interface WorkloadContext {
  env: BenchEnv;
  adapter: Adapter;
  server: StartedServer;
  pool: WorkerPool;
  plan: Plan;
  /** Which repetition (0-based): used to make room names unique. */
  rep: number;
  log: (line: string) => void;
}

/** Metric key → value (null when not measured). */
export type Metrics = Record<string, number | null>;

export interface WorkloadOutcome {
  metrics: Metrics;
  /** Set when the workload could not be completed: what failed. */
  failure?: string;
  /** Set when the server lacks the feature (e.g. no MUC yet). */
  unavailable?: string;
  notes: string[];
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Splits `total` into `parts` near-equal integers. */
export function split(total: number, parts: number, multipleOf = 1): number[] {
  const units = Math.floor(total / multipleOf);
  const base = Math.floor(units / parts);
  const extra = units % parts;
  return Array.from({ length: parts }, (_, i) => (base + (i < extra ? 1 : 0)) * multipleOf);
}

/** The most frequent error texts, for a failure line. */
export function topErrors(errors: Record<string, number>, n = 3): string {
  return Object.entries(errors)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${v}× ${k}`)
    .join("; ");
}
