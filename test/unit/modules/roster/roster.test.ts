// Roster get/set/remove, pushes and versioning (RFC 6121 §2, §2.6 / XEP-0237).
import assert from "node:assert/strict";
import { test } from "node:test";
import type { UserEvent } from "../../../../src/router/events.js";
import { x } from "../../../../src/xml/element.js";
import { NS } from "../../../../src/xml/ns.js";
import { errorCondition, itemsOf, rosterOf, TestServer } from "./harness.js";

const item = (attrs: Record<string, string | undefined>, ...groups: string[]) => x("item", attrs, groups.map((g) => x("group", null, g)));

test("roster get returns the items with a version (RFC 6121 §2.1.3)", async () => {
  const server = await TestServer.start();
  const alice = server.connect("alice", "phone");
  assert.equal(alice.rosterSet(item({ jid: "romeo@example.net", name: "Romeo" }, "Friends")).attrs.type, "result");

  const result = alice.rosterGet();
  assert.equal(result.attrs.type, "result");
  const query = result.getChild("query", NS.ROSTER);
  assert.ok(query?.attrs.ver, "a server that versions rosters includes 'ver' (§2.1.1)");
  assert.deepEqual(itemsOf(query).get("romeo@example.net"), { name: "Romeo", subscription: "none", ask: undefined, groups: ["Friends"] });
});

test("a roster get with the current version gets an empty result, a stale one the full roster (§2.6.3)", async () => {
  const server = await TestServer.start();
  const alice = server.connect("alice", "phone");
  alice.rosterSet(item({ jid: "romeo@example.net" }));
  const ver = alice.rosterGet().getChild("query", NS.ROSTER)!.attrs.ver!;

  const unchanged = alice.rosterGet(ver);
  assert.equal(unchanged.attrs.type, "result");
  assert.equal(unchanged.elements.length, 0, "roster unchanged: no <query/>");

  const stale = alice.rosterGet("some-old-version").getChild("query", NS.ROSTER);
  assert.equal(itemsOf(stale).size, 1);
  const fresh = alice.rosterGet("").getChild("query", NS.ROSTER);
  assert.equal(itemsOf(fresh).size, 1, "an empty ver means the client has no cache");
});

test("an empty roster that was never written still answers with a version", async () => {
  const server = await TestServer.start();
  const alice = server.connect("alice", "phone");
  const query = alice.rosterGet().getChild("query", NS.ROSTER)!;
  assert.equal(itemsOf(query).size, 0);
  assert.equal(alice.rosterGet(query.attrs.ver).elements.length, 0);
});

test("a roster set is pushed with the new version to interested resources only (§2.1.6, §2.2)", async () => {
  const server = await TestServer.start();
  const phone = server.connect("alice", "phone");
  const laptop = server.connect("alice", "laptop");
  const tablet = server.connect("alice", "tablet");
  phone.rosterGet();
  laptop.rosterGet();
  // The tablet never asked for the roster: not an interested resource.

  const reply = phone.rosterSet(item({ jid: "romeo@example.net", name: "Romeo" }));
  assert.equal(reply.attrs.type, "result");
  assert.equal(reply.elements.length, 0);

  const pushes = [...phone.takePushes(), ...laptop.takePushes()];
  assert.equal(pushes.length, 2);
  assert.equal(tablet.takePushes().length, 0);
  const currentVer = laptop.rosterGet().getChild("query", NS.ROSTER)!.attrs.ver;
  for (const push of pushes) {
    assert.equal(push.attrs.from, undefined, "a push comes from the account itself (no 'from')");
    const query = push.getChild("query", NS.ROSTER)!;
    assert.equal(query.attrs.ver, currentVer);
    assert.deepEqual(itemsOf(query).get("romeo@example.net")?.name, "Romeo");
  }
  assert.deepEqual(
    pushes.map((p) => p.attrs.to),
    ["alice@example.com/phone", "alice@example.com/laptop"],
  );
});

test("every change moves the version forward", async () => {
  const server = await TestServer.start();
  const alice = server.connect("alice", "phone");
  alice.rosterGet();
  const versions: number[] = [];
  for (const name of ["A", "B", "C"]) {
    alice.rosterSet(item({ jid: "romeo@example.net", name }));
    versions.push(Number(alice.takePushes()[0]!.getChild("query", NS.ROSTER)!.attrs.ver));
  }
  assert.ok(versions[0]! < versions[1]! && versions[1]! < versions[2]!, versions.join(" < "));
});

test("a roster set updates name and groups but keeps the subscription state (§2.4)", async () => {
  const server = await TestServer.start();
  const alice = server.online("alice", "phone");
  alice.presenceTo("bob@example.com", "subscribe");
  alice.take();

  alice.rosterSet(item({ jid: "bob@example.com", name: "Bobby", subscription: "both" }, "Work", "Friends"));
  const bob = rosterOf(server, "alice").get("bob@example.com");
  assert.deepEqual(bob, { name: "Bobby", subscription: "none", ask: "subscribe", groups: ["Work", "Friends"] });

  alice.rosterSet(item({ jid: "bob@example.com" }));
  assert.deepEqual(rosterOf(server, "alice").get("bob@example.com"), { name: undefined, subscription: "none", ask: "subscribe", groups: [] });
});

test("items are kept per bare JID", async () => {
  const server = await TestServer.start();
  const alice = server.connect("alice", "phone");
  alice.rosterSet(item({ jid: "Romeo@Example.NET/orchard" }));
  assert.deepEqual([...rosterOf(server, "alice").keys()], ["romeo@example.net"]);
});

test("subscription='remove' deletes the item and pushes the removal (§2.5)", async () => {
  const server = await TestServer.start();
  const alice = server.connect("alice", "phone");
  alice.rosterGet();
  alice.rosterSet(item({ jid: "romeo@example.net" }));
  alice.take();

  assert.equal(alice.rosterSet(item({ jid: "romeo@example.net", subscription: "remove" })).attrs.type, "result");
  const [push] = alice.takePushes();
  const pushed = push!.getChild("query", NS.ROSTER)!.getChild("item")!;
  assert.deepEqual(pushed.attrs, { jid: "romeo@example.net", subscription: "remove" });
  assert.equal(rosterOf(server, "alice").size, 0);
});

test("removing an item the roster does not hold is item-not-found (§2.5.3)", async () => {
  const server = await TestServer.start();
  const alice = server.connect("alice", "phone");
  assert.equal(errorCondition(alice.rosterSet(item({ jid: "nobody@example.net", subscription: "remove" }))), "item-not-found");
});

test("invalid roster sets are rejected with the conditions of §2.3.3", async () => {
  const server = await TestServer.start();
  const alice = server.connect("alice", "phone");
  alice.rosterGet();
  const set = (...items: ReturnType<typeof item>[]) => errorCondition(alice.iq("set", x("query", { xmlns: NS.ROSTER }, items)));
  const long = "x".repeat(1025);

  assert.equal(set(item({ jid: "a@example.net" }), item({ jid: "b@example.net" })), "bad-request", "more than one item");
  assert.equal(set(), "bad-request", "no item");
  assert.equal(set(item({ jid: "a@example.net" }, "Friends", "Friends")), "bad-request", "duplicate group");
  assert.equal(set(item({ jid: "a@example.net" }, "")), "bad-request", "empty group name");
  assert.equal(set(item({ jid: "a@example.net", name: long })), "not-acceptable", "name too long");
  assert.equal(set(item({ jid: "a@example.net" }, long)), "not-acceptable", "group name too long");
  assert.equal(set(item({ jid: "a@@example.net" })), "jid-malformed");
  assert.equal(set(item({ name: "no jid" })), "bad-request", "item without jid");
  assert.equal(set(item({ jid: "a@example.net", subscription: "bogus" })), "bad-request", "not a subscription value");

  assert.equal(rosterOf(server, "alice").size, 0, "nothing was stored");
  assert.equal(alice.takePushes().length, 0, "and nothing pushed");
});

test("a subscription state in a roster set is ignored, never applied (§2.1.2.5)", async () => {
  const server = await TestServer.start();
  const alice = server.connect("alice", "phone");
  assert.equal(alice.rosterSet(item({ jid: "romeo@example.net", subscription: "both", ask: "subscribe" })).attrs.type, "result");
  assert.deepEqual(rosterOf(server, "alice").get("romeo@example.net"), { name: undefined, subscription: "none", ask: undefined, groups: [] });
});

test("another account's roster can be neither read (service-unavailable) nor written (forbidden)", async () => {
  const server = await TestServer.start();
  const bob = server.connect("bob", "desk");
  bob.rosterSet(item({ jid: "romeo@example.net" }));
  const alice = server.connect("alice", "phone");

  assert.equal(errorCondition(alice.iq("get", x("query", { xmlns: NS.ROSTER }), "bob@example.com")), "service-unavailable");
  assert.equal(errorCondition(alice.iq("set", x("query", { xmlns: NS.ROSTER }, item({ jid: "eve@example.net" })), "bob@example.com")), "forbidden");
  assert.deepEqual([...rosterOf(server, "bob").keys()], ["romeo@example.net"]);
});

test("a roster IQ addressed to the account's own bare JID is the account's own roster", async () => {
  const server = await TestServer.start();
  const alice = server.connect("alice", "phone");
  alice.iq("set", x("query", { xmlns: NS.ROSTER }, item({ jid: "romeo@example.net" })), "alice@example.com");
  const reply = alice.iq("get", x("query", { xmlns: NS.ROSTER }), "alice@example.com");
  assert.equal(itemsOf(reply.getChild("query", NS.ROSTER)).size, 1);
});

test("roster versioning is offered as a stream feature once authenticated (§2.6.1)", async () => {
  const server = await TestServer.start();
  const fresh = server.connect("alice", "phone");
  const ver = (s: typeof fresh) => server.features(s).getChild("ver", NS.ROSTER_VER);

  fresh.state = "connected";
  assert.equal(ver(fresh), undefined, "not before authentication");
  fresh.state = "authenticated";
  assert.ok(ver(fresh));
});

test("deleting an account drops its roster and cancels its contacts' subscriptions", async () => {
  const server = await TestServer.start();
  const alice = server.online("alice", "phone");
  const bob = server.online("bob", "desk");
  alice.presenceTo("bob@example.com", "subscribe");
  bob.presenceTo("alice@example.com", "subscribed");
  assert.equal(rosterOf(server, "bob").get("alice@example.com")?.subscription, "from");
  alice.disconnect();
  bob.take();

  server.auth.deleteUser("alice");
  server.host.bus.fire<UserEvent>("user-deleted", { username: "alice", host: server.domain });

  assert.equal(rosterOf(server, "bob").get("alice@example.com")?.subscription, "none", "bob no longer grants presence to 'alice'");
  server.auth.createUser("alice");
  const reborn = server.connect("alice", "phone");
  assert.equal(itemsOf(reborn.rosterGet().getChild("query", NS.ROSTER)).size, 0);
});
