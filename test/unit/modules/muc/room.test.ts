// The room model without XML (services/muc-room.ts): who may enter (XEP-0045 §7.2), nick rules
// (§7.6), roles and affiliations (§5, §8, §9, §10), and discussion history limits (§7.2.15).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { defaultRoomConfig, Room } from "../../../../src/services/muc-room.js";

const OWNER = "crone@example.com";
function room(overrides: Parameters<typeof defaultRoomConfig>[0] = {}) {
  return new Room<string, string>("coven@chat.example.com", defaultRoomConfig(overrides), { affiliations: { [OWNER]: "owner" } });
}
function join(r: Room<string, string>, bare: string, nick: string, password?: string) {
  return r.join({ jid: `${bare}/res`, bareJid: bare, nick, password }, "presence");
}

describe("entering a room (XEP-0045 §7.2)", () => {
  test("the owner becomes a moderator and an unaffiliated user a participant (§5.1.2)", () => {
    const r = room();
    const owner = join(r, OWNER, "crone");
    const user = join(r, "wiccarocks@shakespeare.lit", "hag");
    assert.ok(owner.ok && user.ok);
    assert.equal(owner.occupant.role, "moderator");
    assert.equal(user.occupant.role, "participant");
  });

  test("in a moderated room an unaffiliated user enters as a visitor without voice (§7.4)", () => {
    const r = room({ moderated: true });
    const v = join(r, "v@x.lit", "v");
    assert.ok(v.ok);
    assert.equal(v.occupant.role, "visitor");
    assert.equal(r.mayTalk(v.occupant), false);
  });

  test("a nick held by another user is refused with conflict (§7.2.9), but the same user may join it again from another client", () => {
    const r = room();
    assert.ok(join(r, "a@x.lit", "nick").ok);
    assert.deepEqual(join(r, "b@x.lit", "nick"), { ok: false, refusal: "conflict" });
    const again = r.join({ jid: "a@x.lit/phone", bareJid: "a@x.lit", nick: "nick" }, "p2");
    assert.ok(again.ok && !again.newOccupant);
    assert.equal(again.occupant.sessions.size, 2);
  });

  test("a wrong or missing password is refused with not-authorized (§7.2.5); owners need none", () => {
    const r = room({ password: "secret" });
    assert.deepEqual(join(r, "a@x.lit", "a"), { ok: false, refusal: "not-authorized" });
    assert.deepEqual(join(r, "a@x.lit", "a", "wrong"), { ok: false, refusal: "not-authorized" });
    assert.ok(join(r, "a@x.lit", "a", "secret").ok);
    assert.ok(join(r, OWNER, "crone").ok);
  });

  test("a members-only room refuses non-members with registration-required (§7.2.6) and admits members", () => {
    const r = room({ membersOnly: true });
    assert.deepEqual(join(r, "a@x.lit", "a"), { ok: false, refusal: "registration-required" });
    r.setAffiliation("a@x.lit", "member");
    assert.ok(join(r, "a@x.lit", "a").ok);
  });

  test("an outcast is refused with forbidden (§7.2.7)", () => {
    const r = room();
    r.setAffiliation("bad@x.lit", "outcast");
    assert.deepEqual(join(r, "bad@x.lit", "bad"), { ok: false, refusal: "forbidden" });
  });

  test("a full room refuses with service-unavailable but admits its owner (§7.2.10)", () => {
    const r = room({ maxOccupants: 1 });
    assert.ok(join(r, "a@x.lit", "a").ok);
    assert.deepEqual(join(r, "b@x.lit", "b"), { ok: false, refusal: "service-unavailable" });
    assert.ok(join(r, OWNER, "crone").ok);
  });

  test("a locked room (created, not yet configured) admits only its owner with item-not-found for others (§10.1.2)", () => {
    const r = room();
    r.locked = true;
    assert.deepEqual(join(r, "a@x.lit", "a"), { ok: false, refusal: "item-not-found" });
    assert.ok(join(r, OWNER, "crone").ok);
  });
});

describe("leaving and nick changes (§7.6, §7.14)", () => {
  test("an occupant is gone only when its last session leaves", () => {
    const r = room();
    join(r, "a@x.lit", "a");
    r.join({ jid: "a@x.lit/phone", bareJid: "a@x.lit", nick: "a" }, "p");
    assert.equal(r.leave("a@x.lit/res")?.gone, false);
    assert.equal(r.leave("a@x.lit/phone")?.gone, true);
    assert.ok(r.isEmpty());
  });

  test("changing to a nick another occupant holds is a conflict; a free nick moves the occupant", () => {
    const r = room();
    const a = join(r, "a@x.lit", "a");
    join(r, "b@x.lit", "b");
    assert.ok(a.ok);
    assert.equal(r.changeNick(a.occupant, "b"), "conflict");
    assert.equal(r.changeNick(a.occupant, "c"), undefined);
    assert.equal(r.occupants.get("c"), a.occupant);
    assert.equal(r.occupants.has("a"), false);
  });
});

describe("roles and affiliations (§8, §9, §10)", () => {
  test("a moderator may kick a participant but not an owner (§8.2)", () => {
    const r = room();
    r.setAffiliation("mod@x.lit", "admin");
    const mod = join(r, "mod@x.lit", "mod");
    const owner = join(r, OWNER, "crone");
    const user = join(r, "u@x.lit", "u");
    assert.ok(mod.ok && owner.ok && user.ok);
    assert.equal(r.roleChangeRefusal("mod@x.lit", mod.occupant, user.occupant, "none"), undefined);
    assert.equal(r.roleChangeRefusal("mod@x.lit", mod.occupant, owner.occupant, "none"), "not-allowed");
  });

  test("a participant may not change roles (forbidden)", () => {
    const r = room();
    const a = join(r, "a@x.lit", "a");
    const b = join(r, "b@x.lit", "b");
    assert.ok(a.ok && b.ok);
    assert.equal(r.roleChangeRefusal("a@x.lit", a.occupant, b.occupant, "visitor"), "forbidden");
  });

  test("admins manage members and outcasts but cannot touch owners or make admins; owners can (§9, §10)", () => {
    const r = room();
    r.setAffiliation("admin@x.lit", "admin");
    assert.equal(r.affiliationChangeRefusal("admin@x.lit", "u@x.lit", "outcast"), undefined);
    assert.equal(r.affiliationChangeRefusal("admin@x.lit", OWNER, "outcast"), "not-allowed");
    assert.equal(r.affiliationChangeRefusal("admin@x.lit", "u@x.lit", "admin"), "not-allowed");
    assert.equal(r.affiliationChangeRefusal(OWNER, "u@x.lit", "admin"), undefined);
    assert.equal(r.affiliationChangeRefusal("u@x.lit", "v@x.lit", "member"), "forbidden");
  });

  test("the last owner cannot give up ownership (§10.6: conflict)", () => {
    const r = room();
    assert.equal(r.affiliationChangeRefusal(OWNER, OWNER, "admin"), "conflict");
    r.setAffiliation("second@x.lit", "owner");
    assert.equal(r.affiliationChangeRefusal(OWNER, OWNER, "admin"), undefined);
  });

  test("an affiliation change gives an occupant the matching role (§5.1.2)", () => {
    const r = room();
    const u = join(r, "u@x.lit", "u");
    assert.ok(u.ok);
    r.setAffiliation("u@x.lit", "admin");
    assert.equal(u.occupant.role, "moderator");
  });

  test("the state to persist holds configuration, affiliations and subject, and restores a room", () => {
    const r = room({ persistent: true, name: "Coven" });
    r.setAffiliation("m@x.lit", "member");
    r.subject = { text: "Spells", nick: "crone" };
    const restored = new Room<string, string>(r.jid, r.state().config, r.state());
    assert.equal(restored.affiliation("m@x.lit"), "member");
    assert.equal(restored.affiliation(OWNER), "owner");
    assert.equal(restored.config.name, "Coven");
    assert.deepEqual(restored.subject, { text: "Spells", nick: "crone" });
  });
});

describe("discussion history (§7.2.15)", () => {
  const t0 = new Date("2026-01-01T00:00:00Z");
  function withHistory(n: number, length = 20) {
    const r = room({ historyLength: length });
    for (let i = 0; i < n; i++) r.addHistory({ message: `m${i}`, when: new Date(t0.getTime() + i * 60_000), chars: 10 });
    return r;
  }
  const messages = (es: Array<{ message: string }>) => es.map((e) => e.message);

  test("the room keeps at most its configured number of messages, dropping the oldest", () => {
    const r = withHistory(25, 20);
    const all = r.historyFor({ maxstanzas: 100 }, t0, 20);
    assert.equal(all.length, 20);
    assert.equal(all[0]!.message, "m5");
  });

  test("maxstanzas returns the newest messages, oldest first", () => {
    assert.deepEqual(messages(withHistory(5).historyFor({ maxstanzas: 2 }, t0, 20)), ["m3", "m4"]);
  });

  test("maxchars=0 sends no history, and maxchars bounds the total size", () => {
    assert.deepEqual(withHistory(5).historyFor({ maxchars: 0 }, t0, 20), []);
    assert.deepEqual(messages(withHistory(5).historyFor({ maxchars: 25 }, t0, 20)), ["m3", "m4"]);
  });

  test("seconds and since keep only recent messages", () => {
    const now = new Date(t0.getTime() + 4 * 60_000);
    assert.deepEqual(messages(withHistory(5).historyFor({ seconds: 90 }, now, 20)), ["m3", "m4"]);
    assert.deepEqual(messages(withHistory(5).historyFor({ since: new Date(t0.getTime() + 3 * 60_000) }, now, 20)), ["m3", "m4"]);
  });

  test("without limits the service default applies", () => {
    assert.equal(withHistory(10).historyFor({}, t0, 3).length, 3);
  });
});
