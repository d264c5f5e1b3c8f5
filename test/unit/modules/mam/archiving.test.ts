// What enters the archives (XEP-0313 §3, §6.1.1), the <stanza-id/> the recipient sees (§3.5,
// XEP-0359), and what is never archived.
import assert from "node:assert/strict";
import { test } from "node:test";
import { x } from "../../../../src/xml/element.js";
import { parseFragment } from "../../../../src/xml/fragment.js";
import { archiveOf, chat, CHATSTATES, connect, DOMAIN, errorCondition, HINTS, online, presence, settle, SID, stanzaIdOf, startArchiveServer, takeMessages } from "./helpers.js";

test("a chat between two accounts is archived once for each, and the recipient's copy carries its archive id as <stanza-id/>", async () => {
  const server = await startArchiveServer();
  const alice = await online(server, "alice", "phone");
  const laptop = await online(server, "alice", "laptop");
  const bob = await online(server, "bob", "desk");

  bob.write(chat("alice@example.com", "hello", { id: "c1" }, x("origin-id", { xmlns: SID, id: "client-chosen" })));
  const atPhone = takeMessages(alice);
  const atLaptop = takeMessages(laptop);
  assert.equal(atPhone.length, 1);

  const [aliceItem, ...moreAlice] = (await archiveOf(server, "alice"));
  const [bobItem, ...moreBob] = (await archiveOf(server, "bob"));
  assert.equal(moreAlice.length + moreBob.length, 0, "one copy per archive, however many resources received it (§6.1.1)");
  assert.equal(aliceItem?.with, "bob@example.com/desk", "incoming: the sender");
  assert.equal(bobItem?.with, "alice@example.com", "outgoing: the address it was sent to");

  assert.deepEqual(stanzaIdOf(atPhone[0]!), { by: "alice@example.com", id: aliceItem!.key }, "§3.5: by = the archive's JID");
  assert.deepEqual(stanzaIdOf(atLaptop[0]!), stanzaIdOf(atPhone[0]!));
  assert.equal(atPhone[0]!.getChild("origin-id", SID)?.attrs.id, "client-chosen", "XEP-0359 §3.2: origin-id preserved");
  assert.deepEqual(bob.take(), [], "§3.5: the sender's own outgoing message gets no stanza-id echo");

  const stored = parseFragment(aliceItem!.value)!;
  assert.equal(stored.getChildText("body"), "hello");
  assert.equal(stored.attrs.from, "bob@example.com/desk");
  assert.equal(stored.getChild("stanza-id", SID), undefined, "the archived stanza is the one received");
});

test("stanza-ids claiming our accounts or domain are removed; other entities' ids pass untouched (XEP-0359 §4)", async () => {
  const server = await startArchiveServer();
  const alice = await online(server, "alice", "phone");
  const bob = await online(server, "bob", "desk");
  bob.write(
    chat(
      "alice@example.com",
      "forged",
      { id: "f1" },
      x("stanza-id", { xmlns: SID, by: "alice@example.com", id: "forged-by-bob" }),
      x("stanza-id", { xmlns: SID, by: "example.com", id: "forged-domain" }),
      x("stanza-id", { xmlns: SID, by: "room@conference.elsewhere.example", id: "room-id" }),
    ),
  );
  const [m] = takeMessages(alice);
  const ids = m!.getChildren("stanza-id", SID).map((el) => `${el.attrs.by}=${el.attrs.id}`);
  const [item] = (await archiveOf(server, "alice"));
  assert.deepEqual(ids.sort(), [`alice@example.com=${item!.key}`, "room@conference.elsewhere.example=room-id"].sort());
});

test("an archive id is added even when the recipient is offline, and the held message keeps it", async () => {
  const server = await startArchiveServer();
  const bob = await online(server, "bob", "desk");
  bob.write(chat("alice@example.com", "later", { id: "o1" }));
  const [item] = (await archiveOf(server, "alice"));
  const alice = connect(server, "alice", "phone");
  presence(alice);
  await settle();
  const [m] = takeMessages(alice);
  assert.deepEqual(stanzaIdOf(m!), { by: "alice@example.com", id: item!.key });
});

test("chat states, headlines, errors, groupchat and <no-store/>/<no-permanent-store/> messages are not archived; <store/> is (XEP-0334)", async () => {
  const server = await startArchiveServer();
  const alice = await online(server, "alice", "phone");
  const bob = await online(server, "bob", "desk");
  bob.write(chat("alice@example.com", undefined, { id: "cs" }, x("active", { xmlns: CHATSTATES })));
  bob.write(x("message", { to: "alice@example.com", type: "headline", id: "hl" }, x("body", null, "news")));
  bob.write(x("message", { to: "alice@example.com/phone", type: "groupchat", id: "gc" }, x("body", null, "muc")));
  bob.write(x("message", { to: "alice@example.com", type: "error", id: "er" }, x("body", null, "bounce")));
  bob.write(chat("alice@example.com", "nope", { id: "ns" }, x("no-store", { xmlns: HINTS })));
  bob.write(chat("alice@example.com", "otr", { id: "np" }, x("no-permanent-store", { xmlns: HINTS })));
  bob.write(chat("alice@example.com", undefined, { id: "st" }, x("store", { xmlns: HINTS }), x("custom", { xmlns: "urn:example:payload" })));
  bob.write(x("message", { to: "alice@example.com", id: "nb" }, x("body", null, "a normal message")));

  const archivedIds = async (user: string) => (await archiveOf(server, user)).map((i) => parseFragment(i.value)!.attrs.id);
  assert.deepEqual(await archivedIds("alice"), ["st", "nb"]);
  assert.deepEqual(await archivedIds("bob"), ["st", "nb"]);
  const delivered = takeMessages(alice);
  assert.equal(stanzaIdOf(delivered.find((m) => m.attrs.id === "np")!), undefined, "not archived, so no archive id");
});

test("a message to the account itself is archived once, and a message to an unknown account only in the sender's archive", async () => {
  const server = await startArchiveServer();
  const phone = await online(server, "alice", "phone");
  const laptop = await online(server, "alice", "laptop");
  phone.write(chat("alice@example.com", "note to self", { id: "self1" }));
  assert.equal((await archiveOf(server, "alice")).length, 1);
  assert.equal((await archiveOf(server, "alice"))[0]!.with, "alice@example.com/phone");
  assert.ok(stanzaIdOf(takeMessages(laptop)[0]!)?.id);

  phone.take();
  phone.write(chat("nobody@example.com", "anyone?", { id: "u1" }));
  assert.equal(errorCondition(phone.take()[0]!), "service-unavailable");
  assert.deepEqual(server.storage.archive(DOMAIN, "archive").users(), ["alice"], "no archive for an account that does not exist");
  assert.equal((await archiveOf(server, "alice"))[1]?.with, "nobody@example.com", "the sender keeps what it sent");
});

test("deleting an account deletes its archive and preferences; the archive features are advertised on accounts (§7)", async () => {
  const server = await startArchiveServer();
  assert.ok(server.host.accountFeatures().includes("urn:xmpp:mam:2"));
  assert.ok(server.host.accountFeatures().includes("urn:xmpp:mam:2#extended"));
  const alice = await online(server, "alice", "phone");
  await online(server, "bob", "desk");
  alice.write(chat("bob@example.com", "bye", { id: "b1" }));
  alice.iq("set", x("prefs", { xmlns: "urn:xmpp:mam:2", default: "never" }, x("always"), x("never")));
  assert.equal((await archiveOf(server, "alice")).length, 1);
  server.host.bus.fire("user-deleted", { username: "alice", host: DOMAIN });
  assert.equal((await archiveOf(server, "alice")).length, 0);
  assert.equal(server.storage.keyval(DOMAIN, "archive-prefs").get("alice"), undefined);
  assert.equal((await archiveOf(server, "bob")).length, 1, "the other party's archive is theirs");
});
