// Summarizes a V8 .cpuprofile (node --cpu-prof): self time per function and per file.
import { readFileSync } from "node:fs";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileRow {
  name: string;
  where: string;
  selfMs: number;
  /** Share of the busy (non-idle) time, percent. */
  pct: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  idleMs: number;
  functions: ProfileRow[];
  files: ProfileRow[];
}

function shortUrl(url: string, repoDir: string): string {
  if (url === "") return "";
  let u = url.replace(/^file:\/\//, "");
  if (u.startsWith(repoDir)) u = u.slice(repoDir.length + 1);
  const nm = u.lastIndexOf("node_modules/");
  if (nm >= 0) u = u.slice(nm);
  return u;
}

export function summarizeProfile(file: string, repoDir: string, top = 20): ProfileSummary {
  const prof = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  for (const n of prof.nodes) byId.set(n.id, n);
  const selfUs = new Map<number, number>();
  // timeDeltas[i + 1] is the time spent in samples[i] (until the next sample).
  for (let i = 0; i < prof.samples.length; i++) {
    const dt = prof.timeDeltas[i + 1] ?? 0;
    const id = prof.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, dt));
  }
  const fn = new Map<string, ProfileRow>();
  const files = new Map<string, ProfileRow>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const ms = us / 1000;
    total += ms;
    const name = node.callFrame.functionName || "(anonymous)";
    if (name === "(idle)") {
      idle += ms;
      continue;
    }
    const url = shortUrl(node.callFrame.url, repoDir);
    const where = url ? `${url}:${node.callFrame.lineNumber + 1}` : "";
    const key = `${name}\u0000${where}`;
    const row = fn.get(key) ?? { name, where, selfMs: 0, pct: 0 };
    row.selfMs += ms;
    fn.set(key, row);
    const fileKey = url || name;
    const frow = files.get(fileKey) ?? { name: fileKey, where: "", selfMs: 0, pct: 0 };
    frow.selfMs += ms;
    files.set(fileKey, frow);
  }
  const busy = total - idle;
  const finish = (rows: Iterable<ProfileRow>) =>
    [...rows]
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top)
      .map((r) => ({ ...r, pct: busy > 0 ? (r.selfMs / busy) * 100 : 0 }));
  return { file, totalMs: total, idleMs: idle, functions: finish(fn.values()), files: finish(files.values()) };
}
