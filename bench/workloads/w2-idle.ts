// W2: idle authenticated sessions. Sessions (logged in, bound, available presence) are added in
// steps up to each level; after a settle period the server's RSS is read. RSS per session is
// (RSS at level − idle RSS before the first session) / level, so it includes everything a session
// costs: socket buffers, TLS state, parser, session objects, allocator slack.
import type { ConnectArgs, ConnectResult } from "../lib/protocol.js";
import { usage } from "../lib/proc.js";
import { sleep, split, topErrors, type Metrics, type WorkloadContext, type WorkloadOutcome } from "./context.js";

const TAG = "w2";

export async function runW2(ctx: WorkloadContext): Promise<WorkloadOutcome> {
  const { env, pool, plan, server, log } = ctx;
  const metrics: Metrics = {};
  const notes: string[] = [];
  const base = usage(server.pids());
  let connected = 0;
  let failed = 0;
  let setupMs = 0;
  let failure: string | undefined;
  try {
    for (const level of plan.w2.levels) {
      if (level > env.userCount) {
        notes.push(`W2 level ${level} skipped: only ${env.userCount} accounts`);
        continue;
      }
      const need = level - connected;
      const shares = split(need, pool.size);
      let next = connected;
      const args: ConnectArgs[] = shares.map((n) => {
        const users = Array.from({ length: n }, (_, k) => `${env.userPrefix}${next + k}`);
        const a: ConnectArgs = {
          ep: server.ep,
          tag: TAG,
          users,
          password: env.password,
          concurrency: Math.max(1, Math.ceil(plan.w2.concurrency / pool.size)),
          timeoutMs: 60_000,
          presence: true,
          firstIndex: next,
        };
        next += n;
        return a;
      });
      const t0 = performance.now();
      const results = await pool.all<ConnectResult>((i) => ({ op: "connect", args: args[i]! }), 30 * 60_000);
      setupMs += performance.now() - t0;
      const ok = results.reduce((a, r) => a + r.ok, 0);
      const bad = results.reduce((a, r) => a + r.failed, 0);
      connected += ok;
      failed += bad;
      if (bad > 0) {
        const errors: Record<string, number> = {};
        for (const r of results) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
        notes.push(`W2 at ${level}: ${bad} sessions failed: ${topErrors(errors)}`);
      }
      log(`  W2: ${connected} sessions up (${bad} failed), settling`);
      await pool.resetStats();
      const c0 = usage(server.pids());
      await sleep(plan.w2.settleMs);
      const u = usage(server.pids());
      const s = await pool.stats();
      if (s.dropped > 0) {
        failed += s.dropped;
        connected -= s.dropped;
        notes.push(`W2 at ${level}: the server closed ${s.dropped} idle sessions: ${topErrors(s.errors)}`);
      }
      metrics[`w2.rss_mb.${level}`] = u.rssKb / 1024;
      metrics[`w2.kib_per_conn.${level}`] = connected > 0 ? (u.rssKb - base.rssKb) / connected : null;
      metrics["w2.idle_cpu_pct"] = ((u.cpuMs - c0.cpuMs) / plan.w2.settleMs) * 100;
      if (connected < level * 0.95) {
        failure = `only ${connected} of ${level} sessions established or kept`;
        break;
      }
    }
  } finally {
    await pool.all(() => ({ op: "close", args: { tag: TAG } }), 5 * 60_000).catch((e: Error) => notes.push(`W2 close: ${e.message}`));
  }
  metrics["w2.connect_per_s"] = setupMs > 0 ? (connected + failed) / (setupMs / 1000) : null;
  metrics["w2.failed"] = failed;
  return { metrics, notes, ...(failure ? { failure } : {}) };
}
