// ejabberd (Debian's 23.01): `ejabberdctl --config-dir … --spool … foreground` with its own
// config, spool (Mnesia), logs and Erlang node. Erlang distribution listens on one loopback port
// we pick (ERL_DIST_PORT, so no epmd is needed); c2s and an HTTP API listener (for creating the
// accounts in bulk) on loopback ports. Accounts are created once into a template spool that every
// start copies; Mnesia ties a spool to its node name, so one node name serves the whole
// invocation (only one ejabberd of ours runs at a time).
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { freePort, isAlive, processTree, serverPids, sleep, spawnPinned, stopPid } from "../lib/proc.js";
import { copyTree, debianVersion, ensureDebianPackage, mustRun, packagedServiceNote, run, tailFile, waitForStream } from "./common.js";
import type { Adapter, BenchEnv, StartedServer } from "./types.js";

const USER = "ejabberd";

const SQLITE_SCHEMA = "/usr/share/ejabberd/sql/lite.sql";
const ARCHIVE_DB = "archive.db";

function configYaml(env: BenchEnv, cfgDir: string, spool: string, c2sPort: number, httpPort: number): string {
  return `# chatctl bench: generated, throwaway
hosts:
  - ${env.domain}
loglevel: warning
hide_sensitive_log_data: true
certfiles:
  - ${join(cfgDir, "server.pem")}
listen:
  - port: ${c2sPort}
    ip: "127.0.0.1"
    module: ejabberd_c2s
    starttls_required: true
    max_stanza_size: 262144
    # ejabberd's default accept backlog is 5: bursts of logins would wait for SYN retransmits
    backlog: 1024
  - port: ${httpPort}
    ip: "127.0.0.1"
    module: ejabberd_http
    request_handlers:
      /api: mod_http_api
${env.archive ? `# --archive: the message archive in SQLite (schema from ${SQLITE_SCHEMA}); everything else in Mnesia
sql_type: sqlite
sql_database: ${JSON.stringify(join(spool, ARCHIVE_DB))}
` : ""}auth_method: internal
auth_password_format: scram
auth_scram_hash: sha
acl:
  loopback:
    ip:
      - 127.0.0.0/8
api_permissions:
  "bench http api":
    from:
      - mod_http_api
    who:
      acl: loopback
    what: "*"
  "console commands":
    from:
      - ejabberd_ctl
    who: all
    what: "*"
modules:
  mod_roster: {}
  mod_disco: {}
  mod_ping: {}
  mod_http_api: {}${env.archive ? "\n  mod_mam:\n    db_type: sql\n    default: always" : ""}
  mod_muc:
    host: ${env.mucDomain}
    access_create: all
    max_users: 1000
    max_users_presence: 1000
    history_size: 0
    default_room_options:
      max_users: 1000
`;
}

interface Layout {
  cfgDir: string;
  spool: string;
  logs: string;
}

function ctlArgs(l: Layout): string[] {
  return [
    "--config-dir", l.cfgDir,
    "--config", join(l.cfgDir, "ejabberd.yml"),
    "--ctl-config", join(l.cfgDir, "ejabberdctl.cfg"),
    "--logs", l.logs,
    "--spool", l.spool,
  ];
}

/** Writes config files for a start and returns the layout; `spool` must already exist (copied or empty). */
async function layout(env: BenchEnv, dir: string, node: string): Promise<Layout & { c2sPort: number; httpPort: number }> {
  const l = { cfgDir: join(dir, "cfg"), spool: join(dir, "spool"), logs: join(dir, "logs") };
  for (const d of [l.cfgDir, l.spool, l.logs]) mkdirSync(d, { recursive: true });
  const [c2sPort, httpPort, distPort] = [await freePort(), await freePort(), await freePort()];
  copyFileSync(join(env.workDir, "combined.pem"), join(l.cfgDir, "server.pem"));
  if (existsSync("/etc/ejabberd/inetrc")) copyFileSync("/etc/ejabberd/inetrc", join(l.cfgDir, "inetrc"));
  writeFileSync(join(l.cfgDir, "ejabberd.yml"), configYaml(env, l.cfgDir, l.spool, c2sPort, httpPort));
  writeFileSync(
    join(l.cfgDir, "ejabberdctl.cfg"),
    [
      `ERLANG_NODE=${node}`,
      `ERL_DIST_PORT=${distPort}`,
      "INET_DIST_INTERFACE=127.0.0.1",
      'ERL_OPTIONS="-env ERL_CRASH_DUMP_BYTES 0"',
      `EJABBERD_PID_PATH=${join(l.spool, "ejabberd.pid")}`,
      "EJABBERD_BYPASS_WARNINGS=true",
      "",
    ].join("\n"),
  );
  mustRun("chown", ["-R", `${USER}:`, dir]);
  return { ...l, c2sPort, httpPort };
}

/** The home directory of a system user (where Erlang keeps its .erlang.cookie). */
function getpwHome(user: string): string {
  const line = run("getent", ["passwd", user]).stdout.trim();
  return line.split(":")[5] || `/var/lib/${user}`;
}

function nodeName(env: BenchEnv): string {
  return `chatctlbench${process.pid}@localhost`;
}

async function launch(env: BenchEnv, dir: string, cpus: string): Promise<{ server: StartedServer; httpPort: number }> {
  const l = await layout(env, dir, nodeName(env));
  const logFile = join(dir, "console.log");
  const since = performance.now();
  // ejabberdctl run by root switches to the ejabberd user with `su`, whose PAM session resets the
  // descriptor limit to 1024 (W2 stopped at ~1,000 sessions). Dropping privileges with setpriv
  // (no PAM) after `ulimit -n` keeps the raised limit; ejabberdctl then runs as its own user.
  const home = getpwHome(USER);
  const argv =
    process.getuid?.() === 0
      ? ["setpriv", `--reuid=${USER}`, `--regid=${USER}`, "--init-groups", "env", `HOME=${home}`, "ejabberdctl", ...ctlArgs(l), "foreground"]
      : ["ejabberdctl", ...ctlArgs(l), "foreground"];
  const child = spawnPinned(argv, { cpus, nice: env.nice, logFile, cwd: l.spool });
  const pid = child.pid!;
  const ep = { host: "127.0.0.1", port: l.c2sPort, domain: env.domain };
  let startupMs: number;
  try {
    startupMs = await waitForStream(ep.host, ep.port, env.domain, since, pid, 120_000);
  } catch (err) {
    await killTree(pid);
    throw new Error(`ejabberd did not start: ${(err as Error).message}; logs in ${l.logs} and ${logFile}:\n${tailFile(join(l.logs, "ejabberd.log"), 20)}\n${tailFile(logFile, 20)}`);
  }
  const server: StartedServer = {
    name: "ejabberd",
    ep,
    rootPid: pid,
    startupMs,
    pids: () => serverPids(pid),
    logFiles: [join(l.logs, "ejabberd.log"), join(l.logs, "error.log"), logFile],
    dir,
    async stop() {
      const r = run("ejabberdctl", [...ctlArgs(l), "stop"], { timeoutMs: 60_000 });
      const deadline = Date.now() + 30_000;
      while (isAlive(pid) && Date.now() < deadline) await sleep(100);
      if (!isAlive(pid)) return `stopped (ejabberdctl stop: ${r.stdout.trim() || r.status})`;
      await killTree(pid);
      return `killed after ejabberdctl stop failed: ${r.stderr.trim() || r.stdout.trim()}`;
    },
  };
  return { server, httpPort: l.httpPort };
}

/** SIGTERM then SIGKILL to every process of the tree (the server's own processes only). */
async function killTree(root: number): Promise<void> {
  const pids = processTree(root).map((p) => p.pid).reverse();
  for (const pid of pids) await stopPid(pid, "SIGTERM", 5000);
}

function post(port: number, path: string, body: unknown, agent: http.Agent): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(
      { host: "127.0.0.1", port, path, method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(data) } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.setTimeout(60_000, () => req.destroy(new Error("HTTP API timeout")));
    req.on("error", reject);
    req.end(data);
  });
}

function templateDir(env: BenchEnv): string {
  return join(env.workDir, "template-ejabberd");
}

export const ejabberdAdapter: Adapter = {
  name: "ejabberd",
  hasMuc: true,

  async ensureInstalled(env) {
    ensureDebianPackage("ejabberd", env.log);
    if (env.archive) {
      ensureDebianPackage("erlang-p1-sqlite3", env.log);
      ensureDebianPackage("sqlite3", env.log);
    }
    const note = packagedServiceNote("/run/ejabberd/ejabberd.pid", "ejabberd");
    if (note) env.log(note);
  },

  version() {
    const otp = run("erl", ["-noshell", "-eval", 'io:format("~s",[erlang:system_info(otp_release)]), halt().']).stdout.trim();
    return `${debianVersion("ejabberd") ?? "?"} (Debian; Erlang/OTP ${otp || "?"}, Mnesia)`;
  },

  async prepare(env) {
    const dir = templateDir(env);
    const t0 = performance.now();
    if (env.archive) {
      // ejabberd 23.01 does not create its SQL schema: the template spool gets an initialized database.
      mkdirSync(join(dir, "spool"), { recursive: true });
      mustRun("sqlite3", ["-bail", join(dir, "spool", ARCHIVE_DB), `.read ${SQLITE_SCHEMA}`]);
    }
    // Accounts are registered on a running node; its spool then becomes the template.
    const { server, httpPort } = await launch(env, dir, "0-1");
    try {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
      let next = 0;
      let failures = 0;
      let firstError = "";
      const lane = async () => {
        while (next < env.userCount) {
          const i = next++;
          const r = await post(httpPort, "/api/register", { user: `${env.userPrefix}${i}`, host: env.domain, password: env.password }, agent);
          if (r.status !== 200 && !r.text.includes("already registered")) {
            failures++;
            firstError ||= `${r.status} ${r.text}`;
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, lane));
      agent.destroy();
      if (failures > 0) throw new Error(`ejabberd: ${failures} registrations failed, first: ${firstError}`);
      const list = await post(httpPort, "/api/registered_users", { host: env.domain }, new http.Agent());
      const count = (JSON.parse(list.text) as string[]).length;
      if (count < env.userCount) throw new Error(`ejabberd lists ${count} accounts, expected ${env.userCount}`);
      env.log(`ejabberd: ${env.userCount} accounts registered in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } finally {
      env.log(`ejabberd template node: ${await server.stop()}`);
    }
  },

  async start(env, label) {
    const dir = join(env.workDir, `ejabberd-${label}`);
    mkdirSync(dir, { recursive: true });
    copyTree(join(templateDir(env), "spool"), join(dir, "spool"));
    const { server } = await launch(env, dir, env.serverCpus);
    return server;
  },
};
