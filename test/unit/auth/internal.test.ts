import { test } from "node:test";
import assert from "node:assert/strict";
import { InternalAuthProvider, type AccountRecord, type GroupStore } from "../../../src/auth/internal.js";
import { ChatctlError } from "../../../src/errors.js";
import { ScramMechanism } from "../../../src/sasl/scram.js";
import type { Json, KeyValueStore } from "../../../src/storage/types.js";
import { ScramClient } from "../sasl/scram-client.js";
import { context, runScram } from "../sasl/fixtures.js";

/** In-memory KeyValueStore that, like a real backend, keeps values as JSON text (no shared objects). */
class JsonKeyValueStore<V extends Json> implements KeyValueStore<V> {
  readonly rows = new Map<string, string>();
  get(user: string): V | undefined {
    const row = this.rows.get(user);
    return row === undefined ? undefined : (JSON.parse(row) as V);
  }
  set(user: string, value: V | undefined): void {
    if (value === undefined) this.rows.delete(user);
    else this.rows.set(user, JSON.stringify(value));
  }
  users(): string[] {
    return [...this.rows.keys()];
  }
}

/** In-memory MapStore for group membership. */
class MemoryMapStore implements GroupStore {
  readonly rows = new Map<string, Map<string, true>>();
  get(user: string, key: string): true | undefined {
    return this.rows.get(user)?.get(key);
  }
  set(user: string, key: string, value: true | undefined): void {
    this.setMany(user, [[key, value]]);
  }
  getAll(user: string): Map<string, true> {
    return new Map(this.rows.get(user));
  }
  setMany(user: string, entries: Iterable<[string, true | undefined]>): void {
    const m = this.rows.get(user) ?? new Map<string, true>();
    for (const [k, v] of entries) {
      if (v === undefined) m.delete(k);
      else m.set(k, v);
    }
    this.rows.set(user, m);
  }
  deleteUser(user: string): void {
    this.rows.delete(user);
  }
  users(): string[] {
    return [...this.rows.keys()];
  }
}

function setup(iterations: number | { "SHA-1"?: number; "SHA-256"?: number } = 64) {
  const accounts = new JsonKeyValueStore<AccountRecord>();
  const groups = new MemoryMapStore();
  let clock = 1_700_000_000_000;
  const provider = new InternalAuthProvider(accounts, { iterations, groups, now: () => clock });
  return { accounts, groups, provider, tick: (ms: number) => (clock += ms) };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof ChatctlError ? err.code : `not a ChatctlError: ${String(err)}`;
  }
  return undefined;
}

test("a created user verifies with the right password only", async () => {
  const { provider } = setup();
  provider.createUser("juliet", "r0meo!");
  assert.equal(await provider.verify("juliet", "r0meo!"), true);
  assert.equal(await provider.verify("juliet", "r0meo"), false);
  assert.equal(await provider.verify("Juliet", "r0meo!"), true);
  assert.equal(await provider.verify("nobody", "r0meo!"), false);
  assert.equal(await provider.verify("", "r0meo!"), false);
});

test("the stored account holds salted SCRAM keys for both hashes and no trace of the password", () => {
  const { accounts, provider } = setup();
  const password = "correct horse battery staple";
  provider.createUser("juliet", password);
  const row = accounts.rows.get("juliet") ?? "";
  for (const encoding of ["utf8", "base64", "hex"] as const) {
    assert.ok(!row.includes(Buffer.from(password).toString(encoding)), `password found as ${encoding}`);
  }
  const record = accounts.get("juliet");
  assert.deepEqual(Object.keys(record ?? {}).sort(), ["created", "scram"]);
  assert.deepEqual(Object.keys(record?.scram ?? {}).sort(), ["SHA-1", "SHA-256"]);
  for (const c of Object.values(record?.scram ?? {})) assert.deepEqual(Object.keys(c).sort(), ["iterations", "salt", "serverKey", "storedKey"]);
  // Each hash gets its own salt.
  assert.notEqual(record?.scram["SHA-1"].salt, record?.scram["SHA-256"].salt);
});

test("the same password for two users gives unrelated stored keys (per-account salt)", () => {
  const { provider } = setup();
  provider.createUser("juliet", "same");
  provider.createUser("romeo", "same");
  assert.notEqual(provider.getScramCredentials("juliet", "SHA-256")?.storedKey, provider.getScramCredentials("romeo", "SHA-256")?.storedKey);
});

test("iterations are configurable, per hash, and default to 4096", () => {
  const a = setup({ "SHA-1": 100, "SHA-256": 200 });
  a.provider.createUser("juliet", "pw");
  assert.equal(a.provider.getScramCredentials("juliet", "SHA-1")?.iterations, 100);
  assert.equal(a.provider.getScramCredentials("juliet", "SHA-256")?.iterations, 200);
  assert.equal(a.provider.scramIterations("SHA-256"), 200);
  const defaults = new InternalAuthProvider(new JsonKeyValueStore<AccountRecord>());
  assert.equal(defaults.scramIterations("SHA-1"), 4096);
  assert.equal(defaults.scramIterations("SHA-256"), 4096);
  assert.equal(codeOf(() => new InternalAuthProvider(new JsonKeyValueStore<AccountRecord>(), { iterations: 0 })), "CHATCTL_E_USAGE");
});

test("SCRAM-SHA-1 and SCRAM-SHA-256 logins work against the stored credentials", async () => {
  const { provider } = setup();
  provider.createUser("juliet", "r0meo!");
  for (const hash of ["SHA-1", "SHA-256"] as const) {
    const client = new ScramClient(hash, { username: "juliet", password: "r0meo!" });
    const { last } = await runScram(new ScramMechanism(hash), context(provider), client);
    assert.equal(last.kind, "success", hash);
    assert.ok(last.kind === "success" && client.verifiesServer(last.data));
  }
});

test("createUser refuses an existing user, also when spelled with other case", () => {
  const { provider } = setup();
  provider.createUser("juliet", "pw");
  assert.equal(codeOf(() => provider.createUser("juliet", "other")), "CHATCTL_E_USER_EXISTS");
  assert.equal(codeOf(() => provider.createUser("JULIET", "other")), "CHATCTL_E_USER_EXISTS");
});

test("invalid usernames and empty passwords are usage errors", () => {
  const { provider } = setup();
  assert.equal(codeOf(() => provider.createUser("", "pw")), "CHATCTL_E_USAGE");
  assert.equal(codeOf(() => provider.createUser("a".repeat(1024), "pw")), "CHATCTL_E_USAGE");
  assert.equal(codeOf(() => provider.createUser("juliet", "")), "CHATCTL_E_USAGE");
  assert.deepEqual(provider.listUsers(), []);
});

test("setPassword replaces the credentials and keeps the creation time", async () => {
  const { provider, accounts, tick } = setup();
  provider.createUser("juliet", "old");
  const created = accounts.get("juliet")?.created;
  assert.equal(created, 1_700_000_000_000);
  tick(5000);
  provider.setPassword("Juliet", "new");
  assert.equal(await provider.verify("juliet", "old"), false);
  assert.equal(await provider.verify("juliet", "new"), true);
  assert.equal(accounts.get("juliet")?.created, created);
});

test("setPassword and deleteUser on a missing user fail with CHATCTL_E_USER_NOT_FOUND", () => {
  const { provider } = setup();
  assert.equal(codeOf(() => provider.setPassword("nobody", "pw")), "CHATCTL_E_USER_NOT_FOUND");
  assert.equal(codeOf(() => provider.deleteUser("nobody")), "CHATCTL_E_USER_NOT_FOUND");
});

test("deleteUser removes the account and its group memberships", async () => {
  const { provider } = setup();
  provider.createUser("juliet", "pw");
  provider.addToGroup("juliet", "jabberadmins");
  provider.deleteUser("juliet");
  assert.equal(provider.userExists("juliet"), false);
  assert.equal(provider.getScramCredentials("juliet", "SHA-256"), undefined);
  assert.equal(await provider.verify("juliet", "pw"), false);
  assert.deepEqual(provider.groupMembers("jabberadmins"), []);
  // A new account of the same name does not inherit admin rights.
  provider.createUser("juliet", "pw");
  assert.deepEqual(provider.groups("juliet"), []);
});

test("listUsers is sorted and userExists prepares the name", () => {
  const { provider } = setup();
  provider.createUser("romeo", "pw");
  provider.createUser("Juliet", "pw");
  assert.deepEqual(provider.listUsers(), ["juliet", "romeo"]);
  assert.equal(provider.userExists("JULIET"), true);
  assert.equal(provider.userExists("nurse"), false);
});

test("group membership can be added, listed both ways and removed", () => {
  const { provider } = setup();
  provider.createUser("juliet", "pw");
  provider.createUser("romeo", "pw");
  provider.addToGroup("juliet", "jabberadmins");
  provider.addToGroup("juliet", "capulets");
  provider.addToGroup("romeo", "jabberadmins");
  provider.addToGroup("romeo", "jabberadmins"); // idempotent
  assert.deepEqual(provider.groups("Juliet"), ["capulets", "jabberadmins"]);
  assert.deepEqual(provider.groupMembers("jabberadmins"), ["juliet", "romeo"]);
  assert.equal(provider.removeFromGroup("romeo", "jabberadmins"), true);
  assert.equal(provider.removeFromGroup("romeo", "jabberadmins"), false);
  assert.deepEqual(provider.groupMembers("jabberadmins"), ["juliet"]);
  assert.deepEqual(provider.groups("nobody"), []);
});

test("adding a missing user to a group fails, and so does an empty group name", () => {
  const { provider } = setup();
  assert.equal(codeOf(() => provider.addToGroup("nobody", "jabberadmins")), "CHATCTL_E_USER_NOT_FOUND");
  provider.createUser("juliet", "pw");
  assert.equal(codeOf(() => provider.addToGroup("juliet", "")), "CHATCTL_E_USAGE");
});

test("without a group store, memberships still work (in memory)", () => {
  const provider = new InternalAuthProvider(new JsonKeyValueStore<AccountRecord>(), { iterations: 64 });
  provider.createUser("juliet", "pw");
  provider.addToGroup("juliet", "jabberadmins");
  assert.deepEqual(provider.groups("juliet"), ["jabberadmins"]);
  provider.deleteUser("juliet");
  assert.deepEqual(provider.groupMembers("jabberadmins"), []);
});
