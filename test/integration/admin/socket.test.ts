// The local admin channel: a Unix socket in the data directory that only the server's user may
// open (mode 0600), carrying the same ad-hoc commands with admin rights and no password.
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { LocalAdminClient } from "../../../src/admin/local.js";
import { adminSocketPath } from "../../../src/services/admins.js";
import { bodyOf, startAdminServer, type AdminServer } from "./helpers.js";

describe("local admin socket", { timeout: 30_000 }, () => {
  let s: AdminServer;
  before(async () => {
    s = await startAdminServer();
    s.addUser("alice");
  });
  after(async () => {
    await s.stop();
  });

  test("the socket exists in the data directory with mode 0600", () => {
    const st = statSync(adminSocketPath(s.dataDir));
    assert.ok(st.isSocket());
    assert.equal(st.mode & 0o777, 0o600);
  });

  test("an announcement through the socket reaches online users, without a password", async () => {
    const alice = await s.login("alice", { resource: "sock" });
    const local = await LocalAdminClient.connect(adminSocketPath(s.dataDir), s.domain);
    const result = await local.run("http://jabber.org/protocol/admin#announce", { announcement: "via socket" });
    assert.equal(result.status, "completed");
    assert.deepEqual(result.fields.get("recipients")?.values, ["1"]);
    await alice.waitFor((el) => bodyOf(el) === "via socket", "the announcement");
    const count = await local.run("http://jabber.org/protocol/admin#get-registered-users-num");
    assert.deepEqual(count.fields.get("registeredusersnum")?.values, ["1"]);
    await local.close();
    await alice.stop();
  });

  test("an unknown node is reported as unsupported", async () => {
    const local = await LocalAdminClient.connect(adminSocketPath(s.dataDir), s.domain);
    await assert.rejects(local.run("urn:nothing#here"), (err: { code?: string }) => err.code === "CHATCTL_E_ADMIN_UNSUPPORTED");
    await local.close();
  });
});
