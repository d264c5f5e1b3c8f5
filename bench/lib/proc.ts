// Processes: spawning servers pinned to a CPU with a raised file-descriptor limit, reading their
// CPU time and resident memory from /proc, probing free loopback ports, stopping by PID.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { openSync, readdirSync, readFileSync, closeSync } from "node:fs";
import net from "node:net";

/** Ports a real XMPP server may own on this machine: never bound, never probed. */
const RESERVED_PORTS = new Set([5222, 5223, 5269, 5280, 5281, 5347]);

let clockTicks: number | undefined;
/** Kernel clock ticks per second (USER_HZ), the unit of utime/stime in /proc/<pid>/stat. */
export function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    const out = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" });
    const n = Number(out.stdout.trim());
    clockTicks = Number.isInteger(n) && n > 0 ? n : 100;
  }
  return clockTicks;
}

interface ProcStat {
  pid: number;
  comm: string;
  ppid: number;
  /** utime + stime in ticks. */
  cpuTicks: number;
}

function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // comm is in parentheses and may contain spaces: split after the last ')'.
  const close = text.lastIndexOf(")");
  const comm = text.slice(text.indexOf("(") + 1, close);
  const f = text.slice(close + 2).split(" ");
  // f[0] = state (field 3), f[1] = ppid (4), f[11] = utime (14), f[12] = stime (15).
  return { pid, comm, ppid: Number(f[1]), cpuTicks: Number(f[11]) + Number(f[12]) };
}

/** The process and all its descendants. */
export function processTree(root: number): ProcStat[] {
  const all: ProcStat[] = [];
  for (const name of readdirSync("/proc")) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const st = readStat(pid);
    if (st) all.push(st);
  }
  const byParent = new Map<number, ProcStat[]>();
  for (const p of all) {
    const list = byParent.get(p.ppid) ?? [];
    list.push(p);
    byParent.set(p.ppid, list);
  }
  const self = all.find((p) => p.pid === root);
  if (!self) return [];
  const out: ProcStat[] = [self];
  for (let i = 0; i < out.length; i++) out.push(...(byParent.get(out[i]!.pid) ?? []));
  return out;
}

/** Wrapper processes (launch scripts, su, taskset) that are not the server itself. */
const WRAPPERS = new Set(["bash", "sh", "dash", "su", "taskset", "ejabberdctl", "timeout", "prosodyctl"]);

/** The PIDs that make up the running server: its process tree minus launch wrappers. */
export function serverPids(root: number): number[] {
  return processTree(root)
    .filter((p) => !WRAPPERS.has(p.comm))
    .map((p) => p.pid);
}

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export interface Usage {
  /** CPU time (user + system) in milliseconds since the process started. */
  cpuMs: number;
  /** Resident set size in KiB. */
  rssKb: number;
}

/** Summed CPU time and RSS of the given processes. */
export function usage(pids: readonly number[]): Usage {
  let ticks = 0;
  let rss = 0;
  for (const pid of pids) {
    const st = readStat(pid);
    if (!st) continue;
    ticks += st.cpuTicks;
    rss += rssKb(pid);
  }
  return { cpuMs: (ticks * 1000) / ticksPerSecond(), rssKb: rss };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A free TCP port on 127.0.0.1 (asks the kernel for an ephemeral one). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.once("error", reject);
      srv.listen(0, "127.0.0.1", () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    if (!RESERVED_PORTS.has(port)) return port;
  }
  throw new Error("no free port found");
}

export interface SpawnOptions {
  /** CPU list for taskset, e.g. "0". */
  cpus: string;
  /** Scheduling niceness for the process and every thread it starts (negative needs root); 0 leaves it. */
  nice?: number;
  /** File receiving stdout and stderr. */
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * Starts `argv` pinned to `cpus`, with the soft file-descriptor limit raised to the hard limit
 * (`ulimit -n` in a bash that then execs the command), in its own process group.
 */
export function spawnPinned(argv: readonly string[], opts: SpawnOptions): ChildProcess {
  const fd = openSync(opts.logFile, "a");
  try {
    const [cmd, ...args] = launchArgv(opts.cpus, opts.nice ?? 0, argv);
    const child = spawn(cmd!, args, {
      stdio: ["ignore", fd, fd],
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      detached: true,
    });
    child.unref();
    return child;
  } finally {
    closeSync(fd);
  }
}

/**
 * `nice -n N taskset -c CPUS bash -c 'ulimit -n <hard>; exec "$@"' … argv`: each step execs the
 * next, so the spawned PID ends up being the command's own.
 */
export function launchArgv(cpus: string, nice: number, argv: readonly string[]): string[] {
  const pinned = ["taskset", "-c", cpus, "bash", "-c", 'ulimit -n "$(ulimit -Hn)"; exec "$@"', "bench-launch", ...argv];
  return nice !== 0 ? ["nice", "-n", String(nice), ...pinned] : pinned;
}

/** Pins this process (and threads it starts later) to `cpus`. */
export function pinSelf(cpus: string): boolean {
  const r = spawnSync("taskset", ["-a", "-cp", cpus, String(process.pid)], { encoding: "utf8" });
  return r.status === 0;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Sends `signal` to the PID, then waits up to `timeoutMs` for it to exit; SIGKILL after that. Returns how it ended. */
export async function stopPid(pid: number, signal: NodeJS.Signals = "SIGTERM", timeoutMs = 15_000): Promise<"exited" | "killed" | "gone"> {
  if (!isAlive(pid)) return "gone";
  try {
    process.kill(pid, signal);
  } catch {
    return "gone";
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return "exited";
    await sleep(50);
  }
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    /* already gone */
  }
  return "killed";
}

/** Waits until every process of the list has exited (or the timeout passed); SIGKILLs the rest. */
export async function reapAll(pids: readonly number[], timeoutMs = 10_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let alive = pids.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await sleep(100);
    alive = alive.filter(isAlive);
  }
  for (const pid of alive) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
  return alive;
}

/** Listening TCP sockets of the given PIDs (from `ss`), e.g. ["127.0.0.1:40213"]. */
export function listeningAddresses(pids: readonly number[]): string[] {
  const r = spawnSync("ss", ["-Hltnp"], { encoding: "utf8" });
  if (r.status !== 0) return [];
  const out: string[] = [];
  for (const line of r.stdout.split("\n")) {
    const m = /pid=(\d+)/g;
    let hit = false;
    for (let x = m.exec(line); x; x = m.exec(line)) if (pids.includes(Number(x[1]))) hit = true;
    if (hit) out.push(line.trim().split(/\s+/)[3] ?? "?");
  }
  return out;
}

/** Busy and total time of one CPU since boot, from /proc/stat (milliseconds). */
export function cpuTimes(cpu: number): { busyMs: number; totalMs: number } | undefined {
  const line = readFileSync("/proc/stat", "utf8")
    .split("\n")
    .find((l) => l.startsWith(`cpu${cpu} `));
  if (!line) return undefined;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is already in user)
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = f;
  const tick = 1000 / ticksPerSecond();
  const busy = user + nice + system + irq + softirq + steal;
  return { busyMs: busy * tick, totalMs: (busy + idle + iowait) * tick };
}

/** The CPU number of a one-CPU taskset list ("0"), else undefined. */
export function singleCpu(list: string): number | undefined {
  return /^\d+$/.test(list.trim()) ? Number(list) : undefined;
}
