// W3: one-to-one messages between pairs of available sessions, 64-byte bodies.
//  - saturation: every session keeps `window` messages in flight to its partner (closed loop);
//    throughput = messages delivered per second in the measured window;
//  - fixed rate: `rate` messages per second offered in total, open loop on a 2 ms timer; latency is
//    receive time − intended send time (no coordinated omission); lost = sent − received after a
//    drain period.
import type { ConnectArgs, ConnectResult, DrainResult } from "../lib/protocol.js";
import { mergeErrors } from "../lib/pool.js";
import { usage } from "../lib/proc.js";
import { summarize } from "../lib/stats.js";
import { sleep, split, topErrors, type Metrics, type WorkloadContext, type WorkloadOutcome } from "./context.js";

const TAG = "w3";

export async function runW3(ctx: WorkloadContext): Promise<WorkloadOutcome> {
  const { env, pool, plan, server, log } = ctx;
  const p = plan.w3;
  const metrics: Metrics = {};
  const notes: string[] = [];
  const clients = Math.min(p.pairs * 2, env.userCount - (env.userCount % 2));
  const shares = split(clients, pool.size, 2);
  let next = 0;
  const args: ConnectArgs[] = shares.map((n) => {
    const a: ConnectArgs = {
      ep: server.ep,
      tag: TAG,
      users: Array.from({ length: n }, (_, k) => `${env.userPrefix}${next + k}`),
      password: env.password,
      concurrency: 20,
      timeoutMs: 60_000,
      presence: true,
      firstIndex: next,
    };
    next += n;
    return a;
  });
  try {
    const conn = await pool.all<ConnectResult>((i) => ({ op: "connect", args: args[i]! }), 10 * 60_000);
    const bad = conn.reduce((a, r) => a + r.failed, 0);
    if (bad > 0) {
      const errors: Record<string, number> = {};
      for (const r of conn) mergeErrors(errors, r.errors);
      return { metrics, notes, failure: `${bad} of ${clients} W3 sessions could not log in: ${topErrors(errors)}` };
    }
    await sleep(1000); // let initial presence settle

    // -- saturation --
    log(`  W3: saturation, ${clients / 2} pairs, window ${p.window} per session`);
    await pool.all(() => ({ op: "chat-start", args: { tag: TAG, mode: "window", window: p.window, rate: 0, to: p.to, bodyBytes: p.bodyBytes } }), 30_000);
    await sleep(p.warmupMs);
    await pool.resetStats();
    const u0 = usage(server.pids());
    await sleep(p.durationMs);
    const sat = await pool.stats();
    const u1 = usage(server.pids());
    const satDrain = await pool.all<DrainResult>(() => ({ op: "chat-stop", args: { tag: TAG, drainMs: p.drainMs } }), p.drainMs + 60_000);
    const satSeconds = sat.wallMs / 1000;
    metrics["w3.sat_msgs_per_s"] = sat.received / satSeconds;
    metrics["w3.sat_cpu_us_per_msg"] = sat.received > 0 ? ((u1.cpuMs - u0.cpuMs) * 1000) / sat.received : null;
    metrics["w3.sat_p50_ms"] = sat.received > 0 ? summarize(sat.latencies).p50 : null;
    metrics["w3.sat_gen_cpu"] = sat.cpuShare * 100;
    if (sat.maxWorkerCpuShare > 0.9) {
      notes.push(`W3 saturation: the generator was busy ${(sat.maxWorkerCpuShare * 100).toFixed(0)}% of the time: throughput may be generator-bound`);
    }
    const satLost = satDrain.reduce((a, r) => a + r.lost, 0);
    const satErrored = satDrain.reduce((a, r) => a + r.errored, 0);
    if (satLost > 0 || satErrored > 0) {
      notes.push(`W3 saturation: ${satLost} messages not delivered after ${p.drainMs} ms drain, ${satErrored} bounced: ${topErrors(sat.errors)}`);
    }
    if (sat.received === 0) return { metrics, notes, failure: `no message delivered at saturation: ${topErrors(sat.errors) || "nothing received"}` };

    // -- fixed rate --
    log(`  W3: fixed rate ${p.rate} msg/s for ${p.rateDurationMs / 1000} s`);
    const rates = split(p.rate, pool.size);
    await pool.all((i) => ({ op: "chat-start", args: { tag: TAG, mode: "rate", window: 0, rate: rates[i]!, to: p.to, bodyBytes: p.bodyBytes } }), 30_000);
    await sleep(1000);
    await pool.resetStats();
    const r0 = usage(server.pids());
    await sleep(p.rateDurationMs);
    const rate = await pool.stats();
    const r1 = usage(server.pids());
    const drain = await pool.all<DrainResult>(() => ({ op: "chat-stop", args: { tag: TAG, drainMs: p.drainMs } }), p.drainMs + 60_000);
    const lat = summarize(rate.latencies);
    const lost = drain.reduce((a, r) => a + r.lost, 0);
    const errored = drain.reduce((a, r) => a + r.errored, 0);
    const dupes = drain.reduce((a, r) => a + r.dupes, 0);
    metrics["w3.rate_p50_ms"] = rate.received ? lat.p50 : null;
    metrics["w3.rate_p99_ms"] = rate.received ? lat.p99 : null;
    metrics["w3.rate_p999_ms"] = rate.received ? lat.p999 : null;
    metrics["w3.rate_delivered_per_s"] = rate.received / (rate.wallMs / 1000);
    metrics["w3.rate_lost"] = lost;
    metrics["w3.rate_cpu_pct"] = ((r1.cpuMs - r0.cpuMs) / rate.wallMs) * 100;
    if (lost > 0 || errored > 0 || dupes > 0) {
      notes.push(`W3 fixed rate: ${lost} lost, ${errored} bounced, ${dupes} duplicated/reordered${topErrors(rate.errors) ? `: ${topErrors(rate.errors)}` : ""}`);
    }
    if (rate.maxWorkerCpuShare > 0.9) notes.push("W3 fixed rate: the generator was saturated, latencies include generator queueing");
    return { metrics, notes };
  } finally {
    await pool.all(() => ({ op: "close", args: { tag: TAG } }), 5 * 60_000).catch((e: Error) => notes.push(`W3 close: ${e.message}`));
  }
}
