// The subscription state machine of RFC 6121 Appendix A, table by table, through the pure
// functions of services/roster.ts. States are written as the RFC writes them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { inbound, outbound, type RosterItem, type SubscriptionType } from "../../../../src/services/roster.js";

type State = "None" | "None+PO" | "None+PI" | "None+PO+PI" | "To" | "To+PI" | "From" | "From+PO" | "Both";
const STATES: State[] = ["None", "None+PO", "None+PI", "None+PO+PI", "To", "To+PI", "From", "From+PO", "Both"];

function itemIn(state: State): RosterItem {
  const [sub, ...flags] = state.split("+");
  const item: RosterItem = { subscription: sub!.toLowerCase() as RosterItem["subscription"], groups: [] };
  if (flags.includes("PO")) item.ask = "subscribe";
  if (flags.includes("PI")) item.pendingIn = true;
  return item;
}

function stateOf(item: RosterItem | undefined): State | "deleted" {
  if (!item) return "deleted";
  let s: string = item.subscription[0]!.toUpperCase() + item.subscription.slice(1);
  if (item.ask) s += "+PO";
  if (item.pendingIn) s += "+PI";
  return s as State;
}

/** Each row: the new state, or undefined for "no state change"; and whether the stanza goes on. */
type Table = Record<State, [State | undefined, boolean]>;

function check(name: string, table: Table, run: (item: RosterItem) => { item: RosterItem | undefined; changed: boolean; passOn: boolean }): void {
  for (const state of STATES) {
    const [expected, passOn] = table[state];
    const r = run(itemIn(state));
    assert.equal(r.passOn, passOn, `${name}, ${state}: ${passOn ? "must" : "must not"} route/deliver`);
    if (expected === undefined) assert.equal(r.changed, false, `${name}, ${state}: no state change`);
    else assert.equal(stateOf(r.item), expected, `${name}, ${state}`);
  }
}

const out = (type: SubscriptionType) => (item: RosterItem) => {
  const r = outbound(type, item);
  return { ...r, passOn: r.route };
};
const into = (type: SubscriptionType) => (item: RosterItem) => {
  const r = inbound(type, item);
  return { ...r, passOn: r.deliver };
};

test("A.2.1 outbound subscribe is always routed and sets Pending Out unless already subscribed", () => {
  check("subscribe", {
    None: ["None+PO", true], "None+PO": [undefined, true], "None+PI": ["None+PO+PI", true], "None+PO+PI": [undefined, true],
    To: [undefined, true], "To+PI": [undefined, true], From: ["From+PO", true], "From+PO": [undefined, true], Both: [undefined, true],
  }, out("subscribe"));
});

test("A.2.2 outbound unsubscribe is always routed and drops To and Pending Out", () => {
  check("unsubscribe", {
    None: [undefined, true], "None+PO": ["None", true], "None+PI": [undefined, true], "None+PO+PI": ["None+PI", true],
    To: ["None", true], "To+PI": ["None+PI", true], From: [undefined, true], "From+PO": ["From", true], Both: ["From", true],
  }, out("unsubscribe"));
});

test("A.2.3 outbound subscribed is routed only as an answer to Pending In", () => {
  check("subscribed", {
    None: [undefined, false], "None+PO": [undefined, false], "None+PI": ["From", true], "None+PO+PI": ["From+PO", true],
    To: [undefined, false], "To+PI": ["Both", true], From: [undefined, false], "From+PO": [undefined, false], Both: [undefined, false],
  }, out("subscribed"));
});

test("A.2.4 outbound unsubscribed is routed only when it cancels From or denies Pending In", () => {
  check("unsubscribed", {
    None: [undefined, false], "None+PO": [undefined, false], "None+PI": ["None", true], "None+PO+PI": ["None+PO", true],
    To: [undefined, false], "To+PI": ["To", true], From: ["None", true], "From+PO": ["None+PO", true], Both: ["To", true],
  }, out("unsubscribed"));
});

test("A.3.1 inbound subscribe is delivered only when new, and answered by the server when already approved", () => {
  check("subscribe", {
    None: ["None+PI", true], "None+PO": ["None+PO+PI", true], "None+PI": [undefined, false], "None+PO+PI": [undefined, false],
    To: ["To+PI", true], "To+PI": [undefined, false], From: [undefined, false], "From+PO": [undefined, false], Both: [undefined, false],
  }, into("subscribe"));
  for (const state of STATES) {
    assert.equal(inbound("subscribe", itemIn(state)).autoReply, state.startsWith("From") || state === "Both", `auto-reply in ${state}`);
  }
});

test("A.3.2 inbound unsubscribe is delivered when it withdraws Pending In or cancels From", () => {
  check("unsubscribe", {
    None: [undefined, false], "None+PO": [undefined, false], "None+PI": ["None", true], "None+PO+PI": ["None+PO", true],
    To: [undefined, false], "To+PI": ["To", true], From: ["None", true], "From+PO": ["None+PO", true], Both: ["To", true],
  }, into("unsubscribe"));
});

test("A.3.3 inbound subscribed is delivered only as an answer to Pending Out", () => {
  check("subscribed", {
    None: [undefined, false], "None+PO": ["To", true], "None+PI": [undefined, false], "None+PO+PI": ["To+PI", true],
    To: [undefined, false], "To+PI": [undefined, false], From: [undefined, false], "From+PO": ["Both", true], Both: [undefined, false],
  }, into("subscribed"));
});

test("A.3.4 inbound unsubscribed is delivered when it denies Pending Out or cancels To", () => {
  check("unsubscribed", {
    None: [undefined, false], "None+PO": ["None", true], "None+PI": [undefined, false], "None+PO+PI": ["None+PI", true],
    To: ["None", true], "To+PI": ["None+PI", true], From: [undefined, false], "From+PO": ["From", true], Both: ["From", true],
  }, into("unsubscribed"));
});

test("losing From is reported so the server can send unavailable presence (§3.2.2, §3.3.3)", () => {
  assert.equal(outbound("unsubscribed", itemIn("Both")).lostFrom, true);
  assert.equal(outbound("unsubscribed", itemIn("None+PI")).lostFrom, false, "denying a request revokes nothing");
  assert.equal(inbound("unsubscribe", itemIn("From")).lostFrom, true);
  assert.equal(inbound("unsubscribed", itemIn("Both")).lostFrom, false, "losing To is the other server's business");
});

test("a request from a stranger is a hidden record that approval turns into a roster item (§3.1.3, §3.1.5)", () => {
  const request = inbound("subscribe", undefined);
  assert.equal(request.deliver, true);
  assert.deepEqual(request.item, { subscription: "none", groups: [], pendingIn: true, hidden: true });

  const approved = outbound("subscribed", request.item);
  assert.equal(approved.route, true);
  assert.deepEqual(approved.item, { subscription: "from", groups: [] });
});

test("a denied or withdrawn request from a stranger leaves nothing behind", () => {
  const request = inbound("subscribe", undefined).item;
  assert.equal(outbound("unsubscribed", request).item, undefined);
  assert.equal(inbound("unsubscribe", request).item, undefined);
});

test("subscribing to a stranger who asked first adds them to the roster with both flags pending", () => {
  const request = inbound("subscribe", undefined).item;
  const r = outbound("subscribe", request);
  assert.deepEqual(r.item, { subscription: "none", groups: [], pendingIn: true, ask: "subscribe" });
});

test("messages about contacts the user has no record of change nothing", () => {
  for (const type of ["subscribed", "unsubscribe", "unsubscribed"] as const) {
    const r = inbound(type, undefined);
    assert.equal(r.changed, false, type);
    assert.equal(r.deliver, false, type);
  }
  assert.equal(outbound("unsubscribe", undefined).route, true, "A.2.2 routes even in state None");
  assert.equal(outbound("unsubscribe", undefined).changed, false);
});
