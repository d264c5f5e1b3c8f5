// The admin plane over real sockets: @xmpp/client (a client we did not write) runs XEP-0050
// commands against a chatctl server with the adhoc, admin-adhoc and announce modules.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { TestClient } from "../helpers/client.js";
import { xml } from "../helpers/client.js";
import { ADMIN, COMMANDS, bodyOf, command, errorCondition, resultValues, runAdmin, startAdminServer, submitForm, type AdminServer } from "./helpers.js";

const DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
const DISCO_INFO = "http://jabber.org/protocol/disco#info";

describe("XEP-0133 service administration", { timeout: 60_000 }, () => {
  let s: AdminServer;
  let admin: TestClient;

  before(async () => {
    s = await startAdminServer();
    s.addAdmin("boss");
    for (const u of ["alice", "bob", "carol", "dave"]) s.addUser(u);
    admin = await s.login("boss", { resource: "console" });
  });
  after(async () => {
    await s.stop();
  });

  test("an administrator's announcement reaches every online user, and a non-admin is forbidden", async () => {
    const clients = await Promise.all(["alice", "bob", "carol"].map((u) => s.login(u, { resource: "phone" })));
    const cmd = await runAdmin(admin, s.domain, `${ADMIN}#announce`, { subject: "Maintenance", announcement: "Down at 22:00" });
    assert.equal(cmd.attrs.status, "completed");
    for (const c of clients) {
      const msg = await c.waitFor((el) => el.name === "message" && bodyOf(el) === "Down at 22:00", `announcement at ${c.jid}`);
      assert.equal(msg.attrs.from, s.domain, "XEP-0133 announcements come from the server");
      assert.equal(msg.getChildText("subject"), "Maintenance");
    }
    // The three users plus the administrator's own console session.
    assert.deepEqual(resultValues(cmd, "recipients"), ["4"]);

    // §2: a non-administrator may not run it (XEP-0050 §4.6 forbidden).
    const condition = await errorCondition(command(clients[0]!, s.domain, { node: `${ADMIN}#announce`, action: "execute" }));
    assert.equal(condition, "forbidden");
    await Promise.all(clients.map((c) => c.stop()));
  });

  test("disco#items on the commands node lists admin commands to administrators only", async () => {
    const query = () => xml("iq", { type: "get", to: s.domain }, xml("query", { xmlns: DISCO_ITEMS, node: COMMANDS }));
    const nodes = (res: { getChild(n: string, ns: string): { getChildren(n: string): Array<{ attrs: Record<string, string | undefined> }> } | undefined }) =>
      res.getChild("query", DISCO_ITEMS)!.getChildren("item").map((i) => i.attrs.node);
    const adminNodes = nodes(await admin.iq(query()));
    assert.ok(adminNodes.includes(`${ADMIN}#announce`));
    assert.ok(adminNodes.includes(`${ADMIN}#add-user`));
    const user = await s.login("dave", { resource: "disco" });
    assert.deepEqual(nodes(await user.iq(query())), [], "XEP-0050 §2.2: only what the requester may execute");
    // §2.3: a command node describes itself as automation/command-node.
    const info = await admin.iq(xml("iq", { type: "get", to: s.domain }, xml("query", { xmlns: DISCO_INFO, node: `${ADMIN}#announce` })));
    const identity = info.getChild("query", DISCO_INFO)!.getChild("identity")!;
    assert.equal(identity.attrs.category, "automation");
    assert.equal(identity.attrs.type, "command-node");
    await user.stop();
  });

  test("the message of the day is delivered at login, and is gone once deleted", async () => {
    const set = await runAdmin(admin, s.domain, `${ADMIN}#set-motd`, { subject: "Welcome", motd: ["Be nice.", "Second line."] });
    assert.equal(set.attrs.status, "completed");
    const c = await s.login("dave", { resource: "motd" });
    const motd = await c.waitFor((el) => el.name === "message" && el.attrs.from === s.domain, "the MOTD");
    assert.equal(bodyOf(motd), "Be nice.\nSecond line.");
    assert.equal(motd.getChildText("subject"), "Welcome");
    await c.stop();

    // edit-motd shows the current text in its form (XEP-0133 §4.25).
    const edit = await command(admin, s.domain, { node: `${ADMIN}#edit-motd`, action: "execute" });
    assert.deepEqual(resultValues(edit, "motd"), ["Be nice.", "Second line."]);
    await command(admin, s.domain, { node: `${ADMIN}#edit-motd`, sessionid: edit.attrs.sessionid!, action: "cancel" });

    const del = await runAdmin(admin, s.domain, `${ADMIN}#delete-motd`);
    assert.equal(del.attrs.status, "completed");
    const again = await s.login("dave", { resource: "nomotd" });
    // A ping round trip orders after anything the server would have sent at login.
    await again.iq(xml("iq", { type: "get", to: s.domain }, xml("ping", { xmlns: "urn:xmpp:ping" })));
    await new Promise((r) => setImmediate(r));
    await again.iq(xml("iq", { type: "get", to: s.domain }, xml("ping", { xmlns: "urn:xmpp:ping" })));
    assert.equal(again.received.filter((el) => el.name === "message").length, 0);
    await again.stop();
  });

  test("get-online-users-list lists exactly the connected resources", async () => {
    const a1 = await s.login("alice", { resource: "laptop" });
    const a2 = await s.login("alice", { resource: "phone" });
    const b = await s.login("bob", { resource: "desk", presence: false });
    const cmd = await runAdmin(admin, s.domain, `${ADMIN}#get-online-users-list`, { max_items: "none" });
    assert.deepEqual(resultValues(cmd, "onlineuserjids"), [
      `alice@${s.domain}/laptop`,
      `alice@${s.domain}/phone`,
      `bob@${s.domain}/desk`,
      `boss@${s.domain}/console`,
    ]);
    const num = await runAdmin(admin, s.domain, `${ADMIN}#get-online-users-num`);
    assert.deepEqual(resultValues(num, "onlineusersnum"), ["3"]);
    await Promise.all([a1.stop(), a2.stop(), b.stop()]);
  });

  test("the detailed online list reports address, TLS and presence of each resource", async () => {
    const c = await s.login("carol", { resource: "detail" });
    await c.send(xml("presence", {}, xml("show", {}, "away"), xml("status", {}, "lunch")));
    await c.iq(xml("iq", { type: "get", to: s.domain }, xml("ping", { xmlns: "urn:xmpp:ping" })));
    const cmd = await runAdmin(admin, s.domain, "urn:chatctl:admin#online-users-detailed");
    const form = cmd.getChild("x", "jabber:x:data")!;
    const rows = form.getChildren("item").map((item) => Object.fromEntries(item.getChildren("field").map((f) => [f.attrs.var, f.getChildText("value")])));
    const row = rows.find((r) => r.jid === `carol@${s.domain}/detail`);
    assert.ok(row, "carol's resource is listed");
    assert.equal(row.ip, "127.0.0.1");
    assert.match(String(row.tls), /^TLSv1\.[23]$/);
    assert.equal(row.show, "away");
    assert.equal(row.status, "lunch");
    assert.ok(!Number.isNaN(Date.parse(String(row.since))));
    await c.stop();
  });

  test("add-user creates an account that can log in", async () => {
    const cmd = await runAdmin(admin, s.domain, `${ADMIN}#add-user`, { accountjid: `erin@${s.domain}`, password: "n3w-pass", "password-verify": "n3w-pass" });
    assert.equal(cmd.attrs.status, "completed");
    const erin = await s.login("erin", { password: "n3w-pass", resource: "first" });
    assert.match(erin.jid, /^erin@/);
    await erin.stop();
    // The same account twice is a conflict.
    assert.equal(await errorCondition(runAdmin(admin, s.domain, `${ADMIN}#add-user`, { accountjid: `erin@${s.domain}`, password: "x", "password-verify": "x" })), "conflict");
  });

  test("end-user-session disconnects the session", async () => {
    const c = await s.login("bob", { resource: "kicked" });
    const closed = new Promise<void>((resolve) => c.xmpp.on("disconnect", () => resolve()));
    const cmd = await runAdmin(admin, s.domain, `${ADMIN}#end-user-session`, { accountjids: [`bob@${s.domain}/kicked`] });
    assert.deepEqual(resultValues(cmd, "sessions"), ["1"]);
    await closed;
    assert.equal(s.server.host.sessions.get("bob", "kicked"), undefined);
  });

  test("delete-user removes the account and ends its sessions", async () => {
    s.addUser("frank");
    const c = await s.login("frank", { resource: "gone" });
    const closed = new Promise<void>((resolve) => c.xmpp.on("disconnect", () => resolve()));
    const cmd = await runAdmin(admin, s.domain, `${ADMIN}#delete-user`, { accountjids: [`frank@${s.domain}`] });
    assert.equal(cmd.attrs.status, "completed");
    await closed;
    assert.equal(s.auth.userExists("frank"), false);
  });

  test("get-user-lastlogin reports the last logout the last module recorded", async () => {
    const c = await s.login("carol", { resource: "bye" });
    await c.stop();
    // The server notices the closed stream on its own schedule; wait for the unbind, not a timer.
    while (s.server.host.sessions.isOnline("carol")) await new Promise((r) => setImmediate(r));
    const cmd = await runAdmin(admin, s.domain, `${ADMIN}#get-user-lastlogin`, { accountjid: `carol@${s.domain}` });
    const [value] = resultValues(cmd, "lastlogin");
    assert.ok(value && !Number.isNaN(Date.parse(value)), `an ISO date, got ${value}`);
  });

  test("an announcement to all users reaches an offline user at next login", async () => {
    s.addUser("gina");
    const cmd = await runAdmin(admin, s.domain, "urn:chatctl:admin#announce-all", { announcement: "New server rules" });
    const total = s.auth.listUsers().length;
    assert.deepEqual(resultValues(cmd, "recipients"), [String(total)]);
    assert.ok(Number(resultValues(cmd, "offline")[0]) >= 1);
    const gina = await s.login("gina", { resource: "later" });
    const msg = await gina.waitFor((el) => el.name === "message" && bodyOf(el) === "New server rules", "the stored announcement");
    assert.equal(msg.attrs.from, s.domain);
    await gina.stop();
  });

  test("a group announcement reaches only the group's members; a dry run sends nothing", async () => {
    s.auth.addToGroup("alice", "staff");
    const alice = await s.login("alice", { resource: "grp" });
    const bob = await s.login("bob", { resource: "grp" });
    const dry = await runAdmin(admin, s.domain, "urn:chatctl:admin#announce-group", { group: "staff", announcement: "dry", "dry-run": "1" });
    assert.deepEqual(resultValues(dry, "recipients"), ["1"]);
    const cmd = await runAdmin(admin, s.domain, "urn:chatctl:admin#announce-group", { group: "staff", announcement: "Staff meeting" });
    assert.deepEqual(resultValues(cmd, "recipients"), ["1"]);
    await alice.waitFor((el) => bodyOf(el) === "Staff meeting", "the group announcement");
    // bob is not in the group: a ping after the command orders after anything routed to him.
    await bob.iq(xml("iq", { type: "get", to: s.domain }, xml("ping", { xmlns: "urn:xmpp:ping" })));
    assert.equal(bob.received.filter((el) => bodyOf(el) === "Staff meeting").length, 0);
    assert.equal(alice.received.filter((el) => bodyOf(el) === "dry").length, 0);
    await Promise.all([alice.stop(), bob.stop()]);
  });

  test("a session id that is unknown is refused with bad-sessionid (XEP-0050 §4.6)", async () => {
    const err = await (async () => {
      try {
        await command(admin, s.domain, { node: `${ADMIN}#announce`, sessionid: "nope", action: "complete" }, submitForm({ announcement: "x" }));
      } catch (e) {
        return e as { condition: string; application?: { name: string } };
      }
      throw new Error("accepted");
    })();
    assert.equal(err.condition, "bad-request");
    assert.equal(err.application?.name, "bad-sessionid");
  });
});
