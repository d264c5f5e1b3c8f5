// Prosody (Debian's 0.12): `prosody -F --config <tmp.cfg.lua>` with its own data_path and
// pidfile, c2s on one loopback port and nothing else (no s2s, no HTTP, no components on ports),
// internal_hashed accounts written straight into its data directory in the format
// mod_auth_internal_hashed reads (one Lua table per account), which takes seconds instead of one
// `prosodyctl register` process per user.
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, serverPids, spawnPinned, stopPid } from "../lib/proc.js";
import { scramStoredCredentials } from "../lib/scram.js";
import { copyTree, debianVersion, ensureDebianPackage, packagedServiceNote, run, tailFile, waitForStream } from "./common.js";
import type { Adapter, BenchEnv, StartedServer } from "./types.js";

/** The iteration count written for every account (Prosody 0.12's own default is 10000; chatctl and ejabberd use 4096). */
export const PROSODY_ITERATIONS = 4096;

/** util.datamanager's path encoding: every non-alphanumeric byte as %xx. */
function encodePath(s: string): string {
  return Array.from(Buffer.from(s, "utf8"))
    .map((b) => (/[A-Za-z0-9]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, "0")}`))
    .join("");
}

function luaString(s: string): string {
  return JSON.stringify(s); // ASCII only here: JSON and Lua agree on the escapes used
}

function configLua(env: BenchEnv, dir: string, port: number): string {
  const q = luaString;
  return `-- chatctl bench: generated, throwaway
daemonize = false
run_as_root = true
pidfile = ${q(join(dir, "prosody.pid"))}
data_path = ${q(join(dir, "data"))}
log = { { levels = { min = "warn" }, to = "file", filename = ${q(join(dir, "prosody.log"))} } }
interfaces = { "127.0.0.1" }
local_interfaces = { "127.0.0.1" }
c2s_interfaces = { "127.0.0.1" }
c2s_ports = { ${port} }
c2s_direct_tls_ports = { }
legacy_ssl_ports = { }
s2s_ports = { }
component_ports = { }
http_ports = { }
https_ports = { }
modules_enabled = { "roster"; "saslauth"; "tls"; "disco"; "ping"${env.archive ? '; "mam"' : ""} }
modules_disabled = { "s2s"; "offline" }
c2s_require_encryption = true
authentication = "internal_hashed"
${env.archive ? archiveLua(dir) : 'storage = "internal"'}
-- no mod_limits: no per-connection bandwidth limits
limits = { }
certificates = ${q(join(dir, "certs"))}
ssl = { certificate = ${q(env.certFile)}; key = ${q(env.keyFile)} }

VirtualHost ${q(env.domain)}

Component ${q(env.mucDomain)} "muc"
  muc_room_locking = false
  muc_room_default_history_length = 0
  muc_tombstones = false
  restrict_room_creation = false
`;
}

/** --archive: every message archived, in SQLite (mod_storage_sql over LuaDBI), kept forever. */
function archiveLua(dir: string): string {
  return `default_storage = "internal"
storage = { archive = "sql" }
sql = { driver = "SQLite3"; database = ${luaString(join(dir, "archive.sqlite"))} }
default_archive_policy = true
archive_expires_after = "never"`;
}

function templateDir(env: BenchEnv): string {
  return join(env.workDir, "template-prosody");
}

export const prosodyAdapter: Adapter = {
  name: "prosody",
  hasMuc: true,

  async ensureInstalled(env) {
    ensureDebianPackage("prosody", env.log);
    if (env.archive) ensureDebianPackage("lua-dbi-sqlite3", env.log);
    const note = packagedServiceNote("/run/prosody/prosody.pid", "prosody");
    if (note) env.log(note);
  },

  version() {
    return `${debianVersion("prosody") ?? "?"} (Debian; lua ${run("lua5.4", ["-v"]).stdout.trim().split(" ")[1] ?? "?"}, epoll backend)`;
  },

  async prepare(env) {
    const accounts = join(templateDir(env), encodePath(env.domain), "accounts");
    mkdirSync(accounts, { recursive: true });
    const t0 = performance.now();
    for (let i = 0; i < env.userCount; i++) {
      const user = `${env.userPrefix}${i}`;
      const salt = randomUUID();
      const { storedKey, serverKey } = scramStoredCredentials(env.password, Buffer.from(salt, "utf8"), PROSODY_ITERATIONS);
      writeFileSync(
        join(accounts, `${encodePath(user)}.dat`),
        `return {\n\t["iteration_count"] = ${PROSODY_ITERATIONS};\n\t["salt"] = ${luaString(salt)};\n\t["server_key"] = ${luaString(serverKey.toString("hex"))};\n\t["stored_key"] = ${luaString(storedKey.toString("hex"))};\n};\n`,
      );
    }
    env.log(`prosody: ${env.userCount} account files written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  },

  async start(env, label) {
    const dir = join(env.workDir, `prosody-${label}`);
    mkdirSync(join(dir, "certs"), { recursive: true });
    copyTree(templateDir(env), join(dir, "data"));
    const port = await freePort();
    const cfg = join(dir, "prosody.cfg.lua");
    writeFileSync(cfg, configLua(env, dir, port));
    const logFile = join(dir, "console.log");
    const since = performance.now();
    const child = spawnPinned(["prosody", "-F", "--config", cfg], { cpus: env.serverCpus, nice: env.nice, logFile, cwd: dir });
    const pid = child.pid!;
    const ep = { host: "127.0.0.1", port, domain: env.domain };
    let startupMs: number;
    try {
      startupMs = await waitForStream(ep.host, port, env.domain, since, pid, 60_000);
    } catch (err) {
      await stopPid(pid, "SIGKILL", 2000);
      throw new Error(`prosody did not start: ${(err as Error).message}; log ${join(dir, "prosody.log")}:\n${tailFile(join(dir, "prosody.log"), 20)}\n${tailFile(logFile, 20)}`);
    }
    const server: StartedServer = {
      name: "prosody",
      ep,
      rootPid: pid,
      startupMs,
      pids: () => serverPids(pid),
      logFiles: [join(dir, "prosody.log"), logFile],
      dir,
      stop: () => stopPid(pid, "SIGTERM", 20_000),
    };
    return server;
  },
};
