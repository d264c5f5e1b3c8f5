// W4: groupchat fan-out (XEP-0045) in a room of N occupants. One occupant creates the room
// (instant room), the others join; then `senders` occupants
//  - at a fixed rate: send groupchat messages so that the server has `deliveriesPerSecond`
//    deliveries to make (messages/s × N); latency = receive − intended send time over all
//    occupants; lost = expected deliveries (messages × N, the sender's echo included) − received;
//  - at saturation: keep `window` messages each in flight (the echo to the sender closes the loop);
//    reported as deliveries per second.
// A server without a conference service (disco#info on the MUC domain) is "not yet available".
import type { ConnectArgs, ConnectResult, DrainResult } from "../lib/protocol.js";
import { mergeErrors } from "../lib/pool.js";
import { usage } from "../lib/proc.js";
import { attr } from "../lib/scan.js";
import { summarize } from "../lib/stats.js";
import { XmppConnection } from "../lib/xmpp.js";
import { sleep, split, topErrors, type Metrics, type WorkloadContext, type WorkloadOutcome } from "./context.js";

const TAG = "w4";

/** Asks the server whether env.mucDomain is a conference service; returns undefined if yes, else why not. */
async function mucMissing(ctx: WorkloadContext): Promise<string | undefined> {
  const { env, server } = ctx;
  const c = await XmppConnection.login(server.ep, {
    user: `${env.userPrefix}0`,
    password: env.password,
    resource: "disco",
    presence: false,
    timeoutMs: 30_000,
  });
  try {
    c.write(`<iq type='get' to='${env.mucDomain}' id='disco1'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`);
    for (;;) {
      const el = await c.nextElement(10_000);
      if (el.name !== "iq" || attr(el.xml, "id") !== "disco1") continue;
      if (attr(el.xml, "type") === "result" && /category=['"]conference['"]/.test(el.xml)) return undefined;
      const cond = /<([a-z-]+) xmlns=['"]urn:ietf:params:xml:ns:xmpp-stanzas['"]/.exec(el.xml)?.[1];
      return `no conference service on ${env.mucDomain} (disco#info: ${cond ?? attr(el.xml, "type") ?? "?"})`;
    }
  } catch (err) {
    return `no conference service on ${env.mucDomain} (${(err as Error).message})`;
  } finally {
    await c.close(2000);
  }
}

export async function runW4(ctx: WorkloadContext): Promise<WorkloadOutcome> {
  const { env, pool, plan, server, log } = ctx;
  const p = plan.w4;
  const metrics: Metrics = {};
  const notes: string[] = [];
  const missing = await mucMissing(ctx);
  if (missing !== undefined) {
    return { metrics, notes, unavailable: ctx.adapter.hasMuc ? missing : `not yet available (${missing})` };
  }
  const failures: string[] = [];
  for (const size of p.sizes) {
    if (size > env.userCount) {
      notes.push(`W4 room of ${size} skipped: only ${env.userCount} accounts`);
      continue;
    }
    try {
      await runRoom(ctx, size, metrics, notes);
    } catch (err) {
      failures.push(`room of ${size}: ${(err as Error).message}`);
      log(`  W4 room of ${size} failed: ${(err as Error).message}`);
    }
  }
  return { metrics, notes, ...(failures.length ? { failure: failures.join("; ") } : {}) };
}

async function runRoom(ctx: WorkloadContext, size: number, metrics: Metrics, notes: string[]): Promise<void> {
  const { env, pool, plan, server, log } = ctx;
  const p = plan.w4;
  const shares = split(size, pool.size);
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
  const room = `bench-r${ctx.rep}-n${size}-${Date.now().toString(36)}@${env.mucDomain}`;
  try {
    const conn = await pool.all<ConnectResult>((i) => ({ op: "connect", args: args[i]! }), 10 * 60_000);
    const bad = conn.reduce((a, r) => a + r.failed, 0);
    if (bad > 0) {
      const errors: Record<string, number> = {};
      for (const r of conn) mergeErrors(errors, r.errors);
      throw new Error(`${bad} of ${size} sessions could not log in: ${topErrors(errors)}`);
    }
    type Joined = { joined: number; failed: number; errors: Record<string, number>; created: boolean; wallMs: number };
    const t0 = performance.now();
    const owner = await pool.call<Joined>(0, { op: "muc-join", args: { tag: TAG, room, from: 0, to: 1, concurrency: 1, timeoutMs: 30_000, configure: true } }, 60_000);
    if (owner.joined !== 1) throw new Error(`the room could not be created: ${topErrors(owner.errors)}`);
    const rest = await pool.all<Joined>(
      (i) => ({ op: "muc-join", args: { tag: TAG, room, from: i === 0 ? 1 : 0, to: shares[i]!, concurrency: 10, timeoutMs: 120_000, configure: false } }),
      10 * 60_000,
    );
    const joinS = (performance.now() - t0) / 1000;
    const failedJoins = rest.reduce((a, r) => a + r.failed, 0);
    if (failedJoins > 0) {
      const errors: Record<string, number> = {};
      for (const r of rest) mergeErrors(errors, r.errors);
      throw new Error(`${failedJoins} of ${size} occupants could not join: ${topErrors(errors)}`);
    }
    metrics[`w4.${size}.join_s`] = joinS;
    await sleep(1000);

    const senders = Math.min(p.senders, size);
    const senderShares = split(senders, pool.size).map((n, i) => Math.min(n, shares[i]!));
    const msgRate = p.deliveriesPerSecond / size;

    // -- fixed rate --
    log(`  W4 room of ${size}: ${msgRate.toFixed(1)} msg/s (${p.deliveriesPerSecond} deliveries/s) for ${p.rateDurationMs / 1000} s`);
    const rateShares = senderShares.map((n) => (msgRate * n) / senders);
    await pool.all((i) => ({ op: "muc-start", args: { tag: TAG, room, mode: "rate", senders: senderShares[i]!, window: 0, rate: rateShares[i]!, bodyBytes: p.bodyBytes } }), 30_000);
    await pool.resetStats();
    await sleep(p.rateDurationMs);
    const rate = await pool.stats();
    const sentRate = (await pool.all<{ sent: number }>(() => ({ op: "muc-stop-send", args: { tag: TAG } }), 30_000)).reduce((a, r) => a + r.sent, 0);
    const rateDrain = await pool.all<DrainResult>(() => ({ op: "muc-drain", args: { tag: TAG, expectedPerClient: sentRate, drainMs: p.drainMs } }), p.drainMs + 60_000);
    const lat = summarize(rate.latencies);
    metrics[`w4.${size}.rate_p50_ms`] = rate.received ? lat.p50 : null;
    metrics[`w4.${size}.rate_p99_ms`] = rate.received ? lat.p99 : null;
    const lost = rateDrain.reduce((a, r) => a + r.lost, 0);
    metrics[`w4.${size}.rate_lost`] = lost;
    if (lost > 0) notes.push(`W4 room of ${size}, fixed rate: ${lost} of ${sentRate * size} deliveries missing${topErrors(rate.errors) ? `: ${topErrors(rate.errors)}` : ""}`);
    if (sentRate === 0) throw new Error("no groupchat message was sent");

    // -- saturation --
    log(`  W4 room of ${size}: saturation, ${senders} senders × window ${p.window}`);
    await pool.all((i) => ({ op: "muc-start", args: { tag: TAG, room, mode: "window", senders: senderShares[i]!, window: p.window, rate: 0, bodyBytes: p.bodyBytes } }), 30_000);
    await sleep(p.warmupMs);
    await pool.resetStats();
    const u0 = usage(server.pids());
    await sleep(p.durationMs);
    const sat = await pool.stats();
    const u1 = usage(server.pids());
    const sentSat = (await pool.all<{ sent: number }>(() => ({ op: "muc-stop-send", args: { tag: TAG } }), 30_000)).reduce((a, r) => a + r.sent, 0);
    const satDrain = await pool.all<DrainResult>(() => ({ op: "muc-drain", args: { tag: TAG, expectedPerClient: sentSat, drainMs: p.drainMs } }), p.drainMs + 60_000);
    metrics[`w4.${size}.sat_deliveries_per_s`] = sat.received / (sat.wallMs / 1000);
    metrics[`w4.${size}.sat_cpu_us_per_delivery`] = sat.received ? ((u1.cpuMs - u0.cpuMs) * 1000) / sat.received : null;
    metrics[`w4.${size}.sat_gen_cpu`] = sat.cpuShare * 100;
    const satLost = satDrain.reduce((a, r) => a + r.lost, 0);
    if (satLost > 0) notes.push(`W4 room of ${size}, saturation: ${satLost} deliveries still missing after ${p.drainMs} ms drain`);
    if (sat.maxWorkerCpuShare > 0.9) notes.push(`W4 room of ${size}: the generator was busy ${(sat.maxWorkerCpuShare * 100).toFixed(0)}% at saturation: deliveries/s is generator-bound`);
  } finally {
    await pool.all(() => ({ op: "close", args: { tag: TAG } }), 5 * 60_000).catch((e: Error) => notes.push(`W4 close: ${e.message}`));
  }
}
