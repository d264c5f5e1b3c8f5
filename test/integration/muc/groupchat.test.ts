// Group chat with a real client library (@xmpp/client) against conference.localhost: creating a
// room (XEP-0045 §10.1), entering it (§7.2), groupchat (§7.4), history (§7.2.15), subject (§8.1),
// nick changes (§7.6), private messages (§7.5), leaving (§7.14), disco (§6), self-ping (XEP-0410).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { connect, xml, type TestClient } from "../helpers/client.js";
import type { TestServer } from "../helpers/server.js";
import { configure, createInstantRoom, errorCondition, hasStatus, join, MUC, MUC_USER, startMucServer } from "./helpers.js";

const SERVICE = "conference.localhost";

describe("group chat on conference.localhost", () => {
  let t: TestServer;
  const clients: TestClient[] = [];
  const user = async (name: string) => {
    const c = await connect({ port: t.port, username: name, password: "pw", resource: "desk" });
    clients.push(c);
    return c;
  };
  before(async () => {
    t = await startMucServer();
    for (const u of ["romeo", "juliet", "nurse", "tybalt"]) t.addUser(u, "pw");
  });
  after(async () => {
    for (const c of clients) await c.stop();
    await t.stop();
  });

  test("the creator gets 110 and 201, and the room is locked for others until configured (§10.1)", async () => {
    const romeo = await user("romeo");
    const juliet = await user("juliet");
    const self = await join(romeo, `locked@${SERVICE}/romeo`);
    assert.ok(hasStatus(self, 110) && hasStatus(self, 201));
    const item = self.getChild("x", MUC_USER)?.getChild("item");
    assert.equal(item?.attrs.affiliation, "owner");
    assert.equal(item?.attrs.role, "moderator");
    const refused = await join(juliet, `locked@${SERVICE}/juliet`);
    assert.equal(refused.attrs.type, "error");
    assert.equal(errorCondition(refused), "item-not-found");
    // The empty submit of §10.1.2 makes it an instant room.
    await romeo.iq(xml("iq", { type: "set", to: `locked@${SERVICE}` }, xml("query", { xmlns: "http://jabber.org/protocol/muc#owner" }, xml("x", { xmlns: "jabber:x:data", type: "submit" }))));
    const entered = await join(juliet, `locked@${SERVICE}/juliet2`);
    assert.notEqual(entered.attrs.type, "error");
  });

  test("a joiner gets the occupants, then itself, then the subject; groupchat is reflected to everyone from the sender's occupant JID", async () => {
    const romeo = await user("romeo");
    const juliet = await user("juliet");
    const room = `verona@${SERVICE}`;
    await createInstantRoom(romeo, room, "Romeo");
    const before = juliet.received.length;
    await join(juliet, `${room}/Juliet`);
    await juliet.waitFor((el) => el.is("message") && el.attrs.from === room && el.getChild("subject") !== undefined, "subject");
    const seen = juliet.received.slice(before).filter((el) => el.attrs.from?.startsWith(room));
    const order = seen.map((el) => (el.is("presence") ? `presence:${el.attrs.from}` : el.getChild("subject") ? "subject" : "message"));
    assert.deepEqual(order, [`presence:${room}/Romeo`, `presence:${room}/Juliet`, "subject"]);
    // Romeo hears Juliet arrive, as a participant.
    const arrival = await romeo.waitFor((el) => el.is("presence") && el.attrs.from === `${room}/Juliet`, "Juliet's arrival");
    assert.equal(arrival.getChild("x", MUC_USER)?.getChild("item")?.attrs.role, "participant");

    await juliet.send(xml("message", { to: room, type: "groupchat", id: "g1" }, xml("body", {}, "Wherefore art thou?")));
    for (const c of [romeo, juliet]) {
      const m = await c.waitFor((el) => el.is("message") && el.attrs.id === "g1", "reflected groupchat");
      assert.equal(m.attrs.from, `${room}/Juliet`);
      assert.equal(m.attrs.type, "groupchat");
      assert.equal(m.getChildText("body"), "Wherefore art thou?");
      // XEP-0359: the room stamps its own stable id, the same for every recipient.
      assert.equal(m.getChild("stanza-id", "urn:xmpp:sid:0")?.attrs.by, room);
    }
  });

  test("a late joiner gets the discussion history with delay stamps, limited by maxstanzas (§7.2.15)", async () => {
    const romeo = await user("romeo");
    const nurse = await user("nurse");
    const room = `history@${SERVICE}`;
    await createInstantRoom(romeo, room, "Romeo");
    for (let i = 1; i <= 3; i++) {
      await romeo.send(xml("message", { to: room, type: "groupchat", id: `h${i}` }, xml("body", {}, `line ${i}`)));
      await romeo.waitFor((el) => el.is("message") && el.attrs.id === `h${i}`, `reflection ${i}`);
    }
    await join(nurse, `${room}/Nurse`, { history: { maxstanzas: "2" } });
    await nurse.waitFor((el) => el.is("message") && el.attrs.from === room && el.getChild("subject") !== undefined, "subject after history");
    const history = nurse.received.filter((el) => el.is("message") && el.attrs.from === `${room}/Romeo`);
    assert.deepEqual(history.map((m) => m.getChildText("body")), ["line 2", "line 3"]);
    assert.ok(history.every((m) => m.getChild("delay", "urn:xmpp:delay")?.attrs.from === room));
  });

  test("a nickname another occupant holds is refused with conflict (§7.2.9)", async () => {
    const romeo = await user("romeo");
    const tybalt = await user("tybalt");
    const room = `duel@${SERVICE}`;
    await createInstantRoom(romeo, room, "Romeo");
    const refused = await join(tybalt, `${room}/Romeo`);
    assert.equal(refused.attrs.type, "error");
    assert.equal(errorCondition(refused), "conflict");
    assert.ok(refused.getChild("x", MUC));
  });

  test("private messages between occupants come from the sender's occupant JID (§7.5)", async () => {
    const romeo = await user("romeo");
    const juliet = await user("juliet");
    const room = `balcony@${SERVICE}`;
    await createInstantRoom(romeo, room, "Romeo");
    await join(juliet, `${room}/Juliet`);
    await romeo.send(xml("message", { to: `${room}/Juliet`, type: "chat", id: "pm1" }, xml("body", {}, "psst")));
    const pm = await juliet.waitFor((el) => el.is("message") && el.attrs.id === "pm1", "private message");
    assert.equal(pm.attrs.from, `${room}/Romeo`);
    assert.equal(pm.attrs.type, "chat");
    assert.ok(pm.getChild("x", MUC_USER));
    await romeo.send(xml("message", { to: `${room}/Nobody`, type: "chat", id: "pm2" }, xml("body", {}, "?")));
    const err = await romeo.waitFor((el) => el.is("message") && el.attrs.id === "pm2" && el.attrs.type === "error", "error for unknown occupant");
    assert.equal(errorCondition(err), "item-not-found");
  });

  test("a nick change sends 303 with the new nick, then presence from the new nick (§7.6); leaving is announced (§7.14)", async () => {
    const romeo = await user("romeo");
    const juliet = await user("juliet");
    const room = `masks@${SERVICE}`;
    await createInstantRoom(romeo, room, "Romeo");
    await join(juliet, `${room}/Juliet`);
    await juliet.send(xml("presence", { to: `${room}/Rosaline` }));
    const gone = await romeo.waitFor((el) => el.is("presence") && el.attrs.from === `${room}/Juliet` && el.attrs.type === "unavailable", "303 presence");
    assert.ok(hasStatus(gone, 303));
    assert.equal(gone.getChild("x", MUC_USER)?.getChild("item")?.attrs.nick, "Rosaline");
    await romeo.waitFor((el) => el.is("presence") && el.attrs.from === `${room}/Rosaline` && el.attrs.type === undefined, "presence of the new nick");
    const selfGone = await juliet.waitFor((el) => el.is("presence") && el.attrs.from === `${room}/Juliet` && el.attrs.type === "unavailable", "own 303");
    assert.ok(hasStatus(selfGone, 303) && hasStatus(selfGone, 110));

    await juliet.send(xml("presence", { to: `${room}/Rosaline`, type: "unavailable" }));
    await juliet.waitFor((el) => el.is("presence") && el.attrs.from === `${room}/Rosaline` && el.attrs.type === "unavailable" && hasStatus(el, 110), "own exit");
    await romeo.waitFor((el) => el.is("presence") && el.attrs.from === `${room}/Rosaline` && el.attrs.type === "unavailable", "exit seen by others");
  });

  test("the subject is set by a moderator and refused to a participant when the room does not allow it (§8.1)", async () => {
    const romeo = await user("romeo");
    const juliet = await user("juliet");
    const room = `subject@${SERVICE}`;
    await createInstantRoom(romeo, room, "Romeo");
    await join(juliet, `${room}/Juliet`);
    await romeo.send(xml("message", { to: room, type: "groupchat", id: "s1" }, xml("subject", {}, "Fair Verona")));
    const s = await juliet.waitFor((el) => el.is("message") && el.attrs.id === "s1", "subject change");
    assert.equal(s.getChildText("subject"), "Fair Verona");
    assert.equal(s.attrs.from, `${room}/Romeo`);
    await juliet.send(xml("message", { to: room, type: "groupchat", id: "s2" }, xml("subject", {}, "Mine")));
    const err = await juliet.waitFor((el) => el.is("message") && el.attrs.id === "s2" && el.attrs.type === "error", "refused subject");
    assert.equal(errorCondition(err), "forbidden");
  });

  test("disco: the service is conference/text with the MUC feature and lists public rooms; a room describes itself (§6)", async () => {
    const romeo = await user("romeo");
    const room = `listed@${SERVICE}`;
    await createInstantRoom(romeo, room, "Romeo");
    const info = await romeo.iq(xml("iq", { type: "get", to: SERVICE }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" }))).then((iq) => iq.getChild("query")!);
    assert.equal(info.getChild("identity")?.attrs.category, "conference");
    assert.ok(info.getChildren("feature").some((f: { attrs: { var?: string } }) => f.attrs.var === MUC));
    const items = await romeo.iq(xml("iq", { type: "get", to: SERVICE }, xml("query", { xmlns: "http://jabber.org/protocol/disco#items" }))).then((iq) => iq.getChild("query")!);
    assert.ok(items.getChildren("item").some((i: { attrs: { jid?: string } }) => i.attrs.jid === room));
    const roomInfo = await romeo.iq(xml("iq", { type: "get", to: room }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" }))).then((iq) => iq.getChild("query")!);
    const features = roomInfo.getChildren("feature").map((f: { attrs: { var?: string } }) => f.attrs.var);
    assert.ok(features.includes("muc_temporary") && features.includes("muc_unsecured") && features.includes("muc_open"));
    assert.ok(roomInfo.getChild("x", "jabber:x:data"));
  });

  test("a self-ping is answered by the room while joined and refused with not-acceptable otherwise (XEP-0410)", async () => {
    const romeo = await user("romeo");
    const juliet = await user("juliet");
    const room = `ping@${SERVICE}`;
    await createInstantRoom(romeo, room, "Romeo");
    const pong = await romeo.iq(xml("iq", { type: "get", to: `${room}/Romeo` }, xml("ping", { xmlns: "urn:xmpp:ping" })));
    assert.ok(pong);
    await assert.rejects(
      juliet.iq(xml("iq", { type: "get", to: `${room}/Juliet` }, xml("ping", { xmlns: "urn:xmpp:ping" }))),
      (err: { condition?: string; element?: { attrs: { by?: string } } }) => err.condition === "not-acceptable" && err.element?.attrs.by === room,
    );
  });

  test("a groupchat message from someone not in the room is refused with not-acceptable (§7.4)", async () => {
    const romeo = await user("romeo");
    const tybalt = await user("tybalt");
    const room = `closed@${SERVICE}`;
    await createInstantRoom(romeo, room, "Romeo");
    await tybalt.send(xml("message", { to: room, type: "groupchat", id: "x1" }, xml("body", {}, "intruder")));
    const err = await tybalt.waitFor((el) => el.is("message") && el.attrs.id === "x1" && el.attrs.type === "error", "error");
    assert.equal(errorCondition(err), "not-acceptable");
  });

  test("when an occupant's client disconnects, the room announces that it left (RFC 6121 §4.6.3 directed presence, §7.14)", async () => {
    const romeo = await user("romeo");
    const nurse = await connect({ port: t.port, username: "nurse", password: "pw", resource: "gone" });
    const room = `ghosts@${SERVICE}`;
    await createInstantRoom(romeo, room, "Romeo");
    await join(nurse, `${room}/Nurse`);
    await romeo.waitFor((el) => el.is("presence") && el.attrs.from === `${room}/Nurse` && el.attrs.type === undefined, "arrival");
    await nurse.stop();
    await romeo.waitFor((el) => el.is("presence") && el.attrs.from === `${room}/Nurse` && el.attrs.type === "unavailable", "departure after disconnect");
  });

  test("a client joining again under its nick gets the room state again without the others hearing a new arrival", async () => {
    const romeo = await user("romeo");
    const juliet = await user("juliet");
    const room = `rejoin@${SERVICE}`;
    await createInstantRoom(romeo, room, "Romeo");
    await join(juliet, `${room}/Juliet`);
    await romeo.waitFor((el) => el.is("presence") && el.attrs.from === `${room}/Juliet`, "arrival");
    const romeoSeen = romeo.received.length;
    const before = juliet.received.length;
    await juliet.send(xml("presence", { to: `${room}/Juliet` }, xml("x", { xmlns: MUC })));
    await juliet.waitFor((el) => juliet.received.indexOf(el) >= before && el.is("message") && el.getChild("subject") !== undefined, "subject again");
    const again = juliet.received.slice(before).filter((el) => el.is("presence")).map((el) => el.attrs.from);
    assert.deepEqual(again, [`${room}/Romeo`, `${room}/Juliet`]);
    // Romeo's next stanza is his own message, not a second arrival of Juliet.
    await romeo.send(xml("message", { to: room, type: "groupchat", id: "after" }, xml("body", {}, "still here")));
    await romeo.waitFor((el) => el.is("message") && el.attrs.id === "after", "own message");
    assert.equal(romeo.received.slice(romeoSeen).filter((el) => el.is("presence")).length, 0);
  });

  test("in a non-anonymous room everyone sees real JIDs and the self-presence carries 100 (§7.2.3)", async () => {
    const romeo = await user("romeo");
    const juliet = await user("juliet");
    const room = `open@${SERVICE}`;
    await createInstantRoom(romeo, room, "Romeo");
    await configure(romeo, room, { "muc#roomconfig_whois": "anyone" });
    // §10.2.1: the occupants hear that the configuration changed and that the room is now non-anonymous.
    const notice = await romeo.waitFor((el) => el.is("message") && el.attrs.from === room && hasStatus(el, 104), "configuration change notice");
    assert.ok(hasStatus(notice, 172));
    const self = await join(juliet, `${room}/Juliet`);
    assert.ok(hasStatus(self, 100));
    const romeoSeen = juliet.received.find((el) => el.is("presence") && el.attrs.from === `${room}/Romeo`);
    assert.equal(romeoSeen?.getChild("x", MUC_USER)?.getChild("item")?.attrs.jid, romeo.jid);
  });

  test("in a semi-anonymous room a participant does not see real JIDs but a moderator does (§7.2.4)", async () => {
    const romeo = await user("romeo");
    const juliet = await user("juliet");
    const room = `masked@${SERVICE}`;
    await createInstantRoom(romeo, room, "Romeo");
    await join(juliet, `${room}/Juliet`);
    const romeoSeen = juliet.received.find((el) => el.is("presence") && el.attrs.from === `${room}/Romeo`);
    assert.equal(romeoSeen?.getChild("x", MUC_USER)?.getChild("item")?.attrs.jid, undefined);
    const julietSeen = await romeo.waitFor((el) => el.is("presence") && el.attrs.from === `${room}/Juliet`, "arrival");
    assert.equal(julietSeen.getChild("x", MUC_USER)?.getChild("item")?.attrs.jid, juliet.jid);
  });

  test("an IQ to another occupant is relayed from the requester's occupant JID and its answer comes back from the target's", async () => {
    const romeo = await user("romeo");
    const juliet = await user("juliet");
    const room = `relay@${SERVICE}`;
    await createInstantRoom(romeo, room, "Romeo");
    await join(juliet, `${room}/Juliet`);
    let askedBy: string | undefined;
    (romeo.xmpp as unknown as { iqCallee: { get(ns: string, name: string, h: (ctx: { stanza: { attrs: { from?: string } } }) => unknown): void } }).iqCallee.get(
      "vcard-temp",
      "vCard",
      (ctx) => {
        askedBy = ctx.stanza.attrs.from;
        return xml("vCard", { xmlns: "vcard-temp" }, xml("FN", {}, "Romeo Montague"));
      },
    );
    const res = await juliet.iq(xml("iq", { type: "get", to: `${room}/Romeo` }, xml("vCard", { xmlns: "vcard-temp" })));
    assert.equal(res.attrs.from, `${room}/Romeo`);
    assert.equal(res.getChild("vCard")?.getChildText("FN"), "Romeo Montague");
    assert.equal(askedBy, `${room}/Juliet`);
  });
});
