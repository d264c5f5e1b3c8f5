// Issue #5, the paths the child-process tests cannot reach: `chatctl broadcast` on a terminal
// (message asked for, preview with the recipient count, confirmation) and `chatctl users online
// --watch` (refreshes until SIGINT). Both run() in-process with a fake context against a real
// server, over its local admin socket (so the CLI adds no XMPP session of its own).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { run as broadcast } from "../../src/cli/commands/broadcast/index.js";
import { run as online, type OnlineReport } from "../../src/cli/commands/users/online.js";
import type { SignalName } from "../../src/cli/context.js";
import { loadConfig } from "../../src/config/load.js";
import { bodyOf, startAdminServer, type AdminServer } from "../integration/admin/helpers.js";
import { xml, type TestClient } from "../integration/helpers/client.js";
import { fakeContext, sandbox, type Sandbox } from "./helpers.js";

/** Polls `cond` until it holds; fails after `timeoutMs` (a bound, not an assertion on timing). */
async function until(cond: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A ping round trip: the server has routed everything sent to `c` before it answers. */
async function ping(c: TestClient, domain: string): Promise<void> {
  await c.iq(xml("iq", { type: "get", to: domain }, xml("ping", { xmlns: "urn:xmpp:ping" })));
}

describe("interactive broadcast and users online --watch", { timeout: 90_000 }, () => {
  let s: AdminServer;
  let box: Sandbox;
  let alice: TestClient;
  let bob: TestClient;

  const config = () =>
    Promise.resolve(loadConfig({ configPath: box.configPath, explicit: true, env: box.env, flags: { dataDir: s.dataDir, domain: s.domain } }));

  /** A terminal where the user types `message` at the prompt and answers the confirmation(s). */
  const terminal = (message: string, answers: boolean[]) => fakeContext({ isTTY: true, answers: [message, ...answers], loadConfig: config });

  before(async () => {
    s = await startAdminServer();
    s.addUser("alice");
    s.addUser("bob");
    s.addUser("carol");
    alice = await s.login("alice", { resource: "phone" });
    bob = await s.login("bob", { resource: "laptop" });
    box = await sandbox();
  });
  after(async () => {
    await s.stop();
    await box.remove();
  });

  test("on a terminal, broadcast asks for the message, previews the count, and sends once confirmed", async () => {
    const f = terminal("maintenance at 18:00", [true]);
    assert.equal(await broadcast(undefined, {}, f.ctx), 0, f.stderr.text());
    assert.match(f.stderr.text(), /announcement to every online user on .*: 2 users/);
    assert.match(f.stderr.text(), /maintenance at 18:00/);
    assert.deepEqual(f.asked, ["Message:", "Send it?"]);
    const out = f.stdout.text() + f.stderr.text();
    assert.match(out, /announcement sent to 2 users/);
    for (const c of [alice, bob]) await c.waitFor((el) => bodyOf(el) === "maintenance at 18:00", `the announcement at ${c.jid}`);
  });

  test("declining the confirmation sends nothing and exits 1", async () => {
    const f = terminal("never sent", [false]);
    assert.equal(await broadcast(undefined, {}, f.ctx), 1);
    assert.match(f.stderr.text(), /: 2 users/);
    assert.deepEqual(f.asked, ["Message:", "Send it?"]);
    assert.match(f.stderr.text(), /nothing was sent/);
    assert.doesNotMatch(f.stdout.text() + f.stderr.text(), /announcement sent/);
    for (const c of [alice, bob]) {
      await ping(c, s.domain);
      assert.equal(c.received.filter((el) => bodyOf(el) === "never sent").length, 0, `${c.jid} got the declined message`);
    }
  });

  test("users online --watch refreshes until SIGINT and shows a resource that logged in meanwhile", async () => {
    const handlers = new Map<SignalName, () => void>();
    let unsubscribed = false;
    const f = fakeContext({
      loadConfig: config,
      overrides: {
        onSignal(signal, handler) {
          handlers.set(signal, handler);
          return () => {
            unsubscribed = true;
            handlers.delete(signal);
          };
        },
      },
    });
    // Each --json render is one pretty-printed document: split on the top-level boundaries.
    const renders = (): OnlineReport[] =>
      f.stdout
        .text()
        .split(/\n(?=\{)/)
        .filter((t) => t.trim().endsWith("}"))
        .map((t) => JSON.parse(t) as OnlineReport);
    const hasCarol = (r: OnlineReport) => r.resources.some((row) => row.jid.startsWith("carol@") && row.resource === "tablet");

    const running = online({ watch: true, interval: "1", json: true }, f.ctx);
    running.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
    try {
      await until(() => renders().length >= 1, "the first render");
      assert.ok(handlers.has("SIGINT"), "--watch subscribes to SIGINT");
      assert.equal(hasCarol(renders()[0]!), false);
      await s.login("carol", { resource: "tablet" });
      await until(() => renders().some(hasCarol), "a render with carol/tablet");
    } finally {
      handlers.get("SIGINT")?.();
    }
    assert.equal(await running, 0);
    assert.ok(unsubscribed, "the SIGINT handler is removed when the watch ends");
    const all = renders();
    assert.ok(all.length >= 2, `rendered ${all.length} times`);
    assert.equal(hasCarol(all[0]!), false);
    assert.ok(hasCarol(all[all.length - 1]!));
    assert.equal(all[all.length - 1]!.count, all[0]!.count + 1);
  });
});
