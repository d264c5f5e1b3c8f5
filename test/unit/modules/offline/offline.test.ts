// Offline messages (XEP-0160): what is stored for an account without an available resource, how
// it is delivered on its next available presence, the per-account cap, and what survives a restart.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { openSqliteStorage } from "../../../../src/storage/sqlite/storage.js";
import { x } from "../../../../src/xml/element.js";
import {
  archiveOf,
  chat,
  connect,
  CHATSTATES,
  DELAY,
  DOMAIN,
  errorCondition,
  HINTS,
  online,
  presence,
  settle,
  stanzaIdOf,
  startArchiveServer,
  takeMessages,
} from "../mam/helpers.js";

test("a chat message for an account with no available resource is delivered with a delay stamp on its next initial presence (XEP-0160 §2)", async () => {
  const server = await startArchiveServer({ mam: false });
  const bob = await online(server, "bob", "desk");
  const before = Date.now();
  bob.write(chat("alice@example.com", "first", { id: "m1" }));
  bob.write(chat("alice@example.com", "second", { id: "m2" }));
  bob.write(x("message", { to: "alice@example.com", id: "m3" }, x("body", null, "third (normal)")));
  assert.deepEqual(bob.take(), [], "stored without an error to the sender");
  assert.equal((await archiveOf(server, "alice", "offline")).length, 3);

  const alice = connect(server, "alice", "phone");
  presence(alice);
  await settle();
  const delivered = takeMessages(alice);
  assert.deepEqual(delivered.map((m) => m.attrs.id), ["m1", "m2", "m3"], "in the order they were sent");
  for (const m of delivered) {
    const delay = m.getChild("delay", DELAY);
    assert.equal(delay?.attrs.from, DOMAIN, "XEP-0203: the server that held it");
    const stamp = Date.parse(delay?.attrs.stamp ?? "");
    assert.ok(stamp >= before - 1000 && stamp <= Date.now(), "stamped when stored");
    assert.equal(m.attrs.from, "bob@example.com/desk");
  }
  assert.equal((await archiveOf(server, "alice", "offline")).length, 0, "the queue is emptied once delivered");

  const laptop = connect(server, "alice", "laptop");
  presence(laptop);
  await settle();
  assert.deepEqual(takeMessages(laptop), [], "delivered once only");
});

test("a message to a full JID whose resource is gone is held like one to the bare JID (RFC 6121 §8.5.3.2.1)", async () => {
  const server = await startArchiveServer({ mam: false });
  const bob = await online(server, "bob", "desk");
  bob.write(chat("alice@example.com/gone", "hello", { id: "full1" }));
  const alice = connect(server, "alice", "phone");
  presence(alice);
  await settle();
  assert.deepEqual(takeMessages(alice).map((m) => m.attrs.id), ["full1"]);
});

test("a resource with negative priority gets nothing until its priority becomes non-negative (XEP-0160 §2 step 5)", async () => {
  const server = await startArchiveServer({ mam: false });
  const bob = await online(server, "bob", "desk");
  bob.write(chat("alice@example.com", "wait for me", { id: "n1" }));

  const alice = connect(server, "alice", "phone");
  presence(alice, -1);
  await settle();
  assert.deepEqual(takeMessages(alice), []);
  bob.write(chat("alice@example.com", "still queued", { id: "n2" }));
  assert.deepEqual(bob.take(), [], "a negative-priority resource does not count as available: stored");

  presence(alice, 0);
  await settle();
  assert.deepEqual(takeMessages(alice).map((m) => m.attrs.id), ["n1", "n2"]);
});

test("headline, groupchat and error messages are never stored (XEP-0160 §3, RFC 6121 §8.5.2.2.1)", async () => {
  const server = await startArchiveServer({ mam: false });
  const bob = await online(server, "bob", "desk");
  bob.write(x("message", { to: "alice@example.com", type: "headline", id: "h" }, x("body", null, "news")));
  bob.write(x("message", { to: "alice@example.com", type: "error", id: "e" }, x("body", null, "oops")));
  assert.deepEqual(bob.take(), [], "headline and error are dropped silently");
  bob.write(x("message", { to: "alice@example.com", type: "groupchat", id: "g" }, x("body", null, "room talk")));
  const [bounce] = bob.take();
  assert.equal(bounce?.attrs.id, "g");
  assert.equal(errorCondition(bounce!), "service-unavailable");
  assert.equal((await archiveOf(server, "alice", "offline")).length, 0);
});

test("chat states alone and <no-store/> messages are dropped; <no-permanent-store/>, <store/> and OMEMO payloads are held (XEP-0160 §3, XEP-0334)", async () => {
  const server = await startArchiveServer({ mam: false });
  const bob = await online(server, "bob", "desk");
  bob.write(chat("alice@example.com", undefined, { id: "typing" }, x("composing", { xmlns: CHATSTATES })));
  bob.write(chat("alice@example.com", "ephemeral", { id: "nostore" }, x("no-store", { xmlns: HINTS })));
  assert.deepEqual(bob.take(), [], "nothing bounced for content not worth keeping");

  bob.write(chat("alice@example.com", "off the record", { id: "npstore" }, x("no-permanent-store", { xmlns: HINTS })));
  bob.write(chat("alice@example.com", undefined, { id: "hint" }, x("store", { xmlns: HINTS })));
  bob.write(chat("alice@example.com", undefined, { id: "omemo" }, x("encrypted", { xmlns: "eu.siacs.conversations.axolotl" }, x("header", { sid: "1" }))));
  bob.write(chat("alice@example.com", undefined, { id: "receipt" }, x("received", { xmlns: "urn:xmpp:receipts", id: "m0" })));

  const alice = connect(server, "alice", "phone");
  presence(alice);
  await settle();
  assert.deepEqual(takeMessages(alice).map((m) => m.attrs.id), ["npstore", "hint", "omemo", "receipt"]);
});

test("a full queue refuses further messages with resource-constraint and keeps what it held (nothing silently lost)", async () => {
  const server = await startArchiveServer({ offline: { maxMessages: 3 } });
  const bob = await online(server, "bob", "desk");
  for (const id of ["q1", "q2", "q3"]) bob.write(chat("alice@example.com", id, { id }));
  assert.deepEqual(bob.take(), []);

  bob.write(chat("alice@example.com", "one too many", { id: "q4" }));
  const [bounce] = bob.take();
  assert.equal(bounce?.attrs.type, "error");
  assert.equal(bounce?.attrs.id, "q4");
  assert.equal(errorCondition(bounce!), "resource-constraint");
  assert.equal(bounce?.getChild("error")?.attrs.type, "wait");
  assert.equal((await archiveOf(server, "alice", "archive")).length, 3, "a refused message is not in the recipient's archive either");

  const alice = connect(server, "alice", "phone");
  presence(alice);
  await settle();
  assert.deepEqual(takeMessages(alice).map((m) => m.attrs.id), ["q1", "q2", "q3"]);
  bob.write(chat("alice@example.com", "now online", { id: "q5" }));
  assert.deepEqual(takeMessages(alice).map((m) => m.attrs.id), ["q5"], "delivered live once the account is back");
});

test("held messages survive a server restart (SQLite) and carry the archive's stanza-id", async () => {
  const dir = mkdtempSync(join(tmpdir(), "chatctl-offline-"));
  const storage = openSqliteStorage(join(dir, "db.sqlite"));
  try {
    const server = await startArchiveServer({ storage });
    const bob = await online(server, "bob", "desk");
    bob.write(chat("alice@example.com", "before the restart", { id: "r1" }));
    const [archived] = (await archiveOf(server, "alice"));
    await server.restart();

    const alice = connect(server, "alice", "phone");
    presence(alice);
    await settle();
    const [delivered] = takeMessages(alice);
    assert.equal(delivered?.attrs.id, "r1");
    assert.equal(delivered?.getChildText("body"), "before the restart");
    assert.ok(delivered?.getChild("delay", DELAY)?.attrs.stamp);
    assert.deepEqual(stanzaIdOf(delivered!), { by: "alice@example.com", id: archived?.key }, "the id a MAM query would show");
  } finally {
    storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("deleting an account deletes its queue, and msgoffline is advertised (XEP-0160 §4)", async () => {
  const server = await startArchiveServer({ mam: false });
  assert.ok(server.host.features().includes("msgoffline"));
  const bob = await online(server, "bob", "desk");
  bob.write(chat("alice@example.com", "for nobody", { id: "d1" }));
  assert.equal((await archiveOf(server, "alice", "offline")).length, 1);
  server.host.bus.fire("user-deleted", { username: "alice", host: DOMAIN });
  assert.equal((await archiveOf(server, "alice", "offline")).length, 0);
});
