// Turns the raw records of a run into the result table (Markdown) and a JSON document: per figure
// and server the median and min–max over repetitions, and the ratio chatctl/peer of the medians.
import type { ServerName } from "../adapters/types.js";
import type { Plan, WorkloadId, WorkloadOutcome } from "../workloads/context.js";
import type { MetricDef } from "./metrics.js";
import type { ProfileSummary } from "./profile.js";
import { spread, type Spread } from "./stats.js";

export interface RunRecord {
  server: ServerName;
  rep: number;
  workload: WorkloadId;
  startupMs: number | null;
  idleRssMb: number | null;
  outcome: WorkloadOutcome;
  stopped: string;
  /** Last lines of the server log when the workload failed. */
  logTail?: string;
  logFiles?: string[];
  seconds: number;
  /** CPU used by processes other than the server (on its CPU) and the generator (on its CPU) during the workload, % of wall time. */
  foreignCpu?: { serverCpuPct: number; generatorCpuPct: number };
}

export interface Meta {
  date: string;
  host: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  command: string;
  serverCpus: string;
  generatorCpus: string;
  workers: number;
  nice: number;
  archive: boolean;
  versions: Partial<Record<ServerName, string>>;
  notes: string[];
  durationMinutes: number;
}

export interface Results {
  meta: Meta;
  plan: Plan;
  servers: ServerName[];
  workloads: WorkloadId[];
  metrics: MetricDef[];
  runs: RunRecord[];
  summary: Record<string, Partial<Record<ServerName, Spread | null>>>;
  ratios: Record<string, { prosody?: number | null; ejabberd?: number | null }>;
  profiles: ProfileSummary[];
}

const LABEL: Record<ServerName, string> = { chatctl: "chatctl", prosody: "Prosody", ejabberd: "ejabberd" };

export function values(runs: readonly RunRecord[], server: ServerName, m: MetricDef): number[] {
  const out: number[] = [];
  for (const r of runs) {
    if (r.server !== server) continue;
    if (m.key === "w0.startup_ms" && r.startupMs !== null) out.push(r.startupMs);
    else if (m.key === "w0.idle_rss_mb" && r.idleRssMb !== null) out.push(r.idleRssMb);
    else if (r.workload === m.workload) {
      const v = r.outcome.metrics[m.key];
      if (typeof v === "number" && Number.isFinite(v)) out.push(v);
    }
  }
  return out;
}

export function buildSummary(runs: readonly RunRecord[], servers: readonly ServerName[], metrics: readonly MetricDef[]) {
  const summary: Results["summary"] = {};
  const ratios: Results["ratios"] = {};
  for (const m of metrics) {
    const row: Partial<Record<ServerName, Spread | null>> = {};
    for (const s of servers) row[s] = spread(values(runs, s, m)) ?? null;
    summary[m.key] = row;
    const c = row.chatctl?.median;
    const ratio = (peer: ServerName) => {
      const p = row[peer]?.median;
      if (c === undefined || p === undefined) return null;
      if (p === 0) return c === 0 ? 1 : null;
      return c / p;
    };
    ratios[m.key] = {
      ...(servers.includes("prosody") ? { prosody: ratio("prosody") } : {}),
      ...(servers.includes("ejabberd") ? { ejabberd: ratio("ejabberd") } : {}),
    };
  }
  return { summary, ratios };
}

function fmt(v: number, digits: number): string {
  if (!Number.isFinite(v)) return "–";
  const abs = Math.abs(v);
  const d = abs >= 1000 ? 0 : abs >= 100 ? Math.min(digits, 1) : digits;
  return v.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
}

/** Why a server has no value for a row: unavailable feature, failure, or not run. */
function missingReason(runs: readonly RunRecord[], server: ServerName, m: MetricDef, workloads: readonly WorkloadId[]): string {
  const relevant = runs.filter((r) => r.server === server && (r.workload === m.workload || m.workload === "W0"));
  if (!workloads.includes(m.workload) || relevant.length === 0) return "–";
  if (relevant.some((r) => r.outcome.unavailable?.startsWith("not yet available"))) return "not yet available";
  if (relevant.some((r) => r.outcome.unavailable)) return "n/a";
  if (relevant.some((r) => r.outcome.failure)) return "**FAILED**";
  return "–";
}

function cell(s: Spread | null | undefined, m: MetricDef, reason: string, failedReps: number): string {
  if (!s) return reason;
  const main = fmt(s.median, m.digits);
  const range = s.n > 1 ? ` (${fmt(s.min, m.digits)}–${fmt(s.max, m.digits)})` : "";
  return `${main}${range}${failedReps > 0 ? ` ⚠${failedReps}` : ""}`;
}

function ratioCell(r: number | null | undefined, m: MetricDef): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return "–";
  const text = `${r.toFixed(2)}×`;
  if (m.better === "info") return text;
  // Bold when chatctl is better than the peer.
  const better = m.better === "higher" ? r > 1 : r < 1;
  return better ? `**${text}**` : text;
}

export function renderMarkdown(res: Results): string {
  const { meta, plan, servers } = res;
  const out: string[] = [];
  const peers = servers.filter((s) => s !== "chatctl");
  const hasChatctl = servers.includes("chatctl");
  out.push(`# chatctl benchmark — ${meta.date} on ${meta.host}`);
  out.push("");
  out.push(`Command: \`${meta.command}\`${plan.quick ? " (**quick mode**: short runs, one repetition — for debugging, not for conclusions)" : ""}`);
  out.push("");
  out.push("| | |");
  out.push("|---|---|");
  out.push(`| machine | ${meta.cpu}, ${meta.cores} CPUs, ${meta.memoryGiB} GiB RAM, Linux ${meta.kernel} |`);
  out.push(
    `| pinning | servers on CPU ${meta.serverCpus}, load generator (${meta.workers} worker process${meta.workers > 1 ? "es" : ""}) on CPU ${meta.generatorCpus}${meta.nice ? `; both at nice ${meta.nice}` : ""} |`,
  );
  for (const s of servers) out.push(`| ${LABEL[s]} | ${meta.versions[s] ?? "?"} |`);
  out.push(
    `| message archive | ${meta.archive ? "**on** for every server (chatctl mam.defaultPolicy always, Prosody mod_mam, ejabberd mod_mam on Mnesia)" : "off for every server (chatctl mam.defaultPolicy never; Prosody and ejabberd without mod_mam)"} |`,
  );
  out.push(`| repetitions | ${plan.repeat} (each cell: median (min–max) over repetitions; W0 over every server start) |`);
  out.push(`| wall time | ${meta.durationMinutes.toFixed(1)} min |`);
  const fs = spread(res.runs.map((r) => r.foreignCpu?.serverCpuPct));
  const fg = spread(res.runs.map((r) => r.foreignCpu?.generatorCpuPct));
  if (fs && fg) {
    out.push(
      `| other processes' load | on the server CPU: median ${fs.median.toFixed(0)}% (max ${fs.max.toFixed(0)}%); on the generator CPU: median ${fg.median.toFixed(0)}% (max ${fg.max.toFixed(0)}%) of wall time during workloads |`,
    );
  }
  out.push("");
  out.push("Ratios are chatctl ÷ peer of the medians from this same run; **bold** where chatctl is better");
  out.push("(↑ higher is better, ↓ lower is better). ⚠n: n repetitions of that workload failed for that server (see Failures).");
  out.push("");
  const header = ["Figure", "unit", ...servers.map((s) => LABEL[s]), ...(hasChatctl ? peers.map((p) => `chatctl/${LABEL[p]}`) : [])];
  let currentWorkload: string | undefined;
  for (const m of res.metrics) {
    if (!res.workloads.includes(m.workload)) continue;
    if (m.workload !== currentWorkload) {
      currentWorkload = m.workload;
      out.push("");
      out.push(`### ${workloadTitle(m.workload, plan)}`);
      out.push("");
      out.push(`| ${header.join(" | ")} |`);
      out.push(`|${header.map((_, i) => (i < 2 ? "---" : "---:")).join("|")}|`);
    }
    const arrow = m.better === "higher" ? " ↑" : m.better === "lower" ? " ↓" : "";
    const cells = servers.map((s) => {
      const failedReps = res.runs.filter((r) => r.server === s && r.workload === m.workload && r.outcome.failure).length;
      return cell(res.summary[m.key]?.[s], m, missingReason(res.runs, s, m, res.workloads), m.workload === "W0" ? 0 : failedReps);
    });
    const ratios = hasChatctl ? peers.map((p) => ratioCell(res.ratios[m.key]?.[p as "prosody" | "ejabberd"], m)) : [];
    out.push(`| ${m.label}${arrow} | ${m.unit} | ${cells.join(" | ")} | ${ratios.join(" | ")}${ratios.length ? " |" : ""}`);
  }
  out.push("");

  const failed = res.runs.filter((r) => r.outcome.failure || r.outcome.unavailable);
  if (failed.length) {
    out.push("## Failures and unavailable features");
    out.push("");
    for (const r of failed) {
      const what = r.outcome.failure ? `FAILED: ${r.outcome.failure}` : r.outcome.unavailable;
      out.push(`- **${LABEL[r.server]} ${r.workload}** (repetition ${r.rep + 1}): ${what}`);
      if (r.logTail && r.outcome.failure) {
        out.push("");
        out.push("  <details><summary>server log (last lines)</summary>");
        out.push("");
        out.push("  ```");
        for (const line of r.logTail.split("\n")) out.push(`  ${line}`);
        out.push("  ```");
        out.push("  </details>");
        out.push("");
      }
    }
    out.push("");
  }

  const notes = new Map<string, number>();
  for (const r of res.runs) for (const n of r.outcome.notes) notes.set(`${LABEL[r.server]}: ${n}`, (notes.get(`${LABEL[r.server]}: ${n}`) ?? 0) + 1);
  if (notes.size || meta.notes.length) {
    out.push("## Notes from the run");
    out.push("");
    for (const n of meta.notes) out.push(`- ${n}`);
    for (const [n, count] of notes) out.push(`- ${n}${count > 1 ? ` (${count}×)` : ""}`);
    out.push("");
  }

  if (res.profiles.length) {
    out.push("## chatctl CPU profile during W3 (node --cpu-prof, self time)");
    out.push("");
    for (const p of res.profiles) {
      out.push(`Profile \`${p.file}\`: ${(p.totalMs / 1000).toFixed(1)} s sampled, ${((p.idleMs / Math.max(1, p.totalMs)) * 100).toFixed(0)}% idle. Top functions by self time (% of busy time):`);
      out.push("");
      out.push("| self ms | % busy | function | location |");
      out.push("|---:|---:|---|---|");
      for (const row of p.functions) out.push(`| ${row.selfMs.toFixed(0)} | ${row.pct.toFixed(1)} | \`${row.name}\` | ${row.where} |`);
      out.push("");
      out.push("By file:");
      out.push("");
      out.push("| self ms | % busy | file |");
      out.push("|---:|---:|---|");
      for (const row of p.files.slice(0, 12)) out.push(`| ${row.selfMs.toFixed(0)} | ${row.pct.toFixed(1)} | ${row.name} |`);
      out.push("");
    }
  }

  out.push("## Parameters");
  out.push("");
  out.push("```json");
  out.push(JSON.stringify(plan, null, 2));
  out.push("```");
  out.push("");
  out.push("See bench/README.md for what each figure means and the limits of this benchmark.");
  out.push("");
  return out.join("\n");
}

function workloadTitle(w: WorkloadId, plan: Plan): string {
  switch (w) {
    case "W0":
      return "W0 — startup and idle memory";
    case "W1":
      return `W1 — logins (${plan.w1.inFlight} in flight, ${plan.w1.durationMs / 1000} s measured)`;
    case "W2":
      return `W2 — idle authenticated sessions (${plan.w2.levels.join(" / ")})`;
    case "W3":
      return `W3 — one-to-one messages (${plan.w3.pairs} pairs, ${plan.w3.bodyBytes}-byte bodies; saturation window ${plan.w3.window}; fixed rate ${plan.w3.rate} msg/s)`;
    case "W4":
      return `W4 — groupchat fan-out (rooms of ${plan.w4.sizes.join(" and ")}; fixed ${plan.w4.deliveriesPerSecond} deliveries/s; ${plan.w4.senders} senders)`;
  }
}
