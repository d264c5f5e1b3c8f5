// chatctl: `node bin/chatctl.js serve --config <tmp.yml>` on a loopback port, data copied from a
// template database whose accounts were created through the library (chatctl-users.ts).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, serverPids, spawnPinned, stopPid } from "../lib/proc.js";
import { copyTree, mustRun, run, tailFile, waitForStream } from "./common.js";
import type { Adapter, BenchEnv, StartedServer } from "./types.js";

function configYaml(env: BenchEnv, dataDir: string, port: number): string {
  return [
    `domain: ${env.domain}`,
    `dataDir: ${JSON.stringify(dataDir)}`,
    "listeners:",
    "  c2s:",
    '    addresses: ["127.0.0.1"]',
    `    port: ${port}`,
    "  c2sDirectTls:",
    "    enabled: false",
    "tls:",
    `  cert: ${JSON.stringify(env.certFile)}`,
    `  key: ${JSON.stringify(env.keyFile)}`,
    "c2s:",
    "  maxConnections: 60000",
    "log:",
    "  level: warn",
    "  format: json",
    "# chatctl archives every message by default; the peers do not unless told (--archive)",
    "mam:",
    `  defaultPolicy: ${env.archive ? "always" : "never"}`,
    "# Services with listeners of their own (SOCKS5 on 7777, HTTPS upload on 5281) are off: the",
    "# peers run none, and fixed ports would collide with anything else on the machine",
    "services:",
    "  proxy: false",
    "  upload: false",
    "# Prosody and ejabberd are configured without room history too",
    "muc:",
    "  historyLength: 0",
    "# rooms archive their messages (XEP-0313) only with --archive, like the accounts",
    `  archiveByDefault: ${env.archive}`,
    "",
  ].join("\n");
}

/** The snapshot of chatctl's build this invocation runs. */
export function buildDir(env: BenchEnv): string {
  return join(env.workDir, "chatctl-build");
}

function templateDir(env: BenchEnv): string {
  return join(env.workDir, "template-chatctl");
}

export const chatctlAdapter: Adapter = {
  name: "chatctl",
  hasMuc: true,

  async ensureInstalled(env) {
    // Other work rebuilds dist/ while the benchmark runs: take a consistent snapshot of the build
    // and run every chatctl start from it.
    const repoServer = join(env.repoDir, "dist", "src", "server", "index.js");
    if (!existsSync(join(env.repoDir, "bin", "chatctl.js")) || !existsSync(repoServer)) {
      throw new Error(`chatctl is not built (${repoServer} missing): run npm run build`);
    }
    const snap = buildDir(env);
    let lastError = "";
    for (let attempt = 1; attempt <= 10; attempt++) {
      rmSync(snap, { recursive: true, force: true });
      mkdirSync(join(snap, "dist"), { recursive: true });
      for (const part of ["dist/src", "dist/bench", "bin", "package.json"]) copyTree(join(env.repoDir, part), join(snap, part));
      symlinkSync(join(env.repoDir, "node_modules"), join(snap, "node_modules"));
      const modules = ["dist/src/server/index.js", "dist/src/cli/main.js", "dist/src/auth/internal.js", "dist/src/storage/open.js", "dist/src/config/load.js"];
      const check = run(
        process.execPath,
        ["--input-type=module", "-e", modules.map((m) => `await import(${JSON.stringify(join(snap, m))});`).join(" ")],
        { timeoutMs: 60_000 },
      );
      if (check.status === 0) {
        env.log(`chatctl: build snapshot in ${snap}${attempt > 1 ? ` (attempt ${attempt})` : ""}`);
        return;
      }
      lastError = check.stderr.trim().split("\n").slice(-5).join(" | ");
      env.log(`chatctl: the build in dist/ does not load (${lastError}); retrying in 15 s (a rebuild may be in progress)`);
      await new Promise((r) => setTimeout(r, 15_000));
    }
    throw new Error(`chatctl's build does not load: ${lastError}`);
  },

  version(env) {
    const pkg = JSON.parse(readFileSync(join(env.repoDir, "package.json"), "utf8")) as { version?: string };
    const rev = run("git", ["-C", env.repoDir, "rev-parse", "--short", "HEAD"]).stdout.trim();
    const dirty = run("git", ["-C", env.repoDir, "status", "--porcelain", "--untracked-files=no"]).stdout.trim() !== "";
    return `${pkg.version ?? "?"} (git ${rev || "?"}${dirty ? " + uncommitted work" : ""}; dist/ snapshot taken at bench start; node ${process.versions.node})`;
  },

  async prepare(env) {
    const dir = templateDir(env);
    mkdirSync(dir, { recursive: true });
    const cfg = join(env.workDir, "template-chatctl.yml");
    writeFileSync(cfg, configYaml(env, dir, 1));
    const script = join(buildDir(env), "dist", "bench", "adapters", "chatctl-users.js");
    const t0 = performance.now();
    const out = mustRun(process.execPath, [script, cfg, env.userPrefix, String(env.userCount), env.password], { timeoutMs: 900_000 });
    env.log(`chatctl: ${env.userCount} accounts ready in ${((performance.now() - t0) / 1000).toFixed(1)} s ${out.trim()}`);
  },

  async start(env, label) {
    const dir = join(env.workDir, `chatctl-${label}`);
    mkdirSync(dir, { recursive: true });
    const dataDir = join(dir, "data");
    copyTree(templateDir(env), dataDir);
    const port = await freePort();
    const cfg = join(dir, "chatctl.yml");
    writeFileSync(cfg, configYaml(env, dataDir, port));
    const logFile = join(dir, "server.log");
    const profDir = join(dir, "cpu-prof");
    // --cpu-prof is refused in NODE_OPTIONS: it goes on node's command line.
    const profArgs = env.cpuProfile ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : [];
    const since = performance.now();
    const child = spawnPinned([process.execPath, ...profArgs, join(buildDir(env), "bin", "chatctl.js"), "serve", "--config", cfg], {
      cpus: env.serverCpus,
      nice: env.nice,
      logFile,
      cwd: dir,
      // The bench's own NODE_OPTIONS stay out of the server; CHATCTL_BENCH_NODE_OPTIONS puts
      // flags on the server alone (e.g. `--require` a heap sampler, a V8 flag to compare).
      env: { ...process.env, NODE_OPTIONS: process.env.CHATCTL_BENCH_NODE_OPTIONS ?? "", NO_COLOR: "1" },
    });
    const pid = child.pid!;
    const ep = { host: "127.0.0.1", port, domain: env.domain };
    let startupMs: number;
    try {
      startupMs = await waitForStream(ep.host, port, env.domain, since, pid, 60_000);
    } catch (err) {
      await stopPid(pid, "SIGKILL", 2000);
      throw new Error(`chatctl did not start: ${(err as Error).message}; log ${logFile}:\n${tailFile(logFile, 30)}`);
    }
    const server: StartedServer = {
      name: "chatctl",
      ep,
      rootPid: pid,
      startupMs,
      pids: () => serverPids(pid),
      logFiles: [logFile],
      dir,
      async stop() {
        // SIGTERM lets chatctl close its sessions and exit, which also writes the CPU profile.
        const how = await stopPid(pid, "SIGTERM", 20_000);
        if (env.cpuProfile && existsSync(profDir)) {
          const files = readdirSync(profDir).filter((f) => f.endsWith(".cpuprofile"));
          return `${how}; cpu profile: ${files.map((f) => join(profDir, f)).join(", ") || "none written"}`;
        }
        return how;
      },
    };
    return server;
  },
};
