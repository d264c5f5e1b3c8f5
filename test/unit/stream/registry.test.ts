// The registry keeps a user's only session directly and switches to a map by resource from the
// second session on (and back): every operation must see the same sessions either way.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Jid } from "../../../src/jid/jid.js";
import { SessionRegistry } from "../../../src/stream/registry.js";
import type { Session } from "../../../src/stream/session.js";

function session(local: string, resource: string): Session {
  return { jid: Jid.of(local, "example.com", resource) } as unknown as Session;
}

test("one session per user: add, get, forUser, all, remove", () => {
  const r = new SessionRegistry();
  const a = session("alice", "phone");
  assert.equal(r.add(a), undefined);
  assert.equal(r.size, 1);
  assert.equal(r.get("alice", "phone"), a);
  assert.equal(r.get("alice", "laptop"), undefined);
  assert.equal(r.hasResource("alice", "phone"), true);
  assert.equal(r.hasResource("alice", "laptop"), false);
  assert.deepEqual(r.forUser("alice"), [a]);
  assert.deepEqual([...r.all()], [a]);
  assert.equal(r.remove(session("alice", "phone")), false, "another session with the same JID is not the bound one");
  assert.equal(r.remove(a), true);
  assert.equal(r.remove(a), false);
  assert.equal(r.size, 0);
  assert.equal(r.isOnline("alice"), false);
  assert.deepEqual(r.forUser("alice"), []);
});

test("a second resource, removal back to one, and replacement of the same full JID", () => {
  const r = new SessionRegistry();
  const a = session("alice", "phone");
  const b = session("alice", "laptop");
  const c = session("alice", "tablet");
  r.add(a);
  r.add(b);
  r.add(c);
  assert.equal(r.size, 3);
  assert.deepEqual(r.forUser("alice"), [a, b, c]);
  assert.equal(r.get("alice", "laptop"), b);
  assert.equal(r.remove(b), true);
  assert.equal(r.remove(a), true);
  assert.equal(r.size, 1);
  assert.deepEqual(r.forUser("alice"), [c]);
  assert.equal(r.get("alice", "tablet"), c);
  assert.equal(r.get("alice", "phone"), undefined);
  const c2 = session("alice", "tablet");
  assert.equal(r.add(c2), c, "the replaced session is returned");
  assert.equal(r.size, 1);
  assert.equal(r.remove(c), false);
  assert.equal(r.get("alice", "tablet"), c2);
  const d = session("alice", "desk");
  r.add(d);
  const d2 = session("alice", "desk");
  assert.equal(r.add(d2), d);
  assert.equal(r.size, 2);
  assert.deepEqual(r.forUser("alice"), [c2, d2]);
  assert.deepEqual([...r.users()], ["alice"]);
});

test("all() and users() cover single and multi-resource users", () => {
  const r = new SessionRegistry();
  const a = session("alice", "1");
  const b1 = session("bob", "1");
  const b2 = session("bob", "2");
  r.add(a);
  r.add(b1);
  r.add(b2);
  assert.deepEqual([...r.all()], [a, b1, b2]);
  assert.deepEqual([...r.users()], ["alice", "bob"]);
  assert.equal(r.isOnline("bob"), true);
  assert.equal(r.size, 3);
});
