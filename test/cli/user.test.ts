// `chatctl user …` end to end: the real binary on a temp SQLite database, then the database
// opened again in-process to check what was really stored.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { InternalAuthProvider, type AccountRecord } from "../../src/auth/internal.js";
import { loadConfig } from "../../src/config/load.js";
import { openStorage } from "../../src/storage/open.js";
import { DOMAIN, sandbox, type Sandbox } from "./helpers.js";

/** Opens the sandbox's database the way the CLI does, for checks the CLI cannot make. */
function openAccounts(box: Sandbox) {
  const config = loadConfig({ configPath: box.configPath, explicit: true, env: box.env, flags: { dataDir: box.dataDir } });
  const backend = openStorage(config);
  const auth = new InternalAuthProvider(backend.keyval<AccountRecord>(DOMAIN, "accounts"), { iterations: config.auth.scramIterations });
  return { backend, auth, close: () => backend.close() };
}

async function listUsers(box: Sandbox): Promise<string[]> {
  const r = await box.run(["user", "list", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const parsed = JSON.parse(r.stdout) as { domain: string; users: string[] };
  assert.equal(parsed.domain, DOMAIN);
  return parsed.users;
}

describe("chatctl user", () => {
  let box: Sandbox;
  before(async () => {
    box = await sandbox();
  });
  after(async () => {
    await box.remove();
  });

  test("user add --password-stdin creates the account and user list --json shows it, sorted", async () => {
    const bob = await box.run(["user", "add", "bob", "--password-stdin"], "bob-secret\n");
    assert.equal(bob.code, 0, bob.stderr);
    assert.match(bob.stdout, /created bob@example\.test/);
    // name@domain is accepted when the domain is the configured one.
    const alice = await box.run(["user", "add", `alice@${DOMAIN}`, "--password-stdin"], "alice-secret\n");
    assert.equal(alice.code, 0, alice.stderr);
    assert.deepEqual(await listUsers(box), ["alice", "bob"]);
  });

  test("human user list prints one account per line and a count", async () => {
    const r = await box.run(["user", "list"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `alice\nbob\n2 users on ${DOMAIN}\n`);
  });

  test("adding an existing account exits 1 and says it exists, whatever the case of the name", async () => {
    const r = await box.run(["user", "add", "Alice", "--password-stdin"], "other\n");
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^chatctl: alice@example\.test already exists$/m);
    assert.match(r.stderr, /chatctl user passwd alice/);
  });

  test("the password is the stdin line without its line ending", async () => {
    const r = await box.run(["user", "add", "carol", "--password-stdin"], "carol pw\r\nignored second line\n");
    assert.equal(r.code, 0, r.stderr);
    const db = openAccounts(box);
    try {
      assert.equal(await db.auth.verify("carol", "carol pw"), true);
    } finally {
      db.close();
    }
  });

  test("user passwd replaces the password: the new one verifies, the old one no longer does", async () => {
    const r = await box.run(["user", "passwd", "bob", "--password-stdin"], "bob-new\n");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /password changed for bob@example\.test/);
    const db = openAccounts(box);
    try {
      assert.equal(await db.auth.verify("bob", "bob-new"), true);
      assert.equal(await db.auth.verify("bob", "bob-secret"), false);
    } finally {
      db.close();
    }
  });

  test("user passwd on an unknown account exits 1 and says so", async () => {
    const r = await box.run(["user", "passwd", "nobody", "--password-stdin"], "x\n");
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no such account: nobody@example\.test/);
  });

  test("without --password-stdin and without a terminal, user add exits 2 instead of waiting", async () => {
    const r = await box.run(["user", "add", "dave"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /chatctl: no password: use --password-stdin/);
    assert.ok(!(await listUsers(box)).includes("dave"));
  });

  test("an empty password on stdin is a usage error", async () => {
    const r = await box.run(["user", "add", "dave", "--password-stdin"], "\n");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /empty password/);
  });

  test("an account on another domain is a usage error", async () => {
    const r = await box.run(["user", "add", "dave@elsewhere.test", "--password-stdin"], "x\n");
    assert.equal(r.code, 2);
    assert.match(r.stderr, /"dave@elsewhere\.test" is not on example\.test/);
  });

  test("user del without --yes when not on a terminal exits 2 and deletes nothing", async () => {
    const r = await box.run(["user", "del", "bob"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--yes/);
    assert.ok((await listUsers(box)).includes("bob"));
  });

  test("user del --yes removes the account and everything stored for it", async () => {
    // Something else stored for bob, as a feature module would (a vCard), must go too.
    let db = openAccounts(box);
    try {
      db.backend.keyval(DOMAIN, "vcard").set("bob", { fn: "Bob" });
    } finally {
      db.close();
    }
    const r = await box.run(["user", "del", "bob", "--yes"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /deleted bob@example\.test/);
    assert.deepEqual(await listUsers(box), ["alice", "carol"]);
    db = openAccounts(box);
    try {
      assert.equal(db.backend.keyval(DOMAIN, "vcard").get("bob"), undefined);
      assert.equal(db.auth.userExists("bob"), false);
    } finally {
      db.close();
    }
  });

  test("user del of an unknown account exits 1", async () => {
    const r = await box.run(["user", "del", "bob", "--yes"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no such account: bob@example\.test/);
  });
});
