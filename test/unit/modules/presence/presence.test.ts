// Exchanging presence (RFC 6121 §4) and delivering it (§8.5): initial presence, probes, updates,
// unavailable, directed presence, the session fields the message router reads, and errors.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { StanzaEvent } from "../../../../src/router/events.js";
import { Priority } from "../../../../src/router/priority.js";
import { type Element, x } from "../../../../src/xml/element.js";
import { NS } from "../../../../src/xml/ns.js";
import { DOMAIN, errorCondition, summary, TestServer } from "../roster/harness.js";

/** Mutual subscription between two accounts, set up directly in the roster store. */
function befriend(server: TestServer, a: string, b: string): void {
  const roster = server.storage.map(DOMAIN, "roster");
  roster.set(a, `${b}@${DOMAIN}`, { subscription: "both", groups: [] });
  roster.set(b, `${a}@${DOMAIN}`, { subscription: "both", groups: [] });
}

function remoteOutbox(server: TestServer): Element[] {
  const out: Element[] = [];
  server.host.bus.on<StanzaEvent>("route/remote", (ev) => {
    out.push(ev.stanza);
    return true;
  }, Priority.DEFAULT);
  return out;
}

test("initial presence reaches subscribers and the account's resources, and probes are answered (§4.2)", async () => {
  const server = await TestServer.start();
  befriend(server, "alice", "bob");
  const bob = server.online("bob", "desk", x("status", null, "at work"));
  const carol = server.online("carol", "home");
  const laptop = server.online("alice", "laptop");
  bob.take();

  const phone = server.connect("alice", "phone");
  phone.rosterGet();
  phone.take();
  phone.presenceTo(undefined, undefined, x("show", null, "chat"));

  assert.deepEqual(summary(bob.takePresence()), ["available alice@example.com/phone→bob@example.com"]);
  assert.deepEqual(summary(laptop.takePresence()), ["available alice@example.com/phone→alice@example.com/laptop"]);
  assert.deepEqual(summary(carol.takePresence()), [], "not a contact");
  const atPhone = phone.takePresence();
  assert.deepEqual(summary(atPhone), [
    "available alice@example.com/phone→alice@example.com/phone",
    "available alice@example.com/laptop→alice@example.com/phone",
    "available bob@example.com/desk→alice@example.com/phone",
  ]);
  assert.equal(atPhone[2]!.getChildText("status"), "at work", "a probe answer is the contact's last presence as sent");
});

test("a probe for a contact with no available resource is answered with its last logout (§4.3.2)", async () => {
  const server = await TestServer.start();
  befriend(server, "alice", "bob");
  server.storage.keyval(DOMAIN, "lastlogout").set("bob", { at: Date.parse("2024-01-02T03:04:05Z"), status: "gone fishing" });

  const alice = server.connect("alice", "phone");
  alice.presenceTo(undefined, undefined);
  const answer = alice.takePresence().find((p) => p.attrs.from === "bob@example.com");
  assert.equal(answer?.attrs.type, "unavailable");
  assert.equal(answer?.getChildText("status"), "gone fishing");
  assert.equal(answer?.getChild("delay", NS.DELAY)?.attrs.stamp, "2024-01-02T03:04:05.000Z");
});

test("probes from other servers are answered for subscribers only (§4.3.2)", async () => {
  const server = await TestServer.start();
  const outbox = remoteOutbox(server);
  server.storage.map(DOMAIN, "roster").set("alice", "romeo@remote.example", { subscription: "from", groups: [] });
  server.online("alice", "phone", x("show", null, "away"));
  outbox.length = 0; // the initial-presence broadcast to romeo

  server.router.route(x("presence", { type: "probe", from: "romeo@remote.example", to: "alice@example.com" }));
  assert.deepEqual(summary(outbox), ["available alice@example.com/phone→romeo@remote.example"]);
  assert.equal(outbox[0]!.getChildText("show"), "away");

  outbox.length = 0;
  server.router.route(x("presence", { type: "probe", from: "mallory@remote.example", to: "alice@example.com/phone" }));
  assert.deepEqual(summary(outbox), ["unsubscribed alice@example.com→mallory@remote.example"], "a stranger learns nothing");

  outbox.length = 0;
  server.router.route(x("presence", { type: "probe", from: "romeo@remote.example", to: "nobody@example.com" }));
  assert.deepEqual(summary(outbox), ["unsubscribed nobody@example.com→romeo@remote.example"], "§8.5.1: no such account");
});

test("a presence update is broadcast without new probes (§4.4)", async () => {
  const server = await TestServer.start();
  befriend(server, "alice", "bob");
  const bob = server.online("bob", "desk");
  const alice = server.online("alice", "phone");
  bob.take();

  alice.presenceTo(undefined, undefined, x("show", null, "away"), x("status", null, "lunch"));
  const [update] = bob.takePresence();
  assert.equal(update?.attrs.from, "alice@example.com/phone");
  assert.equal(update?.getChildText("status"), "lunch");
  assert.deepEqual(summary(alice.takePresence()), ["available alice@example.com/phone→alice@example.com/phone"], "no probe answers again");
  assert.equal(alice.presence?.getChildText("status"), "lunch");
});

test("session.presence and session.priority follow what the client broadcast", async () => {
  const server = await TestServer.start();
  const alice = server.connect("alice", "phone");
  // Read through a function: assert.equal would narrow the field to undefined for the compiler.
  const presence = (): Element | undefined => alice.presence;
  assert.equal(presence(), undefined, "connected is not available");

  alice.presenceTo(undefined, undefined, x("priority", null, "5"));
  assert.equal(presence()?.attrs.from, "alice@example.com/phone");
  assert.equal(presence()?.attrs.to, undefined);
  assert.equal(alice.priority, 5);

  alice.presenceTo(undefined, "unavailable");
  assert.equal(presence(), undefined);
});

test("<priority/> is an integer from -128 to 127, 0 when absent or unreadable (§4.7.2.3)", async () => {
  const server = await TestServer.start();
  const alice = server.connect("alice", "phone");
  const cases: Array<[string | undefined, number]> = [
    [undefined, 0], ["1", 1], ["-1", -1], [" 42 ", 42], ["+7", 7], ["127", 127], ["-128", -128],
    ["300", 127], ["-300", -128], ["high", 0], ["1.5", 0], ["", 0],
  ];
  for (const [text, expected] of cases) {
    alice.presenceTo(undefined, undefined, ...(text === undefined ? [] : [x("priority", null, text)]));
    assert.equal(alice.priority, expected, `priority ${JSON.stringify(text)}`);
  }
});

test("unavailable presence reaches subscribers, the account's resources and directed-presence targets (§4.5, §4.6.3)", async () => {
  const server = await TestServer.start();
  befriend(server, "alice", "bob");
  const bob = server.online("bob", "desk");
  const carol = server.online("carol", "home");
  const laptop = server.online("alice", "laptop");
  const phone = server.online("alice", "phone");
  phone.presenceTo("carol@example.com/home");
  for (const s of [bob, carol, laptop, phone]) s.take();

  phone.presenceTo(undefined, "unavailable", x("status", null, "bye"));
  assert.deepEqual(summary(bob.takePresence()), ["unavailable alice@example.com/phone→bob@example.com"]);
  assert.deepEqual(summary(carol.takePresence()), ["unavailable alice@example.com/phone→carol@example.com/home"]);
  assert.deepEqual(summary(laptop.takePresence()), ["unavailable alice@example.com/phone→alice@example.com/laptop"]);
  assert.deepEqual(summary(phone.takePresence()), ["unavailable alice@example.com/phone→alice@example.com/phone"]);

  // Not available any more: messages to the bare JID skip it, and nothing further is broadcast.
  phone.disconnect();
  assert.deepEqual(summary([...bob.takePresence(), ...carol.takePresence()]), []);
});

test("directed presence is delivered and, when the session ends, followed by unavailable (§4.6)", async () => {
  const server = await TestServer.start();
  befriend(server, "alice", "bob");
  const bob = server.online("bob", "desk");
  const carol = server.online("carol", "home");
  const alice = server.online("alice", "phone", x("status", null, "around"));
  bob.take();

  alice.presenceTo("carol@example.com", undefined, x("show", null, "chat"));
  assert.deepEqual(summary(carol.takePresence()), ["available alice@example.com/phone→carol@example.com"]);

  alice.disconnect();
  const atBob = bob.takePresence();
  assert.deepEqual(summary(atBob), ["unavailable alice@example.com/phone→bob@example.com"]);
  assert.equal(atBob[0]!.getChildText("status"), "around", "the session's last status goes with it");
  assert.deepEqual(summary(carol.takePresence()), ["unavailable alice@example.com/phone→carol@example.com"]);
});

test("directed presence sent before initial presence is also withdrawn at the end (§4.6.2)", async () => {
  const server = await TestServer.start();
  befriend(server, "alice", "bob");
  const bob = server.online("bob", "desk");
  const carol = server.online("carol", "home");
  const alice = server.connect("alice", "phone");
  alice.presenceTo("carol@example.com/home");
  assert.equal(carol.takePresence().length, 1);
  bob.take();

  alice.disconnect();
  assert.deepEqual(summary(carol.takePresence()), ["unavailable alice@example.com/phone→carol@example.com/home"]);
  assert.deepEqual(summary(bob.takePresence()), [], "alice was never available to bob");
});

test("a directed unavailable ends the directed presence (§4.6.3)", async () => {
  const server = await TestServer.start();
  const carol = server.online("carol", "home");
  const alice = server.online("alice", "phone");
  alice.presenceTo("carol@example.com");
  alice.presenceTo("carol@example.com", "unavailable");
  assert.deepEqual(summary(carol.takePresence()), ["available alice@example.com/phone→carol@example.com", "unavailable alice@example.com/phone→carol@example.com"]);
  alice.disconnect();
  assert.deepEqual(summary(carol.takePresence()), []);
});

test("a session that ends without being available or sending directed presence broadcasts nothing", async () => {
  const server = await TestServer.start();
  befriend(server, "alice", "bob");
  const bob = server.online("bob", "desk");
  server.connect("alice", "phone").disconnect();
  assert.deepEqual(summary(bob.takePresence()), []);
});

test("presence to a full JID goes to that resource, to a bare JID to every available resource (§8.5.2, §8.5.3)", async () => {
  const server = await TestServer.start();
  const carol = server.online("carol", "home");
  const phone = server.online("alice", "phone");
  const laptop = server.online("alice", "laptop");
  const idle = server.connect("alice", "idle"); // connected, never available
  for (const s of [phone, laptop, idle]) s.take();

  carol.presenceTo("alice@example.com/laptop", undefined, x("show", null, "away"));
  assert.deepEqual(summary(laptop.takePresence()), ["available carol@example.com/home→alice@example.com/laptop"]);
  assert.deepEqual(summary(phone.takePresence()), []);

  carol.presenceTo("alice@example.com/idle");
  assert.deepEqual(summary(idle.takePresence()), ["available carol@example.com/home→alice@example.com/idle"], "§8.5.3.1: the resource exists");

  carol.presenceTo("alice@example.com");
  assert.deepEqual(summary(phone.takePresence()), ["available carol@example.com/home→alice@example.com"]);
  assert.deepEqual(summary(laptop.takePresence()), ["available carol@example.com/home→alice@example.com"]);
  assert.deepEqual(summary(idle.takePresence()), [], "only available resources");

  carol.presenceTo("alice@example.com/gone");
  carol.presenceTo("nobody@example.com");
  assert.deepEqual(carol.take().filter((el) => el.attrs.type === "error"), [], "§8.5.3.2.1, §8.5.1: silently dropped");
});

test("presence of an unknown type is refused with bad-request (§4.7.1)", async () => {
  const server = await TestServer.start();
  const bob = server.online("bob", "desk");
  const alice = server.online("alice", "phone");
  bob.take();

  alice.presenceTo("bob@example.com", "invisible");
  const [error] = alice.take();
  assert.equal(errorCondition(error!), "bad-request");
  assert.equal(error!.attrs.to, "alice@example.com/phone");
  assert.deepEqual(bob.take(), [], "not delivered");

  alice.presenceTo(undefined, "invisible");
  assert.equal(errorCondition(alice.take()[0]!), "bad-request");
  assert.notEqual(alice.presence, undefined, "the broadcast state is unchanged");
});

test("presence of an unknown type from another server is bounced to it", async () => {
  const server = await TestServer.start();
  const outbox = remoteOutbox(server);
  server.online("alice", "phone");
  server.router.route(x("presence", { type: "invisible", from: "romeo@remote.example/orchard", to: "alice@example.com" }));
  assert.equal(outbox.length, 1);
  assert.equal(errorCondition(outbox[0]!), "bad-request");
  assert.equal(outbox[0]!.attrs.to, "romeo@remote.example/orchard");
});

test("presence addressed to the server itself is ignored", async () => {
  const server = await TestServer.start();
  const alice = server.online("alice", "phone");
  alice.presenceTo("example.com");
  alice.presenceTo("example.com", "probe");
  assert.deepEqual(alice.take(), []);
});

test("a presence error to a full JID reaches that resource", async () => {
  const server = await TestServer.start();
  const alice = server.online("alice", "phone");
  server.router.route(
    x("presence", { type: "error", from: "romeo@remote.example", to: "alice@example.com/phone" }, x("error", { type: "cancel" }, x("remote-server-not-found", { xmlns: NS.STANZA_ERRORS }))),
  );
  assert.deepEqual(summary(alice.takePresence()), ["error romeo@remote.example→alice@example.com/phone"]);
});

test("broadcasts to remote subscribers leave through the router from the full JID", async () => {
  const server = await TestServer.start();
  const outbox = remoteOutbox(server);
  server.storage.map(DOMAIN, "roster").set("alice", "romeo@remote.example", { subscription: "both", groups: [] });
  const alice = server.connect("alice", "phone");
  alice.presenceTo(undefined, undefined);
  assert.deepEqual(summary(outbox), ["available alice@example.com/phone→romeo@remote.example", "probe alice@example.com→romeo@remote.example"]);
  outbox.length = 0;
  alice.disconnect();
  assert.deepEqual(summary(outbox), ["unavailable alice@example.com/phone→romeo@remote.example"]);
});
