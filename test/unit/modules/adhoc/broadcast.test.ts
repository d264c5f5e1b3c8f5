// services/broadcast.ts: who an audience resolves to, what the report counts, and that big
// audiences go out in bounded batches (one batch per scheduled turn, so the server keeps serving).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { broadcast, type BroadcastHost } from "../../../../src/services/broadcast.js";
import type { Element } from "../../../../src/xml/element.js";

function fakeHost(online: Record<string, string[]>, registered: string[], groups: Record<string, string[]> = {}) {
  const routed: Element[] = [];
  const host: BroadcastHost = {
    domain: "example.com",
    onlineUsers: () => Object.keys(online),
    resourcesOf: (u) => (online[u] ?? []).map((r) => `${u}@example.com/${r}`),
    registeredUsers: () => registered,
    groupMembers: (g) => groups[g] ?? [],
    route: (s) => void routed.push(s),
  };
  return { host, routed };
}

describe("broadcast service", () => {
  test("online: one message per connected resource, counted per user", async () => {
    const { host, routed } = fakeHost({ alice: ["a", "b"], bob: ["c"] }, ["alice", "bob", "carol"]);
    const report = await broadcast(host, { kind: "online" }, { from: "example.com", subject: "S", body: "B" }, { schedule: (fn) => fn() });
    assert.deepEqual(report, { recipients: 2, online: 2, offline: 0, stanzas: 3, dryRun: false });
    assert.deepEqual(routed.map((m) => m.attrs.to), ["alice@example.com/a", "alice@example.com/b", "bob@example.com/c"]);
    assert.equal(routed[0]!.getChildText("subject"), "S");
    assert.equal(routed[0]!.getChildText("body"), "B");
    assert.equal(routed[0]!.attrs.from, "example.com");
  });

  test("all: to every bare JID, so offline users get it from offline storage", async () => {
    const { host, routed } = fakeHost({ alice: ["a"] }, ["alice", "bob", "carol"]);
    const report = await broadcast(host, { kind: "all" }, { from: "example.com", body: "B" }, { schedule: (fn) => fn() });
    assert.deepEqual(report, { recipients: 3, online: 1, offline: 2, stanzas: 3, dryRun: false });
    assert.deepEqual(routed.map((m) => m.attrs.to), ["alice@example.com", "bob@example.com", "carol@example.com"]);
    assert.equal(routed[0]!.attrs.type, "normal", "normal messages are stored offline; headlines are not");
  });

  test("group: only the members", async () => {
    const { host, routed } = fakeHost({}, ["alice", "bob"], { staff: ["bob"] });
    const report = await broadcast(host, { kind: "group", group: "staff" }, { from: "example.com", body: "B" }, { schedule: (fn) => fn() });
    assert.equal(report.recipients, 1);
    assert.deepEqual(routed.map((m) => m.attrs.to), ["bob@example.com"]);
  });

  test("a dry run counts and sends nothing", async () => {
    const { host, routed } = fakeHost({ alice: ["a"] }, ["alice"]);
    const report = await broadcast(host, { kind: "online" }, { from: "example.com", body: "B" }, { dryRun: true });
    assert.equal(report.recipients, 1);
    assert.equal(routed.length, 0);
  });

  test("10 000 recipients go out 500 per scheduled turn", async () => {
    const users = Array.from({ length: 10_000 }, (_, i) => `u${i}`);
    const { host, routed } = fakeHost({}, users);
    const batches: number[] = [];
    let last = 0;
    const schedule = (fn: () => void) => {
      // Each scheduled turn starts after a whole batch was routed.
      batches.push(routed.length - last);
      last = routed.length;
      fn();
    };
    const report = await broadcast(host, { kind: "all" }, { from: "example.com", body: "B" }, { schedule });
    batches.push(routed.length - last);
    assert.equal(report.recipients, 10_000);
    assert.equal(routed.length, 10_000);
    assert.equal(batches.length, 20);
    assert.ok(batches.every((n) => n === 500));
  });
});
