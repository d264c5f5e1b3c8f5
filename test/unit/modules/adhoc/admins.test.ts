// services/admins.ts: admin rights come from the admin group or admin.jids, on this host only.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Jid } from "../../../../src/jid/jid.js";
import { adminPolicy, listAdmins } from "../../../../src/services/admins.js";

describe("admin rights", () => {
  const config = { admin: { group: "jabberadmins", jids: ["root@example.com"] } };
  const groups: Record<string, string[]> = { alice: ["jabberadmins"], bob: ["staff"] };
  const policy = adminPolicy("example.com", config, { groups: (u) => groups[u] ?? [] });

  test("a member of the admin group is an administrator, whatever the resource", () => {
    assert.equal(policy.isAdmin(Jid.parse("alice@example.com/phone")), true);
    assert.equal(policy.isAdmin(Jid.parse("bob@example.com/phone")), false);
  });

  test("a JID listed in admin.jids is an administrator", () => {
    assert.equal(policy.isAdmin(Jid.parse("root@example.com/x")), true);
  });

  test("the same name on another domain is not", () => {
    assert.equal(policy.isAdmin(Jid.parse("alice@elsewhere.org/x")), false);
    assert.equal(policy.isAdmin(Jid.parse("example.com")), false);
  });

  test("membership is read at each check, so a removal takes effect at once", () => {
    groups.alice = [];
    assert.equal(policy.isAdmin(Jid.parse("alice@example.com/phone")), false);
    groups.alice = ["jabberadmins"];
  });

  test("the list merges group members and configured JIDs, sorted", () => {
    assert.deepEqual(listAdmins("example.com", { admin: { group: "g", jids: ["alice@example.com", "zed@example.com"] } }, ["alice", "bob"]), [
      { jid: "alice@example.com", sources: ["group", "config"] },
      { jid: "bob@example.com", sources: ["group"] },
      { jid: "zed@example.com", sources: ["config"] },
    ]);
  });
});
