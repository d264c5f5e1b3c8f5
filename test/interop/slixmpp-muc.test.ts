import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { connect, xml } from "../integration/helpers/client.js";
import { startTestServer, type TestServer } from "../integration/helpers/server.js";
import { createInstantRoom } from "../integration/muc/helpers.js";
import { PYTHON, runPython } from "./python.js";

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
      const run = await runPython("slixmpp_muc.py", ["snake@localhost", "pw-snake", String(t.port), room, "Snake"], 60_000);
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
