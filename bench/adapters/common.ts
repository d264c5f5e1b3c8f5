// Helpers shared by the adapters: Debian packages, certificates, copying templates, waiting for a
// server to answer a stream header.
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { isAlive, sleep } from "../lib/proc.js";

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (bounded by timeoutMs) and returns its output. */
export function run(cmd: string, args: readonly string[], opts: SpawnSyncOptions & { timeoutMs?: number } = {}): RunResult {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: opts.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024, ...opts });
  return { status: r.status, stdout: String(r.stdout ?? ""), stderr: String(r.stderr ?? "") + (r.error ? `\n${r.error.message}` : "") };
}

export function mustRun(cmd: string, args: readonly string[], opts: SpawnSyncOptions & { timeoutMs?: number } = {}): string {
  const r = run(cmd, args, opts);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}

export function debianVersion(pkg: string): string | undefined {
  const r = run("dpkg-query", ["-W", "-f=${Status}\t${Version}", pkg]);
  if (r.status !== 0) return undefined;
  const [status, version] = r.stdout.split("\t");
  return status?.includes("install ok installed") ? version : undefined;
}

const POLICY_RC = "/usr/sbin/policy-rc.d";

/**
 * Installs a Debian package with apt-get when missing. Its service is kept from starting during
 * the installation (a temporary policy-rc.d answering 101, removed afterwards if we created it),
 * so a packaged Prosody or ejabberd never comes up on 5222/5269 because of the benchmark.
 */
export function ensureDebianPackage(pkg: string, log: (s: string) => void): string {
  const have = debianVersion(pkg);
  if (have) return have;
  if (process.getuid?.() !== 0) throw new Error(`${pkg} is not installed; run as root or: sudo apt-get install -y ${pkg}`);
  log(`installing ${pkg} with apt-get (its service is not started)`);
  const createdPolicy = !existsSync(POLICY_RC);
  if (createdPolicy) writeFileSync(POLICY_RC, "#!/bin/sh\n# chatctl bench: keep services from starting during apt-get install\nexit 101\n", { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    let r = run("apt-get", ["install", "-y", "--no-install-recommends", pkg], { env, timeoutMs: 900_000 });
    if (r.status !== 0) {
      mustRun("apt-get", ["update"], { env, timeoutMs: 300_000 });
      r = run("apt-get", ["install", "-y", "--no-install-recommends", pkg], { env, timeoutMs: 900_000 });
    }
    if (r.status !== 0) throw new Error(`apt-get install ${pkg} failed: ${r.stderr.slice(-2000)}`);
  } finally {
    if (createdPolicy) rmSync(POLICY_RC, { force: true });
  }
  const v = debianVersion(pkg);
  if (!v) throw new Error(`${pkg} still not installed after apt-get`);
  return v;
}

/** Reports (never stops) a packaged service that runs from before the benchmark. */
export function packagedServiceNote(pidFile: string, name: string): string | undefined {
  try {
    const pid = Number(readFileSync(pidFile, "utf8").trim());
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
      return `the Debian ${name} service is running (pid ${pid}); the benchmark does not touch it and uses its own ports, but it shares the CPUs`;
    }
  } catch {
    /* not running */
  }
  return undefined;
}

/** A self-signed EC P-256 certificate for domain and *.domain (PEM files). */
export function makeCertificate(dir: string, domain: string): { cert: string; key: string; combined: string } {
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  mustRun("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-keyout", key, "-out", cert, "-days", "30", "-subj", `/CN=${domain}`,
    "-addext", `subjectAltName=DNS:${domain},DNS:*.${domain}`,
  ]);
  const combined = join(dir, "combined.pem");
  writeFileSync(combined, readFileSync(cert, "utf8") + readFileSync(key, "utf8"), { mode: 0o640 });
  return { cert, key, combined };
}

export function copyTree(from: string, to: string): void {
  mustRun("cp", ["-a", from, to]);
}

export function tailFile(path: string, lines = 40): string {
  try {
    const text = readFileSync(path, "utf8");
    return text.split("\n").slice(-lines).join("\n");
  } catch (err) {
    return `(cannot read ${path}: ${(err as Error).message})`;
  }
}

/**
 * Polls until the server answers a stream header with <stream:features> on host:port; resolves
 * with the milliseconds since `since` (performance.now() at spawn). Fails early if `pid` exits.
 */
export async function waitForStream(host: string, port: number, domain: string, since: number, pid: number, timeoutMs: number): Promise<number> {
  const deadline = since + timeoutMs;
  while (performance.now() < deadline) {
    if (!isAlive(pid)) throw new Error("the server exited during startup");
    const ok = await probeStream(host, port, domain, 1000);
    if (ok) return performance.now() - since;
    await sleep(20);
  }
  throw new Error(`the server did not accept a stream within ${timeoutMs} ms`);
}

function probeStream(host: string, port: number, domain: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let text = "";
    const s = net.connect({ host, port });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      s.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    s.on("connect", () =>
      s.write(`<?xml version='1.0'?><stream:stream to='${domain}' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>`),
    );
    s.on("data", (d) => {
      text += d.toString("utf8");
      if (text.includes("</stream:features>") || /<stream:features\s*\/>/.test(text)) done(true);
    });
    s.on("error", () => done(false));
    s.on("close", () => done(false));
  });
}
