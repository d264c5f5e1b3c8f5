// The `chatctl serve` child process both transfer benchmarks measure: its own config and data
// directory, c2s on a free loopback port, one account, and the service under test configured by
// the caller. Plus a sampler of its resident memory during a transfer.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, usage } from "../lib/proc.js";

export const DOMAIN = "localhost";
const BIN = fileURLToPath(new URL("../../../bin/chatctl.js", import.meta.url));

export interface BenchServer {
  child: ChildProcess;
  c2sPort: number;
  configPath: string;
}

/**
 * Starts the server in `dir` with `serviceYaml` (config lines for the service under test, after
 * the c2s listener) and the account `user` / `password`; resolves once its c2s port answers
 * (bounded: 30 s).
 */
export async function startBenchServer(dir: string, serviceYaml: readonly string[], user: string, password: string): Promise<BenchServer> {
  const c2sPort = await freePort();
  const configPath = join(dir, "chatctl.yml");
  writeFileSync(
    configPath,
    [
      `domain: ${DOMAIN}`,
      `dataDir: ${JSON.stringify(join(dir, "data"))}`,
      "listeners:",
      "  c2s:",
      '    addresses: ["127.0.0.1"]',
      `    port: ${c2sPort}`,
      "  c2sDirectTls:",
      "    enabled: false",
      "log:",
      "  level: warn",
      "  format: json",
      ...serviceYaml,
      "",
    ].join("\n"),
  );
  const add = spawnSync(process.execPath, [BIN, "--config", configPath, "user", "add", `${user}@${DOMAIN}`, "--password-stdin"], { input: `${password}\n`, encoding: "utf8" });
  if (add.status !== 0) throw new Error(`chatctl user add failed: ${add.stderr}`);
  const child = spawn(process.execPath, [BIN, "--config", configPath, "serve"], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (s: string) => {
    if (stderr.length < 100_000) stderr += s;
  });
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`chatctl serve exited with ${child.exitCode}:\n${stderr}`);
    if (await answers(c2sPort)) return { child, c2sPort, configPath };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`chatctl serve did not come up:\n${stderr}`);
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net
      .connect(port, "127.0.0.1")
      .once("connect", () => {
        s.destroy();
        resolve(true);
      })
      .once("error", () => resolve(false));
  });
}

export interface RssSampler {
  stop(): { peakKb: number; samples: number };
}

/** Samples the process's RSS (KiB) every 50 ms until stopped. */
export function sampleRss(pid: number): RssSampler {
  let peak = usage([pid]).rssKb;
  let samples = 1;
  const timer = setInterval(() => {
    peak = Math.max(peak, usage([pid]).rssKb);
    samples++;
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, usage([pid]).rssKb);
      return { peakKb: peak, samples: samples + 1 };
    },
  };
}
