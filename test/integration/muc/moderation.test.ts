// Who may enter and who decides (XEP-0045): password-protected (§7.2.5) and members-only (§7.2.6)
// rooms, kick (§8.2), ban (§9.1), voice (§8.3), affiliation lists (§9.5), the configuration form
// (§10.2), mediated invitations (§7.8.2) and destruction with an alternative venue (§10.9).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { connect, xml, type TestClient, type XmppElement } from "../helpers/client.js";
import type { TestServer } from "../helpers/server.js";
import { configure, createInstantRoom, errorCondition, hasStatus, join, MUC_ADMIN, MUC_OWNER, MUC_USER, startMucServer, XDATA } from "./helpers.js";

const SERVICE = "conference.localhost";

function adminSet(room: string, item: Record<string, string>, reason?: string) {
  return xml("iq", { type: "set", to: room }, xml("query", { xmlns: MUC_ADMIN }, xml("item", item, ...(reason ? [xml("reason", {}, reason)] : []))));
}

describe("access control and moderation", () => {
  let t: TestServer;
  const clients: TestClient[] = [];
  const user = async (name: string) => {
    const c = await connect({ port: t.port, username: name, password: "pw", resource: "desk" });
    clients.push(c);
    return c;
  };
  before(async () => {
    t = await startMucServer();
    for (const u of ["owner", "alice", "bob"]) t.addUser(u, "pw");
  });
  after(async () => {
    for (const c of clients) await c.stop();
    await t.stop();
  });

  test("a password-protected room refuses a wrong password with not-authorized and admits the right one (§7.2.5)", async () => {
    const owner = await user("owner");
    const alice = await user("alice");
    const room = `secret@${SERVICE}`;
    await createInstantRoom(owner, room, "Owner");
    await configure(owner, room, { "muc#roomconfig_passwordprotectedroom": "1", "muc#roomconfig_roomsecret": "swordfish" });
    const wrong = await join(alice, `${room}/Alice`, { password: "trout" });
    assert.equal(wrong.attrs.type, "error");
    assert.equal(errorCondition(wrong), "not-authorized");
    const right = await join(alice, `${room}/Alice2`, { password: "swordfish" });
    assert.notEqual(right.attrs.type, "error");
  });

  test("a members-only room refuses non-members with registration-required and admits them once they are members (§7.2.6, §9.3)", async () => {
    const owner = await user("owner");
    const bob = await user("bob");
    const room = `members@${SERVICE}`;
    await createInstantRoom(owner, room, "Owner");
    await configure(owner, room, { "muc#roomconfig_membersonly": "1" });
    const refused = await join(bob, `${room}/Bob`);
    assert.equal(errorCondition(refused), "registration-required");
    await owner.iq(adminSet(room, { jid: "bob@localhost", affiliation: "member" }));
    const list = await owner.iq(xml("iq", { type: "get", to: room }, xml("query", { xmlns: MUC_ADMIN }, xml("item", { affiliation: "member" }))));
    assert.deepEqual(list.getChild("query")!.getChildren("item").map((i: XmppElement) => i.attrs.jid), ["bob@localhost"]);
    const entered = await join(bob, `${room}/Bob2`);
    assert.notEqual(entered.attrs.type, "error");
    assert.equal(entered.getChild("x", MUC_USER)?.getChild("item")?.attrs.affiliation, "member");
  });

  test("a moderator kicks a participant: 307 with the reason to the victim and the room (§8.2)", async () => {
    const owner = await user("owner");
    const alice = await user("alice");
    const room = `kick@${SERVICE}`;
    await createInstantRoom(owner, room, "Owner");
    await join(alice, `${room}/Alice`);
    await owner.iq(adminSet(room, { nick: "Alice", role: "none" }, "Be quiet"));
    const kicked = await alice.waitFor((el) => el.is("presence") && el.attrs.from === `${room}/Alice` && el.attrs.type === "unavailable", "kick notice");
    assert.ok(hasStatus(kicked, 307) && hasStatus(kicked, 110));
    assert.equal(kicked.getChild("x", MUC_USER)?.getChild("item")?.getChildText("reason"), "Be quiet");
    const seen = await owner.waitFor((el) => el.is("presence") && el.attrs.from === `${room}/Alice` && el.attrs.type === "unavailable", "kick seen");
    assert.ok(hasStatus(seen, 307));
  });

  test("a participant may not kick (forbidden)", async () => {
    const owner = await user("owner");
    const alice = await user("alice");
    const room = `nokick@${SERVICE}`;
    await createInstantRoom(owner, room, "Owner");
    await join(alice, `${room}/Alice`);
    await assert.rejects(alice.iq(adminSet(room, { nick: "Owner", role: "none" })), (err: { condition?: string }) => err.condition === "not-allowed" || err.condition === "forbidden");
  });

  test("a ban removes the occupant with 301 and keeps it out with forbidden (§9.1, §7.2.7)", async () => {
    const owner = await user("owner");
    const bob = await user("bob");
    const room = `ban@${SERVICE}`;
    await createInstantRoom(owner, room, "Owner");
    await join(bob, `${room}/Bob`);
    await owner.iq(adminSet(room, { jid: "bob@localhost", affiliation: "outcast" }, "Troll"));
    const banned = await bob.waitFor((el) => el.is("presence") && el.attrs.from === `${room}/Bob` && el.attrs.type === "unavailable", "ban notice");
    assert.ok(hasStatus(banned, 301));
    const refused = await join(bob, `${room}/Bob2`);
    assert.equal(errorCondition(refused), "forbidden");
  });

  test("in a moderated room a visitor is refused and, once granted voice, may speak (§8.3)", async () => {
    const owner = await user("owner");
    const alice = await user("alice");
    const room = `moderated@${SERVICE}`;
    await createInstantRoom(owner, room, "Owner");
    await configure(owner, room, { "muc#roomconfig_moderatedroom": "1" });
    const self = await join(alice, `${room}/Alice`);
    assert.equal(self.getChild("x", MUC_USER)?.getChild("item")?.attrs.role, "visitor");
    await alice.send(xml("message", { to: room, type: "groupchat", id: "v1" }, xml("body", {}, "hello?")));
    const err = await alice.waitFor((el) => el.is("message") && el.attrs.id === "v1" && el.attrs.type === "error", "no voice");
    assert.equal(errorCondition(err), "forbidden");
    await owner.iq(adminSet(room, { nick: "Alice", role: "participant" }));
    await alice.waitFor((el) => el.is("presence") && el.attrs.from === `${room}/Alice` && el.getChild("x", MUC_USER)?.getChild("item")?.attrs.role === "participant", "voice granted");
    await alice.send(xml("message", { to: room, type: "groupchat", id: "v2" }, xml("body", {}, "hello!")));
    await owner.waitFor((el) => el.is("message") && el.attrs.id === "v2", "voiced message");
  });

  test("the owner gets the configuration form with muc#roomconfig fields; others get forbidden (§10.2)", async () => {
    const owner = await user("owner");
    const alice = await user("alice");
    const room = `form@${SERVICE}`;
    await createInstantRoom(owner, room, "Owner");
    const res = await owner.iq(xml("iq", { type: "get", to: room }, xml("query", { xmlns: MUC_OWNER })));
    const form = res.getChild("query")!.getChild("x", XDATA)!;
    const vars = form.getChildren("field").map((f: XmppElement) => f.attrs.var);
    for (const v of ["muc#roomconfig_persistentroom", "muc#roomconfig_publicroom", "muc#roomconfig_membersonly", "muc#roomconfig_roomsecret", "muc#roomconfig_moderatedroom", "muc#roomconfig_maxusers", "muc#roomconfig_whois", "muc#roomconfig_changesubject"]) {
      assert.ok(vars.includes(v), v);
    }
    await join(alice, `${room}/Alice`);
    await assert.rejects(alice.iq(xml("iq", { type: "get", to: room }, xml("query", { xmlns: MUC_OWNER }))), (err: { condition?: string }) => err.condition === "forbidden");
  });

  test("a mediated invitation reaches the invitee from the room, and makes it a member of a members-only room (§7.8.2)", async () => {
    const owner = await user("owner");
    const bob = await user("bob");
    const room = `invite@${SERVICE}`;
    await createInstantRoom(owner, room, "Owner");
    await configure(owner, room, { "muc#roomconfig_membersonly": "1" });
    await owner.send(xml("message", { to: room, id: "inv1" }, xml("x", { xmlns: MUC_USER }, xml("invite", { to: "bob@localhost" }, xml("reason", {}, "Join us")))));
    const inv = await bob.waitFor((el) => el.is("message") && el.attrs.from === room, "invitation");
    const invite = inv.getChild("x", MUC_USER)?.getChild("invite");
    assert.equal(invite?.attrs.from, owner.jid);
    assert.equal(invite?.getChildText("reason"), "Join us");
    assert.equal(inv.getChild("x", "jabber:x:conference")?.attrs.jid, room);
    const entered = await join(bob, `${room}/Bob`);
    assert.notEqual(entered.attrs.type, "error");
  });

  test("destroying a room tells occupants the alternative venue, and the room is gone (§10.9)", async () => {
    const owner = await user("owner");
    const alice = await user("alice");
    const room = `doomed@${SERVICE}`;
    await createInstantRoom(owner, room, "Owner");
    await join(alice, `${room}/Alice`);
    await owner.iq(
      xml("iq", { type: "set", to: room }, xml("query", { xmlns: MUC_OWNER }, xml("destroy", { jid: `heaven@${SERVICE}` }, xml("reason", {}, "Moving")))),
    );
    const notice = await alice.waitFor((el) => el.is("presence") && el.attrs.from === `${room}/Alice` && el.attrs.type === "unavailable", "destroy notice");
    const destroy = notice.getChild("x", MUC_USER)?.getChild("destroy");
    assert.equal(destroy?.attrs.jid, `heaven@${SERVICE}`);
    assert.equal(destroy?.getChildText("reason"), "Moving");
    await assert.rejects(
      owner.iq(xml("iq", { type: "get", to: room }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" }))),
      (err: { condition?: string }) => err.condition === "item-not-found",
    );
  });

  test("a direct invitation (XEP-0249) passes between users as an ordinary message", async () => {
    const owner = await user("owner");
    const bob = await user("bob");
    const room = `direct@${SERVICE}`;
    await createInstantRoom(owner, room, "Owner");
    await owner.send(xml("message", { to: "bob@localhost", id: "di1" }, xml("x", { xmlns: "jabber:x:conference", jid: room, reason: "Come" })));
    const inv = await bob.waitFor((el) => el.is("message") && el.attrs.id === "di1", "direct invitation");
    assert.equal(inv.getChild("x", "jabber:x:conference")?.attrs.jid, room);
  });
});
