// The real bin/chatctl against a real running server (in this process, loopback, ephemeral port):
// broadcast, users online/count, and the exit codes scripts rely on (DESIGN.md "CLI conventions").
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { generateSelfSigned } from "../../src/tls/selfsigned.js";
import { after, before, describe, test } from "node:test";
import type { TestClient } from "../integration/helpers/client.js";
import { bodyOf, startAdminServer, type AdminServer } from "../integration/admin/helpers.js";
import { childEnv, runCli, sandbox, type Sandbox } from "./helpers.js";

/**
 * The child's environment, without the test process's NODE_TLS_REJECT_UNAUTHORIZED=0 (set by the
 * @xmpp/client helper): the CLI must trust the server's certificate on its own.
 */
function cliEnv(home: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = childEnv(home, extra);
  delete env.NODE_TLS_REJECT_UNAUTHORIZED;
  return env;
}

describe("chatctl broadcast and users against a running server", { timeout: 90_000 }, () => {
  let s: AdminServer;
  let box: Sandbox;
  let alice: TestClient;
  let bob: TestClient;

  before(async () => {
    s = await startAdminServer();
    s.addAdmin("boss", "b0ss-pass");
    s.addUser("alice");
    s.addUser("bob");
    s.addUser("nobody");
    alice = await s.login("alice", { resource: "phone" });
    bob = await s.login("bob", { resource: "laptop" });
    box = await sandbox();
  });
  after(async () => {
    await s.stop();
    await box.remove();
  });

  /** chatctl with the server's data dir (so its self-signed certificate is trusted on localhost). */
  const chatctl = (args: string[], env: Record<string, string> = { CHATCTL_PASSWORD: "b0ss-pass" }, input?: string) =>
    runCli(["--data-dir", s.dataDir, "--domain", s.domain, ...args, "--server", `127.0.0.1:${s.port}`], { env: cliEnv(box.dir, env), ...(input === undefined ? {} : { input }) });

  test("broadcast --yes reaches every online user and reports how many", async () => {
    const r = await chatctl(["broadcast", "Restart at noon", "--subject", "Heads up", "--yes", "--jid", "boss"]);
    assert.equal(r.code, 0, r.stderr);
    // alice, bob and the CLI's own administrator session.
    assert.match(r.stdout, /announcement sent to 3 users/);
    for (const c of [alice, bob]) {
      const msg = await c.waitFor((el) => bodyOf(el) === "Restart at noon", `the announcement at ${c.jid}`);
      assert.equal(msg.getChildText("subject"), "Heads up");
    }
  });

  test("broadcast --all --json reports online and offline recipients", async () => {
    const r = await chatctl(["broadcast", "All hands", "--all", "--yes", "--json", "--jid", `boss@${s.domain}`]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { recipients: number; online: number; offline: number; audience: string };
    assert.equal(out.audience, "all");
    assert.equal(out.recipients, 4);
    // alice, bob and boss (the CLI) are connected; nobody gets it at next login.
    assert.equal(out.online, 3);
    assert.equal(out.offline, 1);
  });

  test("broadcast --dry-run counts without sending", async () => {
    const r = await chatctl(["broadcast", "Never sent", "--dry-run", "--json", "--jid", "boss"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { dryRun: boolean }).dryRun, true);
    // A ping after the CLI finished orders after anything routed to alice.
    await alice.iq((await import("../integration/helpers/client.js")).xml("iq", { type: "get", to: s.domain }, (await import("../integration/helpers/client.js")).xml("ping", { xmlns: "urn:xmpp:ping" })));
    assert.equal(alice.received.filter((el) => bodyOf(el) === "Never sent").length, 0);
  });

  test("broadcast refuses to run without --yes when not on a terminal (exit 2)", async () => {
    const r = await chatctl(["broadcast", "Nope", "--jid", "boss"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--yes/);
  });

  test("users online --json lists exactly the connected resources", async () => {
    const r = await chatctl(["users", "online", "--json", "--jid", "boss"]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { server: string; count: number; resources: Array<{ jid: string; resource: string; ip: string; tls: string; since: string }> };
    assert.equal(report.server, s.domain);
    const jids = report.resources.map((x) => x.jid);
    assert.ok(jids.includes(`alice@${s.domain}/phone`));
    assert.ok(jids.includes(`bob@${s.domain}/laptop`));
    // Plus the CLI's own session, and nothing else.
    assert.equal(report.count, 3);
    const a = report.resources.find((x) => x.jid === `alice@${s.domain}/phone`)!;
    assert.equal(a.resource, "phone");
    assert.equal(a.ip, "127.0.0.1");
    assert.match(a.tls, /^TLSv1\.[23]$/);
  });

  test("users count prints online and registered users", async () => {
    const r = await chatctl(["users", "count", "--json", "--jid", "boss"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { server: s.domain, online: 3, registered: 4 });
  });

  test("a wrong password exits 1", async () => {
    const r = await chatctl(["users", "count", "--jid", "boss"], { CHATCTL_PASSWORD: "wrong" });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /wrong password/);
  });

  test("an account that is not an administrator exits 1 with \"not an administrator\"", async () => {
    const r = await chatctl(["broadcast", "hi", "--yes", "--jid", "alice"], { CHATCTL_PASSWORD: "secret" });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /not an administrator/);
  });

  test("nothing listening exits 3 and says where it tried", async () => {
    // A port that was just free: bind it, note it, close it.
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, "127.0.0.1", () => {
        const p = (srv.address() as { port: number }).port;
        srv.close(() => resolve(p));
      });
    });
    const r = await runCli(["--data-dir", s.dataDir, "--domain", s.domain, "users", "count", "--jid", "boss", "--server", `127.0.0.1:${port}`], {
      env: cliEnv(box.dir, { CHATCTL_PASSWORD: "b0ss-pass" }),
    });
    assert.equal(r.code, 3);
    assert.match(r.stderr, new RegExp(`127\\.0\\.0\\.1:${port}`));
  });

  test("users online prints a table with a header row and a summary", async () => {
    const r = await chatctl(["users", "online", "--jid", "boss"]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    assert.match(lines[0]!, /^JID\s+RESOURCE\s+IP\s+SINCE\s+TLS\s+CLIENT\s+STATUS$/);
    assert.ok(lines.some((l) => l.startsWith(`alice@${s.domain}`) && l.includes("phone") && l.includes("127.0.0.1")));
    assert.match(lines[lines.length - 1]!, /^3 connected resources on /);
  });

  test("on localhost, a certificate other than the data directory's is refused before logging in (exit 3)", async () => {
    // Another data directory whose certificate for the same name is not the one the server uses.
    const other = join(box.dir, "other-data");
    mkdirSync(join(other, "tls"), { recursive: true });
    writeFileSync(join(other, "tls", `${s.domain}.crt`), generateSelfSigned({ commonName: s.domain, altNames: [] }).cert);
    const args = ["--data-dir", other, "--domain", s.domain, "users", "count", "--jid", "boss", "--server", `127.0.0.1:${s.port}`];
    const refused = await runCli(args, { env: cliEnv(box.dir, { CHATCTL_PASSWORD: "b0ss-pass" }) });
    assert.equal(refused.code, 3, refused.stderr);
    assert.match(refused.stderr, /certificate/);
    // --insecure is the explicit way past it.
    const insecure = await runCli([...args, "--insecure"], { env: cliEnv(box.dir, { CHATCTL_PASSWORD: "b0ss-pass" }) });
    assert.equal(insecure.code, 0, insecure.stderr);
  });

  test("without --jid, the local admin socket in the data directory is used (no password)", async () => {
    const r = await runCli(["--data-dir", s.dataDir, "--domain", s.domain, "users", "count", "--json"], { env: cliEnv(box.dir, {}) });
    assert.equal(r.code, 0, r.stderr);
    // No XMPP session of its own this time: alice and bob only.
    assert.deepEqual(JSON.parse(r.stdout), { server: s.domain, online: 2, registered: 4 });
  });

  test("no password and no terminal is a usage error (exit 2), never a prompt", async () => {
    const r = await chatctl(["users", "count", "--jid", "boss"], {});
    assert.equal(r.code, 2);
    assert.match(r.stderr, /CHATCTL_PASSWORD/);
  });
});
