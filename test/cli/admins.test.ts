// `chatctl admins` works on storage, like `chatctl user`; the server reads the same group store.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sandbox, type Sandbox, DOMAIN } from "./helpers.js";

describe("chatctl admins", () => {
  let box: Sandbox;
  before(async () => {
    box = await sandbox();
    const r = await box.run(["user", "add", "alice", "--password-stdin"], "pw\n");
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await box.remove();
  });

  test("add makes an account an administrator; list shows it; del takes it back", async () => {
    const add = await box.run(["admins", "add", "alice"]);
    assert.equal(add.code, 0, add.stderr);
    const list = await box.run(["admins", "list", "--json"]);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(JSON.parse(list.stdout), { domain: DOMAIN, group: "jabberadmins", admins: [{ jid: `alice@${DOMAIN}`, sources: ["group"] }] });
    const del = await box.run(["admins", "del", "alice"]);
    assert.equal(del.code, 0, del.stderr);
    const after = await box.run(["admins", "list", "--json"]);
    assert.deepEqual((JSON.parse(after.stdout) as { admins: unknown[] }).admins, []);
  });

  test("adding an account that does not exist fails with exit 1", async () => {
    const r = await box.run(["admins", "add", "ghost"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no such account/);
  });

  test("removing someone who is not an administrator fails with exit 1", async () => {
    const r = await box.run(["admins", "del", "alice"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /not an administrator/);
  });
});
