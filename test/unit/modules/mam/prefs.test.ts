// Archiving preferences (XEP-0441): reading and setting them, and each account's preferences
// deciding what enters its own archive.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type Element, x } from "../../../../src/xml/element.js";
import { archiveOf, chat, DOMAIN, errorCondition, MAM, online, startArchiveServer, stanzaIdOf, takeMessages, type ArchiveSession } from "./helpers.js";

function prefs(def: string, always: string[] = [], never: string[] = []): Element {
  const list = (name: string, jids: string[]) => x(name, null, jids.map((j) => x("jid", null, j)));
  return x("prefs", { xmlns: MAM, default: def }, list("always", always), list("never", never));
}

function readPrefs(session: ArchiveSession): { default?: string; always: string[]; never: string[] } {
  const el = session.iq("get", x("prefs", { xmlns: MAM })).getChild("prefs", MAM)!;
  const jids = (name: string) => el.getChild(name)?.getChildren("jid").map((j) => j.getText()) ?? [];
  return { default: el.attrs.default, always: jids("always"), never: jids("never") };
}

test("preferences default to the server's policy with empty lists, and a set is answered with what was applied (§2.1)", async () => {
  const server = await startArchiveServer();
  const alice = await online(server, "alice", "phone");
  assert.deepEqual(readPrefs(alice), { default: "always", always: [], never: [] });

  const reply = alice.iq("set", prefs("roster", ["Bob@Example.com", "carol@example.com/home", "dave@example.com"], ["dave@example.com"]));
  const applied = reply.getChild("prefs", MAM)!;
  assert.equal(applied.attrs.default, "roster");
  assert.deepEqual(readPrefs(alice), {
    default: "roster",
    always: ["bob@example.com", "carol@example.com/home"],
    never: ["dave@example.com"],
  }, "JIDs are prepared; one in both lists stays only in 'never'");

  assert.equal(errorCondition(alice.iq("set", prefs("sometimes"))), "bad-request");
  assert.equal(errorCondition(alice.iq("set", prefs("always", ["@nope"]))), "jid-malformed");
  assert.equal(readPrefs(alice).default, "roster", "a refused set changes nothing");
});

test("'never' keeps a conversation out of that account's archive only; the other side still archives it", async () => {
  const server = await startArchiveServer();
  const alice = await online(server, "alice", "phone");
  const bob = await online(server, "bob", "desk");
  alice.iq("set", prefs("always", [], ["bob@example.com"]));

  bob.write(chat("alice@example.com", "in", { id: "in1" }));
  alice.write(chat("bob@example.com", "out", { id: "out1" }));
  assert.equal((await archiveOf(server, "alice")).length, 0, "XEP-0441 §2.3: 'from' for incoming, 'to' for outgoing");
  assert.equal((await archiveOf(server, "bob")).length, 2);
  assert.equal(stanzaIdOf(takeMessages(alice)[0]!), undefined, "no archive id for what was not archived");
});

test("default 'roster' archives contacts in the roster and not strangers; 'always' entries override it", async () => {
  const server = await startArchiveServer();
  server.storage.map(DOMAIN, "roster").set("alice", "bob@example.com", { subscription: "both", groups: [] });
  // A record of an unanswered request is not a roster entry (RFC 6121 §3.1.3).
  server.storage.map(DOMAIN, "roster").set("alice", "carol@example.com", { subscription: "none", groups: [], pendingIn: true, hidden: true });
  const alice = await online(server, "alice", "phone");
  alice.iq("set", prefs("roster", ["dave@example.com/laptop"]));

  for (const [user, resource] of [["bob", "desk"], ["carol", "home"], ["dave", "laptop"], ["dave", "phone"]] as const) {
    const s = await online(server, user, resource);
    s.write(chat("alice@example.com", `from ${user}/${resource}`));
  }
  const bodies = (await archiveOf(server, "alice")).map((i) => /<body>([^<]*)<\/body>/.exec(i.value)?.[1]);
  assert.deepEqual(bodies, ["from bob/desk", "from dave/laptop"], "a full JID in a list matches that resource only (§2.3.1)");
});

test("the server's default policy applies to accounts without preferences", async () => {
  const server = await startArchiveServer({ users: ["alice", "bob", "dave"], mam: { defaultPolicy: "never" } });
  const alice = await online(server, "alice", "phone");
  const bob = await online(server, "bob", "desk");
  bob.write(chat("alice@example.com", "hi"));
  assert.equal((await archiveOf(server, "alice")).length, 0);
  assert.equal(readPrefs(alice).default, "never");
  alice.iq("set", prefs("always"));
  bob.write(chat("alice@example.com", "hi again"));
  assert.equal((await archiveOf(server, "alice")).length, 1);
});
