import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { connect, xml } from "../integration/helpers/client.js";
import { startTestServer, type TestServer } from "../integration/helpers/server.js";
import { PYTHON, runPython } from "./python.js";

describe("interop with slixmpp (python3-slixmpp)", () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
    t.addUser("snake", "hiss-hiss");
    t.addUser("node", "js-js");
  });
  after(() => t.stop());

  test("slixmpp logs in with STARTTLS + SCRAM, gets its roster, exchanges messages with an @xmpp/client user and pings", { skip: !existsSync(PYTHON) }, async () => {
    const nodeUser = await connect({ port: t.port, username: "node", password: "js-js", resource: "echo" });
    nodeUser.xmpp.on("stanza", (el) => {
      if (el.is("message") && el.getChildText("body")) {
        void nodeUser.send(xml("message", { to: el.attrs.from, type: "chat" }, xml("body", {}, "echo: " + el.getChildText("body"))));
      }
    });
    try {
      const run = await runPython("slixmpp_echo.py", ["snake@localhost", "hiss-hiss", String(t.port), "node@localhost/echo"], 40_000);
      const line = run.stdout.trim().split("\n").pop() ?? "";
      assert.equal(run.code, 0, `slixmpp failed: ${line}\n${run.stderr.slice(-2000)}`);
      const result = JSON.parse(line) as { reply: string; roster_ok: boolean; ping: string };
      assert.equal(result.reply, "echo: hello from slixmpp ✓");
      assert.equal(result.roster_ok, true);
      assert.equal(result.ping, "result");
      const got = nodeUser.received.find((el) => el.is("message") && el.getChildText("body") === "hello from slixmpp ✓");
      assert.ok(got, "the @xmpp/client user received slixmpp's message");
      assert.match(String(got!.attrs.from), /^snake@localhost\//);
    } finally {
      await nodeUser.stop();
    }
  });
});
