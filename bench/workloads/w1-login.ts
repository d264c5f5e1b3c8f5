// W1: login rate. A closed loop of `inFlight` concurrent logins (TCP, STARTTLS, SCRAM-SHA-1,
// bind, initial presence, then the stream is closed) for a warm-up, then a measured window.
// Per-login latency is TCP connect → bind result; server CPU per login is the server's
// utime+stime over the window divided by the logins completed in it.
import type { LoginStartArgs } from "../lib/protocol.js";
import { usage } from "../lib/proc.js";
import { summarize } from "../lib/stats.js";
import { sleep, split, topErrors, type WorkloadContext, type WorkloadOutcome } from "./context.js";

export async function runW1(ctx: WorkloadContext): Promise<WorkloadOutcome> {
  const { env, pool, plan, server } = ctx;
  const { inFlight, warmupMs, durationMs } = plan.w1;
  const userCount = Math.min(env.userCount, inFlight * 4);
  const lanes = split(inFlight, pool.size);
  const perWorkerUsers = split(userCount, pool.size);
  let first = 0;
  const args: LoginStartArgs[] = lanes.map((n, i) => {
    const users = Array.from({ length: perWorkerUsers[i]! }, (_, k) => `${env.userPrefix}${first + k}`);
    first += perWorkerUsers[i]!;
    return { ep: server.ep, users, password: env.password, inFlight: n, timeoutMs: 30_000, presence: true };
  });
  await pool.all((i) => ({ op: "login-start", args: args[i]! }), 10_000);
  let stopped = false;
  try {
    await sleep(warmupMs);
    await pool.resetStats();
    const u0 = usage(server.pids());
    await sleep(durationMs);
    const s = await pool.stats();
    const u1 = usage(server.pids());
    await pool.all(() => ({ op: "login-stop", args: {} }), 60_000);
    stopped = true;

    const seconds = s.wallMs / 1000;
    const lat = summarize(s.latencies);
    const outcome: WorkloadOutcome = {
      metrics: {
        "w1.logins_per_s": s.ok / seconds,
        "w1.login_p50_ms": s.ok ? lat.p50 : null,
        "w1.login_p99_ms": s.ok ? lat.p99 : null,
        "w1.cpu_ms_per_login": s.ok ? (u1.cpuMs - u0.cpuMs) / s.ok : null,
        "w1.failed": s.failed,
        "w1.gen_cpu": s.cpuShare * 100,
      },
      notes: [],
    };
    if (s.failed > 0) outcome.notes.push(`W1 failures: ${topErrors(s.errors)}`);
    if (s.ok === 0) outcome.failure = `no login succeeded in ${durationMs} ms: ${topErrors(s.errors) || "no error recorded"}`;
    if (s.maxWorkerCpuShare > 0.9) outcome.notes.push(`W1: the generator was busy ${(s.maxWorkerCpuShare * 100).toFixed(0)}% of the time: the rate may be generator-bound`);
    return outcome;
  } finally {
    if (!stopped) await pool.all(() => ({ op: "login-stop", args: {} }), 60_000).catch(() => undefined);
  }
}
