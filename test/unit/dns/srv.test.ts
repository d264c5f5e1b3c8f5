import assert from "node:assert/strict";
import { test } from "node:test";
import type { SrvRecord } from "../../../src/dns/resolver.js";
import { isDisabledService, orderSrv, selectionPlan } from "../../../src/dns/srv.js";

const rec = (priority: number, weight: number, target: string): SrvRecord => ({ priority, weight, port: 5222, target });

test("lower priority is always tried first, whatever the weights", () => {
  const records = [rec(10, 100, "backup"), rec(0, 1, "main")];
  // Whatever the random draws, the priority-0 target comes first.
  for (const draw of [0, 1, 100]) {
    assert.deepEqual(orderSrv(records, (max) => Math.min(draw, max)).map((r) => r.target), ["main", "backup"]);
  }
});

test("within a priority the draw picks the first record whose running weight sum reaches it (RFC 2782)", () => {
  const records = [rec(0, 60, "a"), rec(0, 40, "b")];
  // Sum 100: a draw of 1..60 lands on a, 61..100 on b.
  assert.deepEqual(orderSrv(records, (max) => (max === 100 ? 60 : 0)).map((r) => r.target), ["a", "b"]);
  assert.deepEqual(orderSrv(records, (max) => (max === 100 ? 61 : 0)).map((r) => r.target), ["b", "a"]);
});

test("weight-0 records go first in the list, so only a draw of 0 picks them before weighted ones", () => {
  const records = [rec(0, 10, "weighted"), rec(0, 0, "zero")];
  assert.equal(orderSrv(records, () => 0)[0]!.target, "zero");
  assert.equal(orderSrv(records, (max) => max)[0]!.target, "weighted");
});

test("the selection plan gives each record its share of first tries, the shares of a priority adding up to 1", () => {
  const plan = selectionPlan([rec(0, 60, "a"), rec(0, 40, "b"), rec(10, 0, "c")]);
  assert.deepEqual(plan.map((g) => g.priority), [0, 10]);
  const [first, second] = plan;
  assert.deepEqual(first!.records.map((r) => r.target), ["a", "b"]);
  assert.ok(Math.abs(first!.records.reduce((s, r) => s + r.share, 0) - 1) < 1e-9);
  assert.ok(Math.abs(first!.records[0]!.share - 0.6) < 0.01);
  assert.equal(second!.records[0]!.share, 1);
});

test("a single record with target '.' means the service is deliberately not offered", () => {
  assert.equal(isDisabledService([rec(0, 0, ".")]), true);
  assert.equal(isDisabledService([rec(0, 0, "."), rec(0, 5, "xmpp")]), false);
  assert.equal(isDisabledService([]), false);
});
