// Service administration of group chat: the server's administrators act as owners of every room
// (XEP-0045 §5.2), see hidden rooms in the service's disco#items, and run chatctl's room commands
// (urn:chatctl:admin#muc-list|muc-info|muc-destroy, XEP-0050) that `chatctl muc` uses; others may not.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { errorCondition as iqRefusal, resultValues, runAdmin, startAdminServer, type AdminServer } from "../admin/helpers.js";
import { xml, type TestClient, type XmppElement } from "../helpers/client.js";
import { configure, createInstantRoom, join, MUC_OWNER, MUC_USER } from "./helpers.js";

const DISCO_ITEMS = "http://jabber.org/protocol/disco#items";
const DATA = "jabber:x:data";
const NODE = "urn:chatctl:admin";

/** The rows of a result form's XEP-0004 §3.4 table, each field var → first value. */
function rows(cmd: XmppElement): Array<Record<string, string>> {
  return (cmd.getChild("x", DATA)?.getChildren("item") ?? []).map((item: XmppElement) =>
    Object.fromEntries(item.getChildren("field").map((f: XmppElement) => [f.attrs.var ?? "", f.getChildText("value") ?? ""])),
  );
}

describe("group chat service administration", () => {
  let s: AdminServer;
  let boss: TestClient;
  let owner: TestClient;
  let alice: TestClient;
  let service: string;

  before(async () => {
    s = await startAdminServer();
    service = `conference.${s.domain}`;
    s.addAdmin("boss");
    s.addUser("owner");
    s.addUser("alice");
    boss = await s.login("boss", { resource: "console" });
    owner = await s.login("owner", { resource: "desk" });
    alice = await s.login("alice", { resource: "phone" });
    await createInstantRoom(owner, `hideout@${service}`, "Owner");
    await configure(owner, `hideout@${service}`, { "muc#roomconfig_publicroom": "0" });
    await join(alice, `hideout@${service}/Alice`);
  });
  after(() => s.stop());

  test("a hidden room is listed to the administrator only, who may also read its configuration", async () => {
    const list = async (c: TestClient) =>
      (await c.iq(xml("iq", { type: "get", to: service }, xml("query", { xmlns: DISCO_ITEMS })))).getChild("query", DISCO_ITEMS)!.getChildren("item").map((i: XmppElement) => i.attrs.jid);
    assert.ok((await list(boss)).includes(`hideout@${service}`));
    assert.ok(!(await list(alice)).includes(`hideout@${service}`));
    const config = await boss.iq(xml("iq", { type: "get", to: `hideout@${service}` }, xml("query", { xmlns: MUC_OWNER })));
    assert.ok(config.getChild("query", MUC_OWNER)?.getChild("x", DATA), "§5.2: the service administrator gets the owner's form");
    assert.equal(await iqRefusal(alice.iq(xml("iq", { type: "get", to: `hideout@${service}` }, xml("query", { xmlns: MUC_OWNER })))), "forbidden");
  });

  test("muc-list and muc-info report rooms, occupants and affiliations to administrators", async () => {
    const listed = await runAdmin(boss, s.domain, `${NODE}#muc-list`);
    assert.equal(listed.attrs.status, "completed");
    assert.deepEqual(resultValues(listed, "service"), [service]);
    const hideout = rows(listed).find((r) => r.jid === `hideout@${service}`);
    assert.equal(hideout?.occupants, "2");
    assert.equal(hideout?.public, "0");
    assert.equal(hideout?.archived, "1");

    const info = await runAdmin(boss, s.domain, `${NODE}#muc-info`, { room: "hideout" });
    assert.equal(info.attrs.status, "completed");
    assert.deepEqual(resultValues(info, "owners"), [`owner@${s.domain}`]);
    assert.deepEqual(resultValues(info, "muc#roomconfig_publicroom"), ["0"]);
    assert.deepEqual(
      rows(info).map((r) => [r.nick, r.role, r.jid]),
      [
        ["Alice", "participant", `alice@${s.domain}/phone`],
        ["Owner", "moderator", `owner@${s.domain}/desk`],
      ],
    );
    assert.equal(await iqRefusal(runAdmin(alice, s.domain, `${NODE}#muc-list`)), "forbidden");
  });

  test("muc-destroy removes the occupants with the reason; an unknown room is an error note", async () => {
    const missing = await runAdmin(boss, s.domain, `${NODE}#muc-destroy`, { room: "nowhere" });
    assert.equal(missing.attrs.status, "completed");
    assert.equal(missing.getChild("note")?.attrs.type, "error");
    const done = await runAdmin(boss, s.domain, `${NODE}#muc-destroy`, { room: `hideout@${service}`, reason: "closing time" });
    assert.equal(done.attrs.status, "completed");
    const notice = await alice.waitFor((el) => el.is("presence") && el.getChild("x", MUC_USER)?.getChild("destroy") !== undefined, "destroy notice");
    assert.equal(notice.getChild("x", MUC_USER)!.getChild("destroy")!.getChildText("reason"), "closing time");
    const after = rows(await runAdmin(boss, s.domain, `${NODE}#muc-list`));
    assert.ok(!after.some((r) => r.jid === `hideout@${service}`));
  });
});
