// The catalog of reported figures: key, label, unit, and which direction is better. The report
// prints rows in this order; workloads fill values by key.
import type { WorkloadId } from "../workloads/context.js";

export interface MetricDef {
  key: string;
  workload: WorkloadId;
  label: string;
  unit: string;
  /** "info" rows are context (e.g. generator load), not a score. */
  better: "higher" | "lower" | "info";
  digits: number;
}

const defs: MetricDef[] = [];
function def(workload: WorkloadId, key: string, label: string, unit: string, better: MetricDef["better"], digits = 1): void {
  defs.push({ key, workload, label, unit, better, digits });
}

export function metricCatalog(w2Levels: readonly number[], w4Sizes: readonly number[]): MetricDef[] {
  defs.length = 0;
  def("W0", "w0.startup_ms", "startup: spawn → stream features", "ms", "lower", 0);
  def("W0", "w0.idle_rss_mb", "idle RSS after start (with the bench accounts)", "MiB", "lower", 1);

  def("W1", "w1.logins_per_s", "login rate, closed loop", "logins/s", "higher", 0);
  def("W1", "w1.login_p50_ms", "login latency p50 (TCP → bound)", "ms", "lower", 1);
  def("W1", "w1.login_p99_ms", "login latency p99", "ms", "lower", 1);
  def("W1", "w1.cpu_ms_per_login", "server CPU per login (incl. TLS, close)", "ms", "lower", 2);
  def("W1", "w1.failed", "failed logins", "count", "lower", 0);
  def("W1", "w1.gen_cpu", "generator CPU during W1", "% of a core", "info", 0);

  for (const n of w2Levels) {
    def("W2", `w2.rss_mb.${n}`, `RSS with ${n} idle sessions`, "MiB", "lower", 1);
    def("W2", `w2.kib_per_conn.${n}`, `RSS per session at ${n} (above idle)`, "KiB", "lower", 1);
  }
  const top = w2Levels[w2Levels.length - 1];
  if (top !== undefined) {
    def("W2", "w2.connect_per_s", `session setup rate while filling to ${top}`, "sessions/s", "higher", 0);
    def("W2", "w2.idle_cpu_pct", `server CPU while ${top} sessions idle`, "% of a core", "lower", 2);
    def("W2", "w2.failed", "sessions that failed or dropped", "count", "lower", 0);
  }

  def("W3", "w3.sat_msgs_per_s", "1:1 saturation throughput (delivered)", "msg/s", "higher", 0);
  def("W3", "w3.sat_cpu_us_per_msg", "server CPU per message at saturation", "µs", "lower", 1);
  def("W3", "w3.sat_p50_ms", "latency p50 at saturation (≈ messages in flight ÷ throughput)", "ms", "info", 1);
  def("W3", "w3.sat_gen_cpu", "generator CPU at saturation", "% of a core", "info", 0);
  def("W3", "w3.rate_p50_ms", "latency p50 at fixed rate", "ms", "lower", 2);
  def("W3", "w3.rate_p99_ms", "latency p99 at fixed rate", "ms", "lower", 2);
  def("W3", "w3.rate_p999_ms", "latency p99.9 at fixed rate", "ms", "lower", 2);
  def("W3", "w3.rate_delivered_per_s", "delivered at fixed rate", "msg/s", "higher", 0);
  def("W3", "w3.rate_lost", "lost messages at fixed rate", "count", "lower", 0);
  def("W3", "w3.rate_cpu_pct", "server CPU at fixed rate", "% of a core", "lower", 1);

  for (const n of w4Sizes) {
    def("W4", `w4.${n}.join_s`, `room of ${n}: all occupants joined`, "s", "lower", 2);
    def("W4", `w4.${n}.rate_p50_ms`, `room of ${n}: fan-out latency p50 at fixed rate`, "ms", "lower", 1);
    def("W4", `w4.${n}.rate_p99_ms`, `room of ${n}: fan-out latency p99 at fixed rate`, "ms", "lower", 1);
    def("W4", `w4.${n}.rate_lost`, `room of ${n}: lost deliveries at fixed rate`, "count", "lower", 0);
    def("W4", `w4.${n}.sat_deliveries_per_s`, `room of ${n}: saturation deliveries`, "deliveries/s", "higher", 0);
    def("W4", `w4.${n}.sat_cpu_us_per_delivery`, `room of ${n}: server CPU per delivery`, "µs", "lower", 2);
    def("W4", `w4.${n}.sat_gen_cpu`, `room of ${n}: generator CPU at saturation`, "% of a core", "info", 0);
  }
  return [...defs];
}
