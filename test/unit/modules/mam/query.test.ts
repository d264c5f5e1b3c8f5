// Archive queries (XEP-0313 §4, §5) with RSM paging (XEP-0059): filters, pages in both directions,
// flipped pages, the extended fields, the form, metadata and the errors the XEP names.
import assert from "node:assert/strict";
import { test } from "node:test";
import { x } from "../../../../src/xml/element.js";
import { NS } from "../../../../src/xml/ns.js";
import { DELAY, DOMAIN, errorCondition, forwardedOf, MAM, online, runMamQuery, startArchiveServer, type TestServer } from "./helpers.js";

const T0 = Date.parse("2024-03-01T10:00:00Z");
const MINUTE = 60_000;

/**
 * Stores `n` messages in alice's archive, one a minute from T0, alternating between bob (even)
 * and carol (odd); returns their ids, oldest first. Message i has body "m<i>".
 */
function seed(server: TestServer, n: number): string[] {
  const archive = server.storage.archive(DOMAIN, "archive");
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const peer = i % 2 === 0 ? "bob@example.com/desk" : "carol@example.com/home";
    const value = x("message", { from: peer, to: "alice@example.com", type: "chat", id: `id${i}` }, x("body", null, `m${i}`)).toString();
    ids.push(archive.append("alice", value, { with: peer, when: new Date(T0 + i * MINUTE) }));
  }
  return ids;
}

test("a query without filters returns the archive in order as forwarded messages with delay stamps, then <fin complete='true'/>", async () => {
  const server = await startArchiveServer();
  const ids = seed(server, 3);
  const alice = await online(server, "alice", "phone");
  const out = runMamQuery(alice, { queryid: "q1" });
  assert.equal(out.reply.attrs.type, "result");
  assert.deepEqual(out.ids, ids);
  assert.deepEqual(out.bodies, ["m0", "m1", "m2"]);
  assert.equal(out.complete, true);
  assert.deepEqual([out.first, out.firstIndex, out.last, out.count], [ids[0], "0", ids[2], "3"]);

  const [first] = out.results;
  assert.equal(first!.attrs.to, "alice@example.com/phone", "results go to the querying resource");
  const result = first!.getChild("result", MAM)!;
  assert.equal(result.attrs.queryid, "q1");
  const forwarded = result.getChild("forwarded", "urn:xmpp:forward:0")!;
  assert.equal(forwarded.getChild("delay", DELAY)?.attrs.stamp, "2024-03-01T10:00:00.000Z", "XEP-0203: when it was archived");
  assert.equal(forwardedOf(first!)?.attrs.xmlns, NS.CLIENT, "the original keeps its namespace inside <forwarded/>");
  assert.equal(forwardedOf(first!)?.attrs.from, "bob@example.com/desk");
});

test("'with' matches a bare JID's every resource, a full JID exactly (§4.1.1); start and end are inclusive (§4.1.2)", async () => {
  const server = await startArchiveServer();
  const ids = seed(server, 6);
  const alice = await online(server, "alice", "phone");
  assert.deepEqual(runMamQuery(alice, { with: "bob@example.com" }).ids, [ids[0], ids[2], ids[4]]);
  assert.deepEqual(runMamQuery(alice, { with: "carol@example.com/home" }).ids, [ids[1], ids[3], ids[5]]);
  assert.deepEqual(runMamQuery(alice, { with: "carol@example.com/elsewhere" }).ids, []);
  assert.deepEqual(runMamQuery(alice, { start: "2024-03-01T10:01:00Z", end: "2024-03-01T10:03:00Z" }).ids, ids.slice(1, 4));
  assert.deepEqual(runMamQuery(alice, { start: "2024-03-01T11:01:00+01:00", with: "bob@example.com" }).ids, [ids[2], ids[4]], "time zones and filters combine");
});

test("paging forward and back through three pages gives each id once, with 'complete' only on the last page of each direction (§4.3)", async () => {
  const server = await startArchiveServer();
  const ids = seed(server, 7);
  const alice = await online(server, "alice", "phone");

  const p1 = runMamQuery(alice, { max: 3 });
  assert.deepEqual([p1.ids, p1.complete, p1.count], [ids.slice(0, 3), false, "7"]);
  const p2 = runMamQuery(alice, { max: 3, after: p1.last });
  assert.deepEqual([p2.ids, p2.complete], [ids.slice(3, 6), false]);
  const p3 = runMamQuery(alice, { max: 3, after: p2.last });
  assert.deepEqual([p3.ids, p3.complete], [ids.slice(6), true]);

  const b1 = runMamQuery(alice, { max: 3, before: "" });
  assert.deepEqual([b1.ids, b1.complete, b1.firstIndex], [ids.slice(4), false, "4"], "§4.3.3: an empty <before/> is the last page, oldest first");
  const b2 = runMamQuery(alice, { max: 3, before: b1.first });
  assert.deepEqual([b2.ids, b2.complete], [ids.slice(1, 4), false]);
  const b3 = runMamQuery(alice, { max: 3, before: b2.first });
  assert.deepEqual([b3.ids, b3.complete], [ids.slice(0, 1), true]);
});

test("<flip-page/> reverses the order a page is sent in, not which items it holds (§4.3.4)", async () => {
  const server = await startArchiveServer();
  const ids = seed(server, 5);
  const alice = await online(server, "alice", "phone");
  const flipped = runMamQuery(alice, { max: 2, before: "", flip: true });
  assert.deepEqual(flipped.ids, [ids[4], ids[3]]);
  assert.deepEqual([flipped.first, flipped.last], [ids[3], ids[4]], "first/last still name the page's oldest and newest");
});

test("after-id, before-id and ids select ranges and single items; unknown ids are item-not-found (§4.1.3)", async () => {
  const server = await startArchiveServer();
  const ids = seed(server, 6);
  const alice = await online(server, "alice", "phone");
  assert.deepEqual(runMamQuery(alice, { "after-id": ids[1], "before-id": ids[4] }).ids, ids.slice(2, 4));
  assert.deepEqual(runMamQuery(alice, { ids: [ids[5]!, ids[0]!] }).ids, [ids[0], ids[5]], "in archive order");
  const paged = runMamQuery(alice, { "after-id": ids[0], max: 2, after: ids[2] });
  assert.deepEqual(paged.ids, ids.slice(3, 5), "RSM paging inside a range");
  assert.deepEqual(runMamQuery(alice, { "before-id": ids[5], max: 2, before: "" }).ids, ids.slice(3, 5), "the last page of a range");

  for (const spec of [{ "after-id": "nope" }, { "before-id": "nope" }, { ids: [ids[0]!, "nope"] }, { after: "nope" }, { before: "nope" }]) {
    const out = runMamQuery(alice, spec);
    assert.equal(errorCondition(out.reply), "item-not-found", JSON.stringify(spec));
    assert.deepEqual(out.results, [], "no results before the error");
  }
});

test("page sizes: the configured default without <max/>, clamped to the server's maximum, and <max>0</max> returns only the count (XEP-0059 §2.7)", async () => {
  const server = await startArchiveServer({ mam: { defaultPageSize: 4, maxPageSize: 5 } });
  seed(server, 12);
  const alice = await online(server, "alice", "phone");
  assert.equal(runMamQuery(alice).ids.length, 4);
  const clamped = runMamQuery(alice, { max: 1000 });
  assert.deepEqual([clamped.ids.length, clamped.complete], [5, false]);
  const countOnly = runMamQuery(alice, { max: 0 });
  assert.deepEqual([countOnly.ids, countOnly.count, countOnly.first], [[], "12", undefined]);
});

test("the server's default page size is 20", async () => {
  const server = await startArchiveServer();
  seed(server, 25);
  const alice = await online(server, "alice", "phone");
  const out = runMamQuery(alice);
  assert.deepEqual([out.ids.length, out.complete], [20, false]);
});

test("malformed queries are refused with the errors XEP-0313 names (§4.1.5)", async () => {
  const server = await startArchiveServer();
  const alice = await online(server, "alice", "phone");
  const unknownField = runMamQuery(alice, { extraFields: [x("field", { var: "include-groupchat" }, x("value", null, "true"))] });
  assert.equal(errorCondition(unknownField.reply), "feature-not-implemented");
  const wrongType = alice.iq("set", x("query", { xmlns: MAM }, x("x", { xmlns: NS.DATA_FORMS, type: "submit" }, x("field", { var: "FORM_TYPE" }, x("value", null, "urn:xmpp:mam:1")))));
  assert.equal(errorCondition(wrongType), "bad-request");
  assert.equal(errorCondition(runMamQuery(alice, { start: "yesterday" }).reply), "bad-request");
  assert.equal(errorCondition(runMamQuery(alice, { with: "@bad" }).reply), "jid-malformed");
  const badMax = alice.iq("set", x("query", { xmlns: MAM }, x("set", { xmlns: "http://jabber.org/protocol/rsm" }, x("max", null, "-1"))));
  assert.equal(errorCondition(badMax), "bad-request");
});

test("another account's archive is forbidden (§8.1)", async () => {
  const server = await startArchiveServer();
  seed(server, 2);
  const bob = await online(server, "bob", "desk");
  const out = runMamQuery(bob, {}, "alice@example.com");
  assert.equal(errorCondition(out.reply), "forbidden");
  assert.deepEqual(out.results, []);
});

test("a query addressed to the account's own bare JID is answered from it", async () => {
  const server = await startArchiveServer();
  const ids = seed(server, 2);
  const alice = await online(server, "alice", "phone");
  const out = runMamQuery(alice, {}, "alice@example.com");
  assert.deepEqual(out.ids, ids);
  assert.equal(out.results[0]!.attrs.from, "alice@example.com", "results come from the archive that was queried");
});

test("the form lists the supported fields, and metadata names the first and last item (§4.1.5, §5)", async () => {
  const server = await startArchiveServer();
  const alice = await online(server, "alice", "phone");
  const empty = alice.iq("get", x("metadata", { xmlns: MAM }));
  assert.deepEqual(empty.getChild("metadata", MAM)?.elements, [], "an empty archive");

  const ids = seed(server, 3);
  const form = alice.iq("get", x("query", { xmlns: MAM }));
  const vars = form.getChild("query", MAM)?.getChild("x", NS.DATA_FORMS)?.getChildren("field").map((f) => f.attrs.var);
  assert.deepEqual(vars, ["FORM_TYPE", "with", "start", "end", "before-id", "after-id", "ids"]);

  const meta = alice.iq("get", x("metadata", { xmlns: MAM })).getChild("metadata", MAM)!;
  assert.deepEqual(meta.getChild("start")?.attrs, { id: ids[0], timestamp: "2024-03-01T10:00:00.000Z" });
  assert.deepEqual(meta.getChild("end")?.attrs, { id: ids[2], timestamp: "2024-03-01T10:02:00.000Z" });
});
