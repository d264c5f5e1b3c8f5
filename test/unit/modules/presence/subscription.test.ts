// Presence subscriptions end to end between two local accounts with two resources each, and with
// a remote server (RFC 6121 §3). The server plays both roles: the user's and the contact's.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { StanzaEvent } from "../../../../src/router/events.js";
import { Priority } from "../../../../src/router/priority.js";
import { type Element, x } from "../../../../src/xml/element.js";
import { NS } from "../../../../src/xml/ns.js";
import { DOMAIN, type FakeSession, itemsOf, rosterOf, summary, TestServer } from "../roster/harness.js";

const NICK_NS = "http://jabber.org/protocol/nick";

/** The single roster item of each push, as "jid subscription[+ask]". */
function pushed(session: FakeSession): string[] {
  return session.takePushes().map((iq) => {
    const item = iq.getChild("query", NS.ROSTER)!.getChild("item")!;
    return `${item.attrs.jid} ${item.attrs.subscription}${item.attrs.ask ? "+" + item.attrs.ask : ""}`;
  });
}

/** Stanzas that left for other servers. */
function remoteOutbox(server: TestServer): Element[] {
  const out: Element[] = [];
  server.host.bus.on<StanzaEvent>("route/remote", (ev) => {
    out.push(ev.stanza);
    return true;
  }, Priority.DEFAULT);
  return out;
}

test("the subscription handshake: request, approval, both rosters updated and presence flowing (§3.1)", async () => {
  const server = await TestServer.start();
  const [alicePhone, aliceLaptop] = [server.online("alice", "phone"), server.online("alice", "laptop")];
  const [bobDesk, bobMobile] = [server.online("bob", "desk"), server.online("bob", "mobile")];
  for (const s of [alicePhone, aliceLaptop, bobDesk, bobMobile]) s.take();

  // §3.1.1–3.1.3: alice asks.
  alicePhone.presenceTo("bob@example.com", "subscribe", x("nick", { xmlns: NICK_NS }, "Alice"));
  for (const s of [alicePhone, aliceLaptop]) assert.deepEqual(pushed(s), ["bob@example.com none+subscribe"]);
  for (const s of [bobDesk, bobMobile]) {
    const [request, ...rest] = s.take();
    assert.equal(rest.length, 0, "no roster push for a request from someone bob never added");
    assert.deepEqual(summary([request!]), ["subscribe alice@example.com→bob@example.com"], "stamped with alice's bare JID");
    assert.equal(request!.getChildText("nick", NICK_NS), "Alice", "the payload travels untouched");
  }
  assert.equal(rosterOf(server, "bob").has("alice@example.com"), false, "a pending request is not a roster item (§3.1.3)");

  // §3.1.4–3.1.6: bob approves.
  bobDesk.presenceTo("alice@example.com", "subscribed");
  for (const s of [bobDesk, bobMobile]) assert.deepEqual(pushed(s), ["alice@example.com from"]);
  for (const s of [alicePhone, aliceLaptop]) {
    const received = s.take();
    const presences = received.filter((el) => el.name === "presence");
    assert.deepEqual(summary(presences), [
      "subscribed bob@example.com→alice@example.com",
      "available bob@example.com/desk→alice@example.com",
      "available bob@example.com/mobile→alice@example.com",
    ]);
    const pushes = received.filter((el) => el.name === "iq").map((iq) => iq.getChild("query", NS.ROSTER)!.getChild("item")!.attrs.subscription);
    assert.deepEqual(pushes, ["to"]);
  }
  assert.equal(rosterOf(server, "alice").get("bob@example.com")?.subscription, "to");
  assert.equal(rosterOf(server, "bob").get("alice@example.com")?.subscription, "from");

  // From now on bob's presence reaches alice, and not the other way round.
  bobMobile.presenceTo(undefined, undefined, x("show", null, "away"));
  for (const s of [alicePhone, aliceLaptop]) assert.deepEqual(summary(s.takePresence()), ["available bob@example.com/mobile→alice@example.com"]);
  assert.deepEqual(summary(bobDesk.takePresence()), ["available bob@example.com/mobile→bob@example.com/desk"], "bob's own resources see it");
  alicePhone.presenceTo(undefined, undefined, x("show", null, "dnd"));
  assert.deepEqual(summary(bobDesk.takePresence()), []);
  alicePhone.take();
  aliceLaptop.take();

  // And the other direction makes it mutual.
  bobDesk.presenceTo("alice@example.com", "subscribe");
  for (const s of [alicePhone, aliceLaptop]) assert.deepEqual(summary(s.takePresence()), ["subscribe bob@example.com→alice@example.com"]);
  aliceLaptop.presenceTo("bob@example.com", "subscribed");
  assert.equal(rosterOf(server, "alice").get("bob@example.com")?.subscription, "both");
  assert.equal(rosterOf(server, "bob").get("alice@example.com")?.subscription, "both");
  bobDesk.take();
  alicePhone.presenceTo(undefined, undefined, x("show", null, "chat"));
  assert.deepEqual(summary(bobDesk.takePresence()), ["available alice@example.com/phone→bob@example.com"]);
});

test("a request to an offline account is delivered at its next initial presence, and survives a restart (§3.1.3)", async () => {
  const server = await TestServer.start();
  const alice = server.online("alice", "phone");
  alice.presenceTo("bob@example.com", "subscribe", x("nick", { xmlns: NICK_NS }, "Alice"));

  const requestsAt = (session: FakeSession) => session.takePresence().filter((p) => p.attrs.type === "subscribe");
  let bob = server.connect("bob", "desk");
  bob.rosterGet();
  assert.equal(requestsAt(bob).length, 0, "requests go to available resources, not merely connected ones");
  bob.presenceTo(undefined, undefined);
  let [request] = requestsAt(bob);
  assert.equal(request?.attrs.from, "alice@example.com");
  assert.equal(request?.getChildText("nick", NICK_NS), "Alice");
  assert.ok(request?.getChild("delay", NS.DELAY)?.attrs.stamp, "a stored request says when it arrived (XEP-0203)");

  // Unanswered: again on the next initial presence, also after a restart.
  bob.disconnect();
  await server.restart();
  bob = server.connect("bob", "desk");
  bob.presenceTo(undefined, undefined);
  [request] = requestsAt(bob);
  assert.equal(request?.attrs.from, "alice@example.com");

  // A second resource coming online while the first ignores the request gets it too.
  const mobile = server.connect("bob", "mobile");
  mobile.presenceTo(undefined, undefined);
  assert.equal(requestsAt(mobile).length, 1);

  // Answered: never again.
  bob.presenceTo("alice@example.com", "subscribed");
  bob.disconnect();
  mobile.disconnect();
  bob = server.connect("bob", "desk");
  bob.presenceTo(undefined, undefined);
  assert.equal(requestsAt(bob).length, 0);
  assert.equal(rosterOf(server, "bob").get("alice@example.com")?.subscription, "from");
});

test("a request repeated while one is pending is not delivered twice (A.3.1)", async () => {
  const server = await TestServer.start();
  const alice = server.online("alice", "phone");
  const bob = server.online("bob", "desk");
  alice.presenceTo("bob@example.com", "subscribe");
  alice.presenceTo("bob@example.com", "subscribe");
  assert.deepEqual(summary(bob.takePresence()), ["subscribe alice@example.com→bob@example.com"]);
});

test("a request from a contact the user already approved is answered by the server (§3.1.3)", async () => {
  const server = await TestServer.start();
  // bob's roster says alice may see his presence; alice's server (the same one here) forgot.
  server.storage.map(DOMAIN, "roster").set("bob", "alice@example.com", { subscription: "from", groups: [] });
  const bob = server.online("bob", "desk");
  const alice = server.online("alice", "phone");

  alice.presenceTo("bob@example.com", "subscribe");
  assert.deepEqual(summary(bob.takePresence()), [], "bob is not asked again");
  const received = alice.take();
  assert.deepEqual(summary(received.filter((el) => el.name === "presence")), [
    "subscribed bob@example.com→alice@example.com",
    "available bob@example.com/desk→alice@example.com",
  ]);
  assert.equal(rosterOf(server, "alice").get("bob@example.com")?.subscription, "to");
});

test("denying a request removes every trace of it (§3.2.1, A.2.4)", async () => {
  const server = await TestServer.start();
  const alice = server.online("alice", "phone");
  let bob = server.online("bob", "desk");
  alice.presenceTo("bob@example.com", "subscribe");
  bob.take();
  alice.take();

  bob.presenceTo("alice@example.com", "unsubscribed");
  assert.deepEqual(summary(alice.takePresence()), ["unsubscribed bob@example.com→alice@example.com"]);
  assert.deepEqual(rosterOf(server, "alice").get("bob@example.com"), { name: undefined, subscription: "none", ask: undefined, groups: [] });
  assert.equal(rosterOf(server, "bob").has("alice@example.com"), false);
  bob.disconnect();
  bob = server.connect("bob", "desk");
  bob.presenceTo(undefined, undefined);
  assert.equal(bob.takePresence().filter((p) => p.attrs.type === "subscribe").length, 0, "not delivered again");
});

/** Mutual subscription between two accounts, set up directly in the roster store. */
function befriend(server: TestServer, a: string, b: string): void {
  const roster = server.storage.map(DOMAIN, "roster");
  roster.set(a, `${b}@${DOMAIN}`, { subscription: "both", groups: [] });
  roster.set(b, `${a}@${DOMAIN}`, { subscription: "both", groups: [] });
}

test("unsubscribing stops the contact's presence and tells the contact (§3.3)", async () => {
  const server = await TestServer.start();
  befriend(server, "alice", "bob");
  const bob = server.online("bob", "desk");
  const alice = server.online("alice", "phone");
  bob.take();

  alice.presenceTo("bob@example.com", "unsubscribe");
  assert.equal(rosterOf(server, "alice").get("bob@example.com")?.subscription, "from");
  assert.equal(rosterOf(server, "bob").get("alice@example.com")?.subscription, "to");
  const atAlice = alice.take();
  assert.deepEqual(summary(atAlice.filter((el) => el.name === "presence")), ["unavailable bob@example.com/desk→alice@example.com"], "§3.3.3: bob's resources go unavailable for alice");

  bob.presenceTo(undefined, undefined, x("show", null, "away"));
  assert.deepEqual(summary(alice.takePresence()), []);
});

test("the contact's unsubscribe reaches the contact's resources with a roster push", async () => {
  const server = await TestServer.start();
  befriend(server, "alice", "bob");
  const bob = server.online("bob", "desk");
  const alice = server.online("alice", "phone");
  bob.take();
  alice.presenceTo("bob@example.com", "unsubscribe");
  const atBob = bob.take();
  assert.deepEqual(summary(atBob.filter((el) => el.name === "presence")), ["unsubscribe alice@example.com→bob@example.com"]);
  assert.deepEqual(atBob.filter((el) => el.name === "iq").map((iq) => itemsOf(iq.getChild("query", NS.ROSTER)).get("alice@example.com")?.subscription), ["to"]);
});

test("cancelling a subscription (unsubscribed) stops the user's presence reaching the contact (§3.2)", async () => {
  const server = await TestServer.start();
  befriend(server, "alice", "bob");
  const alice = server.online("alice", "phone");
  const bob = server.online("bob", "desk");
  alice.take();

  bob.presenceTo("alice@example.com", "unsubscribed");
  assert.equal(rosterOf(server, "bob").get("alice@example.com")?.subscription, "to");
  assert.equal(rosterOf(server, "alice").get("bob@example.com")?.subscription, "from");
  assert.deepEqual(summary(alice.takePresence()), [
    "unsubscribed bob@example.com→alice@example.com",
    "unavailable bob@example.com/desk→alice@example.com",
  ]);

  bob.presenceTo(undefined, undefined, x("show", null, "xa"));
  assert.deepEqual(summary(alice.takePresence()), []);
});

test("removing a roster item cancels the subscription both ways (§2.5.2)", async () => {
  const server = await TestServer.start();
  befriend(server, "alice", "bob");
  const bob = server.online("bob", "desk");
  const alice = server.online("alice", "phone");
  bob.take();

  alice.rosterSet(x("item", { jid: "bob@example.com", subscription: "remove" }));
  assert.equal(rosterOf(server, "alice").has("bob@example.com"), false);
  assert.equal(rosterOf(server, "bob").get("alice@example.com")?.subscription, "none");
  assert.deepEqual(summary(bob.takePresence()), [
    "unsubscribe alice@example.com→bob@example.com",
    "unsubscribed alice@example.com→bob@example.com",
    "unavailable alice@example.com/phone→bob@example.com",
  ]);
  assert.deepEqual(summary(alice.takePresence()), ["unavailable bob@example.com/desk→alice@example.com"]);
});

test("a request to an account that does not exist is refused on its behalf (§8.5.1)", async () => {
  const server = await TestServer.start();
  const alice = server.online("alice", "phone");
  alice.presenceTo("nobody@example.com", "subscribe");
  assert.deepEqual(summary(alice.takePresence()), ["unsubscribed nobody@example.com→alice@example.com"]);
  assert.deepEqual(rosterOf(server, "alice").get("nobody@example.com"), { name: undefined, subscription: "none", ask: undefined, groups: [] });
});

test("subscription stanzas addressed to a full JID are about the bare JID (§3.1.2)", async () => {
  const server = await TestServer.start();
  const alice = server.online("alice", "phone");
  const [desk, mobile] = [server.online("bob", "desk"), server.online("bob", "mobile")];
  desk.take();
  alice.presenceTo("bob@example.com/desk", "subscribe");
  assert.deepEqual([...rosterOf(server, "alice").keys()], ["bob@example.com"]);
  for (const s of [desk, mobile]) assert.deepEqual(summary(s.takePresence()), ["subscribe alice@example.com→bob@example.com"]);
});

test("subscription stanzas to other servers leave stamped with the bare JID; theirs arrive the same way", async () => {
  const server = await TestServer.start();
  const outbox = remoteOutbox(server);
  const alice = server.online("alice", "phone");

  alice.presenceTo("romeo@remote.example", "subscribe");
  assert.deepEqual(summary(outbox), ["subscribe alice@example.com→romeo@remote.example"]);
  assert.deepEqual(pushed(alice), ["romeo@remote.example none+subscribe"]);

  // romeo's server approves from a full JID; the account sees the bare one.
  server.router.route(x("presence", { type: "subscribed", from: "romeo@remote.example/orchard", to: "alice@example.com" }));
  assert.deepEqual(summary(alice.takePresence()), ["subscribed romeo@remote.example→alice@example.com"]);
  assert.equal(rosterOf(server, "alice").get("romeo@remote.example")?.subscription, "to");

  // Initial presence probes the remote contact from the bare JID (§4.3.1).
  outbox.length = 0;
  server.online("alice", "laptop");
  assert.deepEqual(summary(outbox.filter((p) => p.attrs.type === "probe")), ["probe alice@example.com→romeo@remote.example"]);
});
