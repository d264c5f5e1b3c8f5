// The XEP-0050 engine on its own: sessions, stages, actions, errors and expiry, driven with
// <command/> elements and an injected clock (no sockets, no timers).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Jid } from "../../../../src/jid/jid.js";
import { AdhocEngine, badPayload, type AdhocCommand } from "../../../../src/modules/adhoc/engine.js";
import { fieldValue } from "../../../../src/modules/adhoc/forms.js";
import { StanzaError } from "../../../../src/stanza/errors.js";
import { type Element, x } from "../../../../src/xml/element.js";

const NS = "http://jabber.org/protocol/commands";
const admin = Jid.parse("boss@example.com/console");
const user = Jid.parse("alice@example.com/phone");

/** Two stages: name, then colour; completes with both. */
const wizard: AdhocCommand = {
  node: "test#wizard",
  name: "Wizard",
  permission: "user",
  handler(state, form) {
    if (state.stage === 0) return { status: "executing", actions: ["next"], form: { type: "form", fields: [{ var: "name", type: "text-single", values: [] }] } };
    if (state.stage === 1) {
      const name = fieldValue(form, "name");
      if (!name) return badPayload("name is required");
      state.data.name = name;
      return { status: "executing", actions: ["prev", "complete"], form: { type: "form", fields: [{ var: "colour", type: "text-single", values: [] }] } };
    }
    return { status: "completed", notes: [{ type: "info", text: `${String(state.data.name)} likes ${fieldValue(form, "colour")}` }] };
  },
};
const secret: AdhocCommand = { node: "test#secret", name: "Secret", permission: "admin", handler: () => ({ status: "completed" }) };

function setup(now = { t: 0 }) {
  const engine = new AdhocEngine({ isAdmin: (j) => j.local === "boss", sessionTtlMs: 1000, now: () => now.t });
  engine.register(wizard);
  engine.register(secret);
  return { engine, now };
}

function cmd(attrs: Record<string, string>, fields?: Record<string, string>): Element {
  const form = fields && x("x", { xmlns: "jabber:x:data", type: "submit" }, Object.entries(fields).map(([k, v]) => x("field", { var: k }, x("value", null, v))));
  return x("command", { xmlns: NS, ...attrs }, form);
}

async function ok(p: Promise<Element | StanzaError>): Promise<Element> {
  const r = await p;
  if (r instanceof StanzaError) throw new Error(`unexpected error ${r.condition}`);
  return r;
}

async function err(p: Promise<Element | StanzaError>): Promise<{ condition: string; app: string | undefined }> {
  const r = await p;
  assert.ok(r instanceof StanzaError, "expected an error");
  return { condition: r.condition, app: r.appCondition?.name };
}

describe("XEP-0050 engine", () => {
  test("a multi-stage command walks execute → next → prev → complete with one session id (§3.4)", async () => {
    const { engine } = setup();
    const first = await ok(engine.execute(user, undefined, cmd({ node: "test#wizard", action: "execute" })));
    assert.equal(first.attrs.status, "executing");
    const sid = first.attrs.sessionid!;
    assert.equal(first.getChild("actions")?.attrs.execute, "next");

    const second = await ok(engine.execute(user, undefined, cmd({ node: "test#wizard", sessionid: sid, action: "next" }, { name: "Ann" })));
    assert.deepEqual(second.getChild("actions")!.elements.map((e) => e.name), ["prev", "complete"]);

    // prev re-sends the first stage's form.
    const back = await ok(engine.execute(user, undefined, cmd({ node: "test#wizard", sessionid: sid, action: "prev" })));
    assert.equal(back.getChild("x", "jabber:x:data")!.getChild("field")!.attrs.var, "name");
    await ok(engine.execute(user, undefined, cmd({ node: "test#wizard", sessionid: sid, action: "next" }, { name: "Bea" })));

    // "execute" inside a session means the stage's default action (complete here).
    const done = await ok(engine.execute(user, undefined, cmd({ node: "test#wizard", sessionid: sid, action: "execute" }, { colour: "red" })));
    assert.equal(done.attrs.status, "completed");
    assert.equal(done.attrs.sessionid, sid);
    assert.equal(done.getChildText("note"), "Bea likes red");
    assert.equal(engine.openSessions, 0, "a completed session is forgotten");
  });

  test("cancel ends the session with status canceled", async () => {
    const { engine } = setup();
    const first = await ok(engine.execute(user, undefined, cmd({ node: "test#wizard" })));
    const canceled = await ok(engine.execute(user, undefined, cmd({ node: "test#wizard", sessionid: first.attrs.sessionid!, action: "cancel" })));
    assert.equal(canceled.attrs.status, "canceled");
    assert.deepEqual(await err(engine.execute(user, undefined, cmd({ node: "test#wizard", sessionid: first.attrs.sessionid!, action: "next" }))), { condition: "bad-request", app: "bad-sessionid" });
  });

  test("an action the stage does not offer is bad-action; an unknown one malformed-action (§4.6)", async () => {
    const { engine } = setup();
    const first = await ok(engine.execute(user, undefined, cmd({ node: "test#wizard" })));
    const sid = first.attrs.sessionid!;
    assert.deepEqual(await err(engine.execute(user, undefined, cmd({ node: "test#wizard", sessionid: sid, action: "complete" }))), { condition: "bad-request", app: "bad-action" });
    assert.deepEqual(await err(engine.execute(user, undefined, cmd({ node: "test#wizard", sessionid: sid, action: "prev" }))), { condition: "bad-request", app: "bad-action" });
    assert.deepEqual(await err(engine.execute(user, undefined, cmd({ node: "test#wizard", sessionid: sid, action: "jump" }))), { condition: "bad-request", app: "malformed-action" });
  });

  test("a missing field is bad-payload and the session stays open to correct it", async () => {
    const { engine } = setup();
    const sid = (await ok(engine.execute(user, undefined, cmd({ node: "test#wizard" })))).attrs.sessionid!;
    assert.deepEqual(await err(engine.execute(user, undefined, cmd({ node: "test#wizard", sessionid: sid, action: "next" }, {}))), { condition: "bad-request", app: "bad-payload" });
    const fixed = await ok(engine.execute(user, undefined, cmd({ node: "test#wizard", sessionid: sid, action: "next" }, { name: "Cy" })));
    assert.equal(fixed.attrs.status, "executing");
  });

  test("a session belongs to the full JID that opened it", async () => {
    const { engine } = setup();
    const sid = (await ok(engine.execute(user, undefined, cmd({ node: "test#wizard" })))).attrs.sessionid!;
    const other = Jid.parse("alice@example.com/laptop");
    assert.deepEqual(await err(engine.execute(other, undefined, cmd({ node: "test#wizard", sessionid: sid, action: "next" }, { name: "x" }))), { condition: "bad-request", app: "bad-sessionid" });
  });

  test("a session unused for longer than its lifetime has expired (session-expired, not-allowed)", async () => {
    const { engine, now } = setup();
    const sid = (await ok(engine.execute(user, undefined, cmd({ node: "test#wizard" })))).attrs.sessionid!;
    now.t = 1001;
    assert.deepEqual(await err(engine.execute(user, undefined, cmd({ node: "test#wizard", sessionid: sid, action: "next" }, { name: "x" }))), { condition: "not-allowed", app: "session-expired" });
    assert.equal(engine.openSessions, 0);
  });

  test("sweep drops expired sessions and keeps fresh ones", async () => {
    const { engine, now } = setup();
    await ok(engine.execute(user, undefined, cmd({ node: "test#wizard" })));
    now.t = 600;
    await ok(engine.execute(user, undefined, cmd({ node: "test#wizard" })));
    now.t = 1500;
    assert.equal(engine.sweep(), 1);
    assert.equal(engine.openSessions, 1);
  });

  test("admin commands are hidden from, and forbidden to, other users; unknown nodes are item-not-found", async () => {
    const { engine } = setup();
    assert.deepEqual(engine.list(user).map((c) => c.node), ["test#wizard"]);
    assert.deepEqual(engine.list(admin).map((c) => c.node), ["test#secret", "test#wizard"]);
    assert.deepEqual(await err(engine.execute(user, undefined, cmd({ node: "test#secret" }))), { condition: "forbidden", app: undefined });
    assert.equal((await ok(engine.execute(admin, undefined, cmd({ node: "test#secret" })))).attrs.status, "completed");
    assert.deepEqual(await err(engine.execute(admin, undefined, cmd({ node: "test#nothing" }))), { condition: "item-not-found", app: undefined });
  });

  test("rights are checked at every step, so a revoked admin cannot finish an open session", async () => {
    let allowed = true;
    const engine = new AdhocEngine({ isAdmin: () => allowed });
    engine.register({ ...wizard, node: "test#admin-wizard", permission: "admin" });
    const sid = (await ok(engine.execute(admin, undefined, cmd({ node: "test#admin-wizard" })))).attrs.sessionid!;
    allowed = false;
    assert.equal((await err(engine.execute(admin, undefined, cmd({ node: "test#admin-wizard", sessionid: sid, action: "next" }, { name: "x" })))).condition, "forbidden");
  });

  test("one requester's open sessions are bounded; the least recently used goes first", async () => {
    const engine = new AdhocEngine({ isAdmin: () => false, maxSessionsPerRequester: 2 });
    engine.register(wizard);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await ok(engine.execute(user, undefined, cmd({ node: "test#wizard" })))).attrs.sessionid!);
    assert.equal(engine.openSessions, 2);
    assert.equal((await err(engine.execute(user, undefined, cmd({ node: "test#wizard", sessionid: ids[0]!, action: "cancel" })))).app, "bad-sessionid");
  });
});
