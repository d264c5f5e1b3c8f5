// The publish-subscribe domain service (XEP-0060) without sockets or XML: node life cycle, items
// and max_items, publish-options preconditions (§7.1.5), access models (§4.5), affiliations
// (§4.1) and the events handed to the adapters.
import assert from "node:assert/strict";
import { beforeEach, describe, test } from "node:test";
import { defaultNodeConfig } from "../../../src/services/pubsub/config.js";
import { PubSubService } from "../../../src/services/pubsub/service.js";
import { ITEMS_STORE, NODES_STORE } from "../../../src/services/pubsub/store.js";
import { PubSubError, type ContactRelation, type PubSubEvent } from "../../../src/services/pubsub/types.js";
import { openMemoryStorage } from "../../../src/storage/memory/index.js";

const HOST = "pubsub.example";
const OWNER = "owner@example";
const OTHER = "other@example";
const LIMITS = { maxItemsPerNode: 5, maxPayloadBytes: 200, maxNodesPerOwner: 3 };

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof PubSubError) return err.app ? `${err.condition}/${err.app}` : err.condition;
    throw err;
  }
  return "allowed";
}

function opts(entries: Record<string, string>): Map<string, string[]> {
  return new Map(Object.entries(entries).map(([k, v]) => [k, [v]]));
}

describe("pubsub service", () => {
  let events: PubSubEvent[];
  let relations: Map<string, ContactRelation>;
  let storage: ReturnType<typeof openMemoryStorage>;
  let svc: PubSubService;
  const make = (implicit?: (s: string) => string | undefined) =>
    new PubSubService({
      nodes: storage.map(HOST, NODES_STORE),
      items: storage.map(HOST, ITEMS_STORE),
      limits: LIMITS,
      implicitOwner: implicit,
      relation: (owner, requester) => relations.get(`${owner}|${requester}`),
      onEvent: (ev) => events.push(ev),
    });

  beforeEach(() => {
    events = [];
    relations = new Map();
    storage = openMemoryStorage();
    svc = make();
  });

  test("create, publish with and without ids, retrieve newest first by max", () => {
    svc.createNode(HOST, "n", OWNER);
    assert.equal(refusal(() => svc.createNode(HOST, "n", OTHER)), "conflict");
    svc.publish(HOST, "n", OWNER, { id: "a", payload: "<p xmlns='x'>1</p>" });
    const { item } = svc.publish(HOST, "n", OWNER, { payload: "<p xmlns='x'>2</p>" });
    assert.ok(item.id.length > 0);
    assert.deepEqual(svc.getItems(HOST, "n", OTHER).items.map((i) => i.id), ["a", item.id]);
    assert.deepEqual(svc.getItems(HOST, "n", OTHER, { max: 1 }).items.map((i) => i.id), [item.id]);
    assert.deepEqual(svc.getItems(HOST, "n", OTHER, { ids: ["a", "zz"] }).items.map((i) => i.payload), ["<p xmlns='x'>1</p>"]);
    assert.deepEqual(events.map((e) => e.kind), ["publish", "publish"]);
  });

  test("max_items drops the oldest; a republished id becomes the newest; \"max\" is the service limit", () => {
    svc.createNode(HOST, "n", OWNER, opts({ "pubsub#max_items": "2" }));
    for (const id of ["a", "b", "c"]) svc.publish(HOST, "n", OWNER, { id, payload: "<p/>" });
    assert.deepEqual(svc.getItems(HOST, "n", OWNER).items.map((i) => i.id), ["b", "c"]);
    svc.publish(HOST, "n", OWNER, { id: "b", payload: "<p/>" });
    assert.deepEqual(svc.getItems(HOST, "n", OWNER).items.map((i) => i.id), ["c", "b"]);
    svc.configure(HOST, "n", OWNER, opts({ "pubsub#max_items": "max" }));
    for (const id of ["d", "e", "f", "g", "h", "i"]) svc.publish(HOST, "n", OWNER, { id, payload: "<p/>" });
    assert.equal(svc.getItems(HOST, "n", OWNER).items.length, LIMITS.maxItemsPerNode);
    assert.equal(refusal(() => svc.configure(HOST, "n", OWNER, opts({ "pubsub#max_items": "6" }))), "not-acceptable");
    assert.equal(refusal(() => svc.configure(HOST, "n", OWNER, opts({ "pubsub#max_items": "two" }))), "not-acceptable");
    assert.equal(refusal(() => svc.configure(HOST, "n", OWNER, opts({ "pubsub#item_expire": "60" }))), "allowed", "fields not implemented are ignored");
  });

  test("publish-options: applied to an auto-created node, preconditions on an existing one", () => {
    svc = make((s) => (s === "alice" ? "alice@example" : undefined));
    const options = opts({ "pubsub#access_model": "whitelist", "pubsub#persist_items": "true", "pubsub#max_items": "max" });
    const first = svc.publish("alice", "urn:xmpp:bookmarks:1", "alice@example", { id: "r", payload: "<c/>", options, autoCreate: true });
    assert.equal(first.created, true);
    assert.equal(first.node.config.accessModel, "whitelist");
    assert.equal(first.node.config.maxItems, "max");
    // Same preconditions, spelled differently ("1" for true, the limit for "max").
    svc.publish("alice", "urn:xmpp:bookmarks:1", "alice@example", { id: "s", payload: "<c/>", options: opts({ "pubsub#persist_items": "1", "pubsub#max_items": String(LIMITS.maxItemsPerNode) }), autoCreate: true });
    assert.equal(
      refusal(() => svc.publish("alice", "urn:xmpp:bookmarks:1", "alice@example", { id: "t", payload: "<c/>", options: opts({ "pubsub#access_model": "open" }), autoCreate: true })),
      "conflict/precondition-not-met",
    );
    assert.equal(
      refusal(() => svc.publish("alice", "urn:xmpp:bookmarks:1", "alice@example", { id: "t", payload: "<c/>", options: opts({ "pubsub#persist_items": "false" }), autoCreate: true })),
      "conflict/precondition-not-met",
    );
    assert.deepEqual(svc.getItems("alice", "urn:xmpp:bookmarks:1", "alice@example").items.map((i) => i.id), ["r", "s"], "refused publishes stored nothing");
    // Nobody but the account creates nodes in its service.
    assert.equal(refusal(() => svc.publish("alice", "other", "bob@example", { payload: "<c/>", autoCreate: true })), "forbidden");
  });

  test("access models: open, presence, roster groups, whitelist", () => {
    svc.createNode(HOST, "n", OWNER);
    svc.publish(HOST, "n", OWNER, { id: "a", payload: "<p/>" });
    assert.equal(refusal(() => svc.getItems(HOST, "n", OTHER)), "allowed");

    svc.configure(HOST, "n", OWNER, opts({ "pubsub#access_model": "presence" }));
    assert.equal(refusal(() => svc.getItems(HOST, "n", OTHER)), "not-authorized/presence-subscription-required");
    relations.set(`${OWNER}|${OTHER}`, { presence: true, groups: ["Friends"] });
    assert.equal(refusal(() => svc.subscribe(HOST, "n", OTHER, `${OTHER}/res`)), "allowed");

    svc.configure(HOST, "n", OWNER, new Map([["pubsub#access_model", ["roster"]], ["pubsub#roster_groups_allowed", ["Family"]]]));
    assert.equal(refusal(() => svc.getItems(HOST, "n", OTHER)), "not-authorized/not-in-roster-group");
    svc.configure(HOST, "n", OWNER, new Map([["pubsub#roster_groups_allowed", ["Family", "Friends"]]]));
    assert.equal(refusal(() => svc.getItems(HOST, "n", OTHER)), "allowed");

    svc.configure(HOST, "n", OWNER, opts({ "pubsub#access_model": "whitelist" }));
    assert.equal(refusal(() => svc.getItems(HOST, "n", OTHER)), "not-allowed/closed-node");
    svc.setAffiliations(HOST, "n", OWNER, [{ jid: OTHER, affiliation: "member" }]);
    assert.equal(refusal(() => svc.getItems(HOST, "n", OTHER)), "allowed");
    svc.setAffiliations(HOST, "n", OWNER, [{ jid: OTHER, affiliation: "outcast" }]);
    assert.equal(refusal(() => svc.getItems(HOST, "n", OTHER)), "forbidden");
    assert.equal(svc.subscriptions(HOST, "n", OWNER).length, 0, "an outcast loses its subscription");
  });

  test("affiliations decide publishing and retracting; owners alone configure, purge and delete", () => {
    svc.createNode(HOST, "n", OWNER);
    assert.equal(refusal(() => svc.publish(HOST, "n", OTHER, { id: "x", payload: "<p/>" })), "forbidden");
    assert.equal(refusal(() => svc.configure(HOST, "n", OTHER, opts({ "pubsub#title": "t" }))), "forbidden");
    assert.equal(refusal(() => svc.purge(HOST, "n", OTHER)), "forbidden");
    assert.equal(refusal(() => svc.deleteNode(HOST, "n", OTHER)), "forbidden");
    svc.setAffiliations(HOST, "n", OWNER, [{ jid: OTHER, affiliation: "publish-only" }]);
    svc.publish(HOST, "n", OTHER, { id: "mine", payload: "<p/>" });
    svc.publish(HOST, "n", OWNER, { id: "theirs", payload: "<p/>" });
    assert.equal(refusal(() => svc.retract(HOST, "n", OTHER, ["theirs"])), "forbidden");
    assert.equal(refusal(() => svc.getItems(HOST, "n", OTHER)), "forbidden", "publish-only may not retrieve");
    svc.retract(HOST, "n", OTHER, ["mine"]);
    assert.equal(refusal(() => svc.retract(HOST, "n", OWNER, ["mine"])), "item-not-found");
    assert.equal(refusal(() => svc.setAffiliations(HOST, "n", OWNER, [{ jid: OWNER, affiliation: "member" }])), "not-acceptable");
  });

  test("events: retract follows notify_retract unless the request says otherwise; purge and delete", () => {
    svc.createNode(HOST, "n", OWNER, opts({ "pubsub#notify_retract": "0" }));
    svc.publish(HOST, "n", OWNER, { id: "a", payload: "<p/>" });
    svc.publish(HOST, "n", OWNER, { id: "b", payload: "<p/>" });
    events.length = 0;
    svc.retract(HOST, "n", OWNER, ["a"]);
    assert.equal(events.length, 0);
    svc.retract(HOST, "n", OWNER, ["b"], true);
    assert.deepEqual(events.map((e) => e.kind), ["retract"]);
    svc.purge(HOST, "n", OWNER);
    svc.deleteNode(HOST, "n", OWNER, "xmpp:pubsub.example?;node=next");
    assert.deepEqual(events.map((e) => e.kind), ["retract", "purge", "delete"]);
    const del = events[2]!;
    assert.equal(del.kind === "delete" ? del.redirect : undefined, "xmpp:pubsub.example?;node=next");
    assert.equal(svc.getNode(HOST, "n"), undefined);
  });

  test("limits: payload size, nodes per owner, payload required on persistent nodes", () => {
    svc.createNode(HOST, "n", OWNER);
    assert.equal(refusal(() => svc.publish(HOST, "n", OWNER, { payload: `<p>${"x".repeat(300)}</p>` })), "not-acceptable/payload-too-big");
    assert.equal(refusal(() => svc.publish(HOST, "n", OWNER, {})), "bad-request/payload-required");
    svc.createNode(HOST, "n2", OWNER);
    svc.createNode(HOST, "n3", OWNER);
    assert.equal(refusal(() => svc.createNode(HOST, "n4", OWNER)), "not-allowed/max-nodes-exceeded");
    assert.equal(refusal(() => svc.createNode(HOST, "n4", OTHER)), "allowed", "the limit is per owner");
  });

  test("subscriptions: the JID must be the requester's; unsubscribe checks subid; items of a volatile node stay in memory", () => {
    svc.createNode(HOST, "n", OWNER);
    assert.equal(refusal(() => svc.subscribe(HOST, "n", OTHER, `${OWNER}/x`)), "bad-request/invalid-jid");
    const { subscription } = svc.subscribe(HOST, "n", OTHER, OTHER);
    assert.equal(svc.subscribe(HOST, "n", OTHER, OTHER).subscription.subid, subscription.subid, "subscribing twice returns the same subscription");
    assert.equal(refusal(() => svc.unsubscribe(HOST, "n", OTHER, OTHER, "wrong")), "not-acceptable/invalid-subid");
    svc.unsubscribe(HOST, "n", OTHER, OTHER, subscription.subid);
    assert.equal(refusal(() => svc.unsubscribe(HOST, "n", OTHER, OTHER)), "unexpected-request/not-subscribed");

    svc.createNode(HOST, "v", OTHER, opts({ "pubsub#persist_items": "false" }));
    svc.publish(HOST, "v", OTHER, { id: "a", payload: "<p/>" });
    assert.equal(storage.map(HOST, ITEMS_STORE).getAll(`${HOST}\nv`).size, 0, "nothing written to storage");
    assert.equal(svc.getItems(HOST, "v", OTHER).items.length, 1);
    assert.equal(make().getItems(HOST, "v", OTHER).items.length, 0, "a new service (a restart) has lost them");
    assert.deepEqual(defaultNodeConfig().accessModel, "open");
  });
});
