// Interop: the admin client (and `chatctl broadcast`) against Debian's Prosody with
// mod_admin_adhoc and mod_announce, a XEP-0133 implementation we did not write. Skipped when
// Prosody is not installed. Prosody runs from a temp directory on a free loopback port.
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect as tcpConnect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { AdminClient } from "../../../src/admin/client.js";
import { generateSelfSigned } from "../../../src/tls/selfsigned.js";
import { connect, type TestClient } from "../helpers/client.js";
import { bodyOf } from "./helpers.js";

const PROSODY = "/usr/bin/prosody";
const skip = existsSync(PROSODY) ? false : "Debian's prosody package is not installed";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const p = (srv.address() as { port: number }).port;
      srv.close(() => resolve(p));
    });
  });
}

async function waitForPort(port: number, proc: ChildProcess): Promise<void> {
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`prosody exited with ${proc.exitCode}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = tcpConnect(port, "127.0.0.1", () => {
        s.destroy();
        resolve(true);
      });
      s.on("error", () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("XEP-0133 against Prosody", { skip, timeout: 60_000 }, () => {
  let dir: string;
  let port: number;
  let prosody: ChildProcess;
  let alice: TestClient;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "chatctl-prosody-"));
    mkdirSync(join(dir, "data"));
    const { cert, key } = generateSelfSigned({ commonName: "localhost", altNames: [] });
    writeFileSync(join(dir, "cert.pem"), cert);
    writeFileSync(join(dir, "key.pem"), key, { mode: 0o600 });
    port = await freePort();
    const cfg = join(dir, "prosody.cfg.lua");
    writeFileSync(
      cfg,
      [
        "run_as_root = true",
        "daemonize = false",
        `pidfile = "${dir}/prosody.pid"`,
        `data_path = "${dir}/data"`,
        `certificates = "${dir}"`,
        'interfaces = { "127.0.0.1" }',
        `c2s_ports = { ${port} }`,
        "c2s_direct_tls_ports = { }",
        "s2s_ports = { }",
        "http_ports = { }",
        "https_ports = { }",
        "component_ports = { }",
        'admins = { "boss@localhost" }',
        'modules_enabled = { "roster"; "saslauth"; "tls"; "disco"; "admin_adhoc"; "announce"; "ping"; "posix" }',
        'modules_disabled = { "s2s" }',
        'authentication = "internal_hashed"',
        `log = { error = "${dir}/prosody.err" }`,
        'VirtualHost "localhost"',
        `  ssl = { key = "${dir}/key.pem"; certificate = "${dir}/cert.pem" }`,
      ].join("\n"),
    );
    for (const [user, pw] of [["boss", "b0ss"], ["alice", "pw"]] as const) {
      execFileSync("/usr/bin/prosodyctl", ["--config", cfg, "register", user, "localhost", pw], { stdio: "ignore" });
    }
    prosody = spawn(PROSODY, ["--config", cfg], { stdio: "ignore" });
    await waitForPort(port, prosody);
    alice = await connect({ port, username: "alice", password: "pw", domain: "localhost", resource: "interop" });
  });
  after(async () => {
    await alice?.stop();
    prosody?.kill("SIGTERM");
    if (prosody && prosody.exitCode === null) await new Promise((r) => prosody.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  });

  test("an administrator's announcement reaches an online user", async () => {
    const admin = await AdminClient.connect({ jid: "boss@localhost", password: "b0ss", host: "127.0.0.1", port, trust: { kind: "insecure" } });
    const r = await admin.run("http://jabber.org/protocol/admin#announce", { subject: "Interop", announcement: "hello from chatctl" });
    assert.equal(r.status, "completed");
    // Prosody reports the count in a note only ("Announcement sent to 2 online users").
    assert.match(r.notes.map((n) => n.text).join(" "), /\d+/);
    await alice.waitFor((el) => bodyOf(el) === "hello from chatctl", "Prosody's announcement");
    await admin.close();
  });

  test("a non-administrator is told it is not an administrator", async () => {
    const user = await AdminClient.connect({ jid: "alice@localhost", password: "pw", host: "127.0.0.1", port, trust: { kind: "insecure" } });
    await assert.rejects(user.run("http://jabber.org/protocol/admin#announce", { announcement: "x" }), (err: { code?: string }) => err.code === "CHATCTL_E_ADMIN_FORBIDDEN");
    await user.close();
  });

  test("a node Prosody does not have is reported as unsupported", async () => {
    const admin = await AdminClient.connect({ jid: "boss@localhost", password: "b0ss", host: "127.0.0.1", port, trust: { kind: "insecure" } });
    await assert.rejects(admin.run("http://jabber.org/protocol/admin#get-online-users-num"), (err: { code?: string }) => err.code === "CHATCTL_E_ADMIN_UNSUPPORTED");
    await admin.close();
  });
});
