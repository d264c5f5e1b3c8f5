import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { connect, xml } from "../integration/helpers/client.js";
import { startTestServer, type TestServer } from "../integration/helpers/server.js";
import { createInstantRoom } from "../integration/muc/helpers.js";

const PYTHON = "/usr/bin/python3";
// The script sits in the source tree, not in dist/.
const SCRIPT = fileURLToPath(new URL("../../../test/interop/slixmpp_muc.py", import.meta.url));

function runPython(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(PYTHON, [SCRIPT, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("interop with slixmpp: group chat", () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
    t.addUser("owner", "pw-owner");
    t.addUser("snake", "pw-snake");
  });
  after(() => t.stop());

  test("slixmpp joins a room an @xmpp/client user created, gets its history, and talks with the owner", { skip: !existsSync(PYTHON) }, async () => {
    const room = "lobby@conference.localhost";
    const owner = await connect({ port: t.port, username: "owner", password: "pw-owner", resource: "web" });
    try {
      await createInstantRoom(owner, room, "Owner");
      await owner.send(xml("message", { to: room, type: "groupchat" }, xml("body", {}, "first post")));
      await owner.waitFor((el) => el.is("message") && el.getChildText("body") === "first post", "reflected first post");
      owner.xmpp.on("stanza", (el) => {
        if (el.is("message") && el.attrs.type === "groupchat" && el.getChildText("body") === "hello room from slixmpp") {
          void owner.send(xml("message", { to: room, type: "groupchat" }, xml("body", {}, "welcome, snake")));
        }
      });
      const run = await runPython(["snake@localhost", "pw-snake", String(t.port), room, "Snake"], 60_000);
      const line = run.stdout.trim().split("\n").pop() ?? "";
      assert.equal(run.code, 0, `slixmpp failed: ${line}\n${run.stderr.slice(-2000)}`);
      const result = JSON.parse(line) as { occupants: string[]; history: string[]; reflected_from: string; reply: string };
      assert.deepEqual(result.history, ["first post"]);
      assert.ok(result.occupants.includes("Owner"), `occupants: ${result.occupants.join(", ")}`);
      assert.equal(result.reflected_from, `${room}/Snake`);
      assert.equal(result.reply, "welcome, snake");
      const seen = owner.received.find((el) => el.is("message") && el.getChildText("body") === "hello room from slixmpp");
      assert.equal(seen?.attrs.from, `${room}/Snake`);
    } finally {
      await owner.stop();
    }
  });
});
