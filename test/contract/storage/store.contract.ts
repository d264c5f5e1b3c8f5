// The storage contract: what every backend must do, run unchanged against each of them (after
// Prosody's spec/core_storagemanager_spec.lua, STYLE-ANCHORS §1.6). A backend passes this suite
// or it is not a backend; features rely on nothing outside it.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import { ALL_USERS, StoreError, type ArchiveItem, type ArchiveStore, type StorageBackend, type StoreErrorCode } from "../../../src/storage/types.js";

const HOST = "example.com";
const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);
const at = (seconds: number): Date => new Date(T0 + seconds * 1000);

function throwsStoreError(fn: () => unknown, code: StoreErrorCode): void {
  assert.throws(fn, (err: unknown) => err instanceof StoreError && err.code === code);
}

const keysOf = (items: readonly ArchiveItem[]): string[] => items.map((i) => i.key);

/**
 * Nine items k1..k9 one second apart, conversations alternating between bob (bare, then a full
 * JID of his) and carol: with = bob@x, bob@x/phone, carol@x, bob@x, bob@x/phone, carol@x, …
 */
function seedNine(archive: ArchiveStore, user = "alice"): void {
  const partners = ["bob@x", "bob@x/phone", "carol@x"];
  for (let i = 1; i <= 9; i++) {
    archive.append(user, `<message id='${i}'/>`, { key: `k${i}`, when: at(i), with: partners[(i - 1) % 3]! });
  }
}

export function runStoreContract(name: string, open: () => StorageBackend): void {
  describe(`storage contract: ${name}`, () => {
    let storage: StorageBackend;
    beforeEach(() => {
      storage = open();
    });
    afterEach(() => {
      storage.close();
    });

    describe("keyval", () => {
      test("get is undefined until set, and returns the value set (null is a value)", () => {
        const kv = storage.keyval(HOST, "vcard");
        assert.equal(kv.get("alice"), undefined);
        kv.set("alice", { fn: "Alice", tags: ["a", 1, true, null] });
        assert.deepEqual(kv.get("alice"), { fn: "Alice", tags: ["a", 1, true, null] });
        kv.set("bob", null);
        assert.equal(kv.get("bob"), null);
      });

      test("set replaces, and set(undefined) deletes the value and the user", () => {
        const kv = storage.keyval(HOST, "account");
        kv.set("alice", 1);
        kv.set("alice", 2);
        assert.equal(kv.get("alice"), 2);
        kv.set("alice", undefined);
        assert.equal(kv.get("alice"), undefined);
        assert.deepEqual(kv.users(), []);
        kv.set("nobody", undefined); // deleting what is not there is not an error
      });

      test("users lists every user with a value, sorted", () => {
        const kv = storage.keyval(HOST, "account");
        for (const u of ["carol", "alice", "bob"]) kv.set(u, { u });
        assert.deepEqual(kv.users(), ["alice", "bob", "carol"]);
      });

      test("hosts, stores and users are isolated from each other", () => {
        storage.keyval(HOST, "a").set("alice", "host/a/alice");
        storage.keyval(HOST, "b").set("alice", "host/b/alice");
        storage.keyval("other.org", "a").set("alice", "other/a/alice");
        storage.keyval(HOST, "a").set("bob", "host/a/bob");
        assert.equal(storage.keyval(HOST, "a").get("alice"), "host/a/alice");
        assert.equal(storage.keyval(HOST, "b").get("alice"), "host/b/alice");
        assert.equal(storage.keyval("other.org", "a").get("alice"), "other/a/alice");
        assert.deepEqual(storage.keyval(HOST, "b").users(), ["alice"]);
        assert.deepEqual(storage.keyval("other.org", "a").users(), ["alice"]);
      });

      test("callers cannot change stored values through objects they passed in or got back", () => {
        const kv = storage.keyval(HOST, "vcard");
        const value = { fn: "Alice", nick: ["al"] };
        kv.set("alice", value);
        value.nick.push("mutated after set");
        const got = kv.get("alice") as { nick: string[] };
        got.nick.push("mutated after get");
        assert.deepEqual(kv.get("alice"), { fn: "Alice", nick: ["al"] });
      });
    });

    describe("map", () => {
      test("get/set address one key of one user; getAll returns all of them sorted by key", () => {
        const map = storage.map(HOST, "roster");
        assert.equal(map.get("alice", "bob@x"), undefined);
        assert.deepEqual(map.getAll("alice"), new Map());
        map.set("alice", "carol@x", { name: "Carol" });
        map.set("alice", "bob@x", { name: "Bob", groups: ["friends"] });
        assert.deepEqual(map.get("alice", "bob@x"), { name: "Bob", groups: ["friends"] });
        const all = map.getAll("alice");
        assert.deepEqual([...all.keys()], ["bob@x", "carol@x"]);
        assert.deepEqual(all.get("carol@x"), { name: "Carol" });
      });

      test("set(undefined) deletes one key; the user disappears with the last key", () => {
        const map = storage.map(HOST, "roster");
        map.set("alice", "bob@x", 1);
        map.set("alice", "carol@x", 2);
        map.set("alice", "bob@x", undefined);
        assert.deepEqual(map.getAll("alice"), new Map([["carol@x", 2]]));
        assert.deepEqual(map.users(), ["alice"]);
        map.set("alice", "carol@x", undefined);
        assert.deepEqual(map.users(), []);
      });

      test("setMany sets and deletes several keys", () => {
        const map = storage.map(HOST, "private");
        map.set("alice", "gone", "x");
        map.setMany("alice", [
          ["a", 1],
          ["b", { two: 2 }],
          ["gone", undefined],
        ]);
        assert.deepEqual(map.getAll("alice"), new Map<string, unknown>([["a", 1], ["b", { two: 2 }]]));
      });

      test("setMany is all or nothing: an entry source that throws midway writes nothing", () => {
        const map = storage.map(HOST, "private");
        map.set("alice", "kept", "before");
        function* entries(): Generator<[string, number | undefined]> {
          yield ["new", 1];
          yield ["kept", undefined];
          throw new Error("source failed");
        }
        assert.throws(() => map.setMany("alice", entries()), /source failed/);
        assert.deepEqual(map.getAll("alice"), new Map([["kept", "before"]]));
      });

      test("deleteUser removes one user's keys in this store only", () => {
        const roster = storage.map(HOST, "roster");
        roster.set("alice", "bob@x", 1);
        roster.set("alice", "carol@x", 2);
        roster.set("bob", "alice@x", 3);
        storage.map(HOST, "private").set("alice", "ns", 4);
        roster.deleteUser("alice");
        assert.deepEqual(roster.getAll("alice"), new Map());
        assert.deepEqual(roster.users(), ["bob"]);
        assert.equal(storage.map(HOST, "private").get("alice", "ns"), 4);
      });

      test("users lists users with at least one key, per host and store", () => {
        storage.map(HOST, "roster").set("bob", "k", 1);
        storage.map(HOST, "roster").set("alice", "k", 1);
        storage.map(HOST, "other").set("carol", "k", 1);
        storage.map("other.org", "roster").set("dave", "k", 1);
        assert.deepEqual(storage.map(HOST, "roster").users(), ["alice", "bob"]);
        assert.deepEqual(storage.map("other.org", "roster").users(), ["dave"]);
      });

      test("callers cannot change stored values through objects they passed in or got back", () => {
        const map = storage.map(HOST, "roster");
        const item = { groups: ["a"] };
        map.set("alice", "bob@x", item);
        item.groups.push("b");
        (map.getAll("alice").get("bob@x") as { groups: string[] }).groups.push("c");
        (map.get("alice", "bob@x") as { groups: string[] }).groups.push("d");
        assert.deepEqual(map.get("alice", "bob@x"), { groups: ["a"] });
      });
    });

    describe("archive", () => {
      let archive: ArchiveStore;
      beforeEach(() => {
        archive = storage.archive(HOST, "archive");
      });

      test("declares its capabilities", () => {
        assert.deepEqual({ ...archive.caps }, { total: true, ids: true, wildcardDelete: true, truncate: false });
      });

      test("append keeps a given key and returns it; items read back with value, time and with", () => {
        assert.equal(archive.append("alice", "<m/>", { key: "given", when: at(5), with: "bob@x/phone" }), "given");
        assert.deepEqual(archive.find("alice"), [{ key: "given", value: "<m/>", when: at(5), with: "bob@x/phone" }]);
      });

      test("append without a key generates distinct URL-safe keys; without with/when uses '' and now", () => {
        const before = Date.now();
        const keys = new Set<string>();
        for (let i = 0; i < 200; i++) keys.add(archive.append("alice", `<m n='${i}'/>`));
        assert.equal(keys.size, 200);
        for (const key of keys) assert.match(key, /^[A-Za-z0-9_-]{8,64}$/);
        const [first] = archive.find("alice", { limit: 1 });
        assert.equal(first?.with, "");
        assert.ok(first !== undefined && first.when.getTime() >= before && first.when.getTime() <= Date.now());
      });

      test("find returns items in append order, newest first with reverse", () => {
        seedNine(archive);
        assert.deepEqual(keysOf(archive.find("alice")), ["k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9"]);
        assert.deepEqual(keysOf(archive.find("alice", { reverse: true })), ["k9", "k8", "k7", "k6", "k5", "k4", "k3", "k2", "k1"]);
      });

      test("archive order is append order even when timestamps go backwards", () => {
        // A late-arriving message with an older timestamp is still after what was appended before it.
        archive.append("alice", "<a/>", { key: "first", when: at(100) });
        archive.append("alice", "<b/>", { key: "second", when: at(50) });
        assert.deepEqual(keysOf(archive.find("alice")), ["first", "second"]);
        assert.deepEqual(keysOf(archive.find("alice", { after: "first" })), ["second"]);
      });

      test("a bare with matches the bare JID and all its full JIDs; a full with matches exactly", () => {
        seedNine(archive);
        assert.deepEqual(keysOf(archive.find("alice", { with: "bob@x" })), ["k1", "k2", "k4", "k5", "k7", "k8"]);
        assert.deepEqual(keysOf(archive.find("alice", { with: "bob@x/phone" })), ["k2", "k5", "k8"]);
        assert.deepEqual(keysOf(archive.find("alice", { with: "carol@x" })), ["k3", "k6", "k9"]);
        assert.deepEqual(keysOf(archive.find("alice", { with: "carol@x/laptop" })), []);
        assert.deepEqual(keysOf(archive.find("alice", { with: "bob@xx" })), []);
      });

      test("start and end are inclusive", () => {
        seedNine(archive);
        assert.deepEqual(keysOf(archive.find("alice", { start: at(3), end: at(5) })), ["k3", "k4", "k5"]);
        assert.deepEqual(keysOf(archive.find("alice", { start: at(8) })), ["k8", "k9"]);
        assert.deepEqual(keysOf(archive.find("alice", { end: at(2) })), ["k1", "k2"]);
        assert.deepEqual(keysOf(archive.find("alice", { start: at(6), end: at(5) })), []);
      });

      test("paging forward with after walks three pages and then ends", () => {
        seedNine(archive);
        const page1 = archive.find("alice", { limit: 3 });
        assert.deepEqual(keysOf(page1), ["k1", "k2", "k3"]);
        const page2 = archive.find("alice", { limit: 3, after: page1.at(-1)!.key });
        assert.deepEqual(keysOf(page2), ["k4", "k5", "k6"]);
        const page3 = archive.find("alice", { limit: 3, after: page2.at(-1)!.key });
        assert.deepEqual(keysOf(page3), ["k7", "k8", "k9"]);
        assert.deepEqual(archive.find("alice", { limit: 3, after: "k9" }), []);
      });

      test("paging backward with before and reverse walks three pages from the newest", () => {
        seedNine(archive);
        const page1 = archive.find("alice", { limit: 3, reverse: true });
        assert.deepEqual(keysOf(page1), ["k9", "k8", "k7"]);
        const page2 = archive.find("alice", { limit: 3, reverse: true, before: page1.at(-1)!.key });
        assert.deepEqual(keysOf(page2), ["k6", "k5", "k4"]);
        const page3 = archive.find("alice", { limit: 3, reverse: true, before: page2.at(-1)!.key });
        assert.deepEqual(keysOf(page3), ["k3", "k2", "k1"]);
        assert.deepEqual(archive.find("alice", { limit: 3, reverse: true, before: "k1" }), []);
      });

      test("before without reverse takes the oldest items before the key", () => {
        seedNine(archive);
        assert.deepEqual(keysOf(archive.find("alice", { limit: 2, before: "k5" })), ["k1", "k2"]);
      });

      test("before and after together select the items strictly between the two keys", () => {
        seedNine(archive);
        assert.deepEqual(keysOf(archive.find("alice", { after: "k3", before: "k7" })), ["k4", "k5", "k6"]);
        assert.deepEqual(keysOf(archive.find("alice", { after: "k3", before: "k4" })), []);
      });

      test("paging combines with the with filter", () => {
        seedNine(archive);
        // bob's items are k1 k2 k4 k5 k7 k8: pages of two, backwards from the newest.
        const page1 = archive.find("alice", { with: "bob@x", limit: 2, reverse: true });
        assert.deepEqual(keysOf(page1), ["k8", "k7"]);
        const page2 = archive.find("alice", { with: "bob@x", limit: 2, reverse: true, before: "k7" });
        assert.deepEqual(keysOf(page2), ["k5", "k4"]);
        const page3 = archive.find("alice", { with: "bob@x", limit: 2, reverse: true, before: "k4" });
        assert.deepEqual(keysOf(page3), ["k2", "k1"]);
        // A key outside the filter is still a valid page boundary.
        assert.deepEqual(keysOf(archive.find("alice", { with: "bob@x", after: "k6" })), ["k7", "k8"]);
      });

      test("items with equal timestamps still page exactly, by archive order", () => {
        for (let i = 1; i <= 6; i++) archive.append("alice", "<m/>", { key: `s${i}`, when: at(0) });
        const page1 = archive.find("alice", { limit: 4 });
        assert.deepEqual(keysOf(page1), ["s1", "s2", "s3", "s4"]);
        assert.deepEqual(keysOf(archive.find("alice", { limit: 4, after: "s4" })), ["s5", "s6"]);
        assert.deepEqual(keysOf(archive.find("alice", { limit: 4, reverse: true, before: "s3" })), ["s2", "s1"]);
      });

      test("an unknown before or after key is item-not-found, also when it belongs to another user", () => {
        seedNine(archive);
        archive.append("bob", "<m/>", { key: "bobs" });
        throwsStoreError(() => archive.find("alice", { before: "nope" }), "item-not-found");
        throwsStoreError(() => archive.find("alice", { after: "nope" }), "item-not-found");
        throwsStoreError(() => archive.find("alice", { after: "bobs" }), "item-not-found");
        throwsStoreError(() => storage.archive(HOST, "other").find("alice", { after: "k1" }), "item-not-found");
      });

      test("ids returns exactly those items, in archive order", () => {
        seedNine(archive);
        assert.deepEqual(keysOf(archive.find("alice", { ids: ["k7", "k2", "k2", "k5"] })), ["k2", "k5", "k7"]);
        assert.deepEqual(keysOf(archive.find("alice", { ids: ["k7", "k2"], reverse: true })), ["k7", "k2"]);
        assert.deepEqual(archive.find("alice", { ids: [] }), []);
      });

      test("ids naming an item the user does not have is item-not-found", () => {
        seedNine(archive);
        archive.append("bob", "<m/>", { key: "bobs" });
        throwsStoreError(() => archive.find("alice", { ids: ["k1", "missing"] }), "item-not-found");
        throwsStoreError(() => archive.find("alice", { ids: ["bobs"] }), "item-not-found");
      });

      test("limit caps the result in the order asked for; 0 returns nothing", () => {
        seedNine(archive);
        assert.deepEqual(keysOf(archive.find("alice", { limit: 2 })), ["k1", "k2"]);
        assert.deepEqual(keysOf(archive.find("alice", { limit: 2, reverse: true })), ["k9", "k8"]);
        assert.deepEqual(archive.find("alice", { limit: 0 }), []);
        assert.equal(archive.find("alice", { limit: 100 }).length, 9);
      });

      test("count applies the same with/start/end filters as find", () => {
        seedNine(archive);
        assert.equal(archive.count("alice"), 9);
        assert.equal(archive.count("alice", { with: "bob@x" }), 6);
        assert.equal(archive.count("alice", { with: "bob@x/phone" }), 3);
        assert.equal(archive.count("alice", { start: at(4), end: at(6) }), 3);
        assert.equal(archive.count("alice", { with: "carol@x", end: at(6) }), 2);
        assert.equal(archive.count("nobody"), 0);
      });

      test("appending an existing key replaces that item, which moves to the end", () => {
        seedNine(archive);
        archive.append("alice", "<new/>", { key: "k3", when: at(20), with: "dave@x" });
        assert.deepEqual(keysOf(archive.find("alice")), ["k1", "k2", "k4", "k5", "k6", "k7", "k8", "k9", "k3"]);
        assert.deepEqual(archive.find("alice", { ids: ["k3"] }), [{ key: "k3", value: "<new/>", when: at(20), with: "dave@x" }]);
        // The same key in another user's archive is a different item.
        archive.append("bob", "<bob/>", { key: "k3" });
        assert.equal(archive.count("alice"), 9);
        assert.deepEqual(keysOf(archive.find("bob")), ["k3"]);
      });

      test("delete with end removes the items at or before it and returns how many", () => {
        seedNine(archive);
        assert.equal(archive.delete("alice", { end: at(4) }), 4);
        assert.deepEqual(keysOf(archive.find("alice")), ["k5", "k6", "k7", "k8", "k9"]);
      });

      test("delete with with removes one conversation (bare or full JID)", () => {
        seedNine(archive);
        assert.equal(archive.delete("alice", { with: "bob@x/phone" }), 3);
        assert.deepEqual(keysOf(archive.find("alice")), ["k1", "k3", "k4", "k6", "k7", "k9"]);
        assert.equal(archive.delete("alice", { with: "bob@x" }), 3);
        assert.deepEqual(keysOf(archive.find("alice")), ["k3", "k6", "k9"]);
      });

      test("delete with a limit removes the oldest items first, in bounded batches", () => {
        // Appended newest-first by time: "oldest" is by when, not by archive order.
        for (let i = 6; i >= 1; i--) archive.append("alice", "<m/>", { key: `t${i}`, when: at(i) });
        assert.equal(archive.delete("alice", { limit: 2 }), 2);
        assert.deepEqual(keysOf(archive.find("alice")), ["t6", "t5", "t4", "t3"]);
        assert.equal(archive.delete("alice", { end: at(5), limit: 1 }), 1);
        assert.deepEqual(keysOf(archive.find("alice")), ["t6", "t5", "t4"]);
        let batches = 0;
        while (archive.delete("alice", { end: at(5), limit: 1 }) > 0) batches++;
        assert.equal(batches, 2);
        assert.deepEqual(keysOf(archive.find("alice")), ["t6"]);
      });

      test("delete without a query empties one user's archive", () => {
        seedNine(archive);
        archive.append("bob", "<m/>");
        assert.equal(archive.delete("alice"), 9);
        assert.deepEqual(archive.find("alice"), []);
        assert.equal(archive.count("bob"), 1);
      });

      test("delete(ALL_USERS) removes across every user of this host and store only", () => {
        seedNine(archive, "alice");
        seedNine(archive, "bob");
        seedNine(storage.archive(HOST, "offline"), "alice");
        seedNine(storage.archive("other.org", "archive"), "alice");
        assert.equal(archive.delete(ALL_USERS, { end: at(3) }), 6);
        assert.deepEqual(keysOf(archive.find("alice")), ["k4", "k5", "k6", "k7", "k8", "k9"]);
        assert.deepEqual(keysOf(archive.find("bob")), ["k4", "k5", "k6", "k7", "k8", "k9"]);
        assert.equal(storage.archive(HOST, "offline").count("alice"), 9);
        assert.equal(storage.archive("other.org", "archive").count("alice"), 9);
        assert.equal(archive.delete(ALL_USERS, { end: at(9), limit: 5 }), 5);
        assert.equal(archive.count("alice") + archive.count("bob"), 7);
        assert.equal(archive.delete(ALL_USERS), 7);
        assert.deepEqual(archive.users(), []);
      });

      test("users lists users with at least one item, sorted, per host and store", () => {
        archive.append("carol", "<m/>");
        archive.append("alice", "<m/>");
        archive.append("alice", "<m/>");
        storage.archive(HOST, "offline").append("bob", "<m/>");
        storage.archive("other.org", "archive").append("dave", "<m/>");
        assert.deepEqual(archive.users(), ["alice", "carol"]);
        archive.delete("carol");
        assert.deepEqual(archive.users(), ["alice"]);
      });

      test("archives are isolated by host, store and user", () => {
        seedNine(archive);
        assert.deepEqual(storage.archive(HOST, "offline").find("alice"), []);
        assert.deepEqual(storage.archive("other.org", "archive").find("alice"), []);
        assert.deepEqual(archive.find("bob"), []);
        assert.equal(archive.count("alice"), 9);
      });
    });

    describe("backend", () => {
      test("deleteUser removes the user from every store of the host and nothing else", () => {
        storage.keyval(HOST, "account").set("alice", { password: "x" });
        storage.keyval(HOST, "account").set("bob", { password: "y" });
        storage.map(HOST, "roster").set("alice", "bob@x", {});
        storage.map(HOST, "roster").set("bob", "alice@x", {});
        seedNine(storage.archive(HOST, "archive"), "alice");
        seedNine(storage.archive(HOST, "archive"), "bob");
        storage.archive(HOST, "offline").append("alice", "<m/>");
        storage.keyval("other.org", "account").set("alice", { password: "z" });
        storage.archive("other.org", "archive").append("alice", "<m/>");

        storage.deleteUser(HOST, "alice");

        assert.equal(storage.keyval(HOST, "account").get("alice"), undefined);
        assert.deepEqual(storage.map(HOST, "roster").getAll("alice"), new Map());
        assert.equal(storage.archive(HOST, "archive").count("alice"), 0);
        assert.equal(storage.archive(HOST, "offline").count("alice"), 0);
        assert.deepEqual(storage.keyval(HOST, "account").users(), ["bob"]);
        assert.deepEqual(storage.map(HOST, "roster").users(), ["bob"]);
        assert.equal(storage.archive(HOST, "archive").count("bob"), 9);
        assert.deepEqual(storage.keyval("other.org", "account").get("alice"), { password: "z" });
        assert.equal(storage.archive("other.org", "archive").count("alice"), 1);
      });

      test("transaction commits its writes together and returns fn's result", () => {
        const result = storage.transaction(() => {
          storage.keyval(HOST, "account").set("alice", 1);
          storage.map(HOST, "roster").set("alice", "bob@x", 2);
          storage.archive(HOST, "archive").append("alice", "<m/>", { key: "a" });
          return "done";
        });
        assert.equal(result, "done");
        assert.equal(storage.keyval(HOST, "account").get("alice"), 1);
        assert.equal(storage.map(HOST, "roster").get("alice", "bob@x"), 2);
        assert.deepEqual(keysOf(storage.archive(HOST, "archive").find("alice")), ["a"]);
      });

      test("a throw inside transaction undoes every write made in it", () => {
        const archive = storage.archive(HOST, "archive");
        storage.keyval(HOST, "account").set("alice", "before");
        seedNine(archive);
        assert.throws(
          () =>
            storage.transaction(() => {
              storage.keyval(HOST, "account").set("alice", "during");
              storage.keyval(HOST, "account").set("bob", "new");
              storage.map(HOST, "roster").set("alice", "bob@x", 1);
              archive.append("alice", "<replaced/>", { key: "k1" });
              archive.append("alice", "<m/>", { key: "added" });
              archive.delete("alice", { end: at(5) });
              storage.deleteUser(HOST, "alice");
              throw new Error("abort");
            }),
          /abort/,
        );
        assert.equal(storage.keyval(HOST, "account").get("alice"), "before");
        assert.deepEqual(storage.keyval(HOST, "account").users(), ["alice"]);
        assert.deepEqual(storage.map(HOST, "roster").users(), []);
        assert.deepEqual(keysOf(archive.find("alice")), ["k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9"]);
        assert.equal(archive.find("alice", { ids: ["k1"] })[0]?.value, "<message id='1'/>");
      });

      test("a nested transaction that throws undoes only its own writes", () => {
        const kv = storage.keyval(HOST, "account");
        storage.transaction(() => {
          kv.set("outer", 1);
          assert.throws(() =>
            storage.transaction(() => {
              kv.set("inner", 2);
              kv.set("outer", 3);
              throw new Error("inner abort");
            }),
          );
          assert.equal(kv.get("outer"), 1);
        });
        assert.equal(kv.get("outer"), 1);
        assert.equal(kv.get("inner"), undefined);
      });

      test("transaction refuses an async function and keeps none of its synchronous writes", () => {
        const kv = storage.keyval(HOST, "account");
        assert.throws(
          () =>
            storage.transaction(() => {
              kv.set("alice", 1);
              return Promise.resolve();
            }),
          TypeError,
        );
        assert.equal(kv.get("alice"), undefined);
      });

      test("calls after close fail with StoreError unavailable", () => {
        const kv = storage.keyval(HOST, "account");
        const archive = storage.archive(HOST, "archive");
        storage.close();
        throwsStoreError(() => kv.get("alice"), "unavailable");
        throwsStoreError(() => archive.append("alice", "<m/>"), "unavailable");
        throwsStoreError(() => storage.transaction(() => 1), "unavailable");
      });
    });
  });
}
