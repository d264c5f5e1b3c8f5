// `chatctl muc list|info|destroy`: the real bin/chatctl against a real running server (in this
// process, loopback, ephemeral port) with rooms that real clients created and joined, over XMPP
// as an administrator and over the local admin socket; the exit codes of DESIGN.md.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startAdminServer, type AdminServer } from "../integration/admin/helpers.js";
import { xml, type TestClient, type XmppElement } from "../integration/helpers/client.js";
import { configure, createInstantRoom, join, MUC_ADMIN, MUC_USER } from "../integration/muc/helpers.js";
import { queryRoomArchive, refusal } from "../integration/muc/room-archive.js";
import { childEnv, runCli, sandbox, type Sandbox } from "./helpers.js";

/** The child's environment without the test process's NODE_TLS_REJECT_UNAUTHORIZED=0. */
function cliEnv(home: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = childEnv(home, extra);
  delete env.NODE_TLS_REJECT_UNAUTHORIZED;
  return env;
}

describe("chatctl muc against a running server", { timeout: 120_000 }, () => {
  let s: AdminServer;
  let box: Sandbox;
  let owner: TestClient;
  let alice: TestClient;
  let service: string;

  before(async () => {
    s = await startAdminServer();
    service = `conference.${s.domain}`;
    s.addAdmin("boss", "b0ss-pass");
    for (const u of ["owner", "alice", "bob"]) s.addUser(u);
    owner = await s.login("owner", { resource: "desk" });
    alice = await s.login("alice", { resource: "phone" });
    box = await sandbox();
    // A public persistent room with two occupants and a hidden members-only room.
    await createInstantRoom(owner, `lobby@${service}`, "Host");
    await configure(owner, `lobby@${service}`, { "muc#roomconfig_persistentroom": "1", "muc#roomconfig_roomname": "The Lobby" });
    await join(alice, `lobby@${service}/Alice`);
    await createInstantRoom(owner, `back@${service}`, "Host");
    await configure(owner, `back@${service}`, { "muc#roomconfig_publicroom": "0", "muc#roomconfig_membersonly": "1" });
    await owner.iq(xml("iq", { type: "set", to: `back@${service}` }, xml("query", { xmlns: MUC_ADMIN }, xml("item", { jid: `bob@${s.domain}`, affiliation: "member" }))));
    await owner.send(xml("message", { to: `lobby@${service}`, type: "groupchat", id: "hello" }, xml("body", {}, "hello lobby")));
    await owner.waitFor((el) => el.attrs.id === "hello", "reflection");
  });
  after(async () => {
    await s.stop();
    await box.remove();
  });

  /** chatctl logged in over XMPP as the administrator (the data dir makes its certificate trusted). */
  const chatctl = (args: string[], env: Record<string, string> = { CHATCTL_PASSWORD: "b0ss-pass" }) =>
    runCli(["--data-dir", s.dataDir, "--domain", s.domain, ...args, "--jid", env.JID ?? "boss", "--server", `127.0.0.1:${s.port}`], { env: cliEnv(box.dir, env) });
  /** chatctl on the server's host: the local admin socket, no password. */
  const local = (args: string[]) => runCli(["--data-dir", s.dataDir, "--domain", s.domain, ...args], { env: cliEnv(box.dir, {}) });

  test("muc list --json (local admin socket) lists every room, hidden ones too, with occupants and flags", async () => {
    const r = await local(["muc", "list", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout) as { service: string; count: number; rooms: Array<Record<string, unknown>> };
    assert.equal(list.service, service);
    const lobby = list.rooms.find((room) => room.jid === `lobby@${service}`);
    const back = list.rooms.find((room) => room.jid === `back@${service}`);
    assert.deepEqual(lobby, { jid: `lobby@${service}`, name: "The Lobby", occupants: 2, persistent: true, public: true, membersOnly: false, passwordProtected: false, moderated: false, nonAnonymous: false, archived: true });
    assert.ok(back, "the hidden room is listed to the administrator");
    assert.equal(back.public, false);
    assert.equal(back.membersOnly, true);
    assert.equal(list.count, list.rooms.length);
  });

  test("muc list prints a table over XMPP as the administrator", async () => {
    const r = await chatctl(["muc", "list"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ROOM +NAME +OCCUPANTS +PERSISTENT +PUBLIC +MEMBERS-ONLY +ARCHIVED/m);
    assert.match(r.stdout, new RegExp(`lobby@${service} +The Lobby +2 +yes +yes +no +yes`));
    assert.match(r.stdout, /2 rooms on conference\./);
  });

  test("muc info --json shows configuration, affiliations and occupants with real JIDs", async () => {
    const r = await chatctl(["muc", "info", "back", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const back = JSON.parse(r.stdout) as { room: string; config: Record<string, unknown>; affiliations: Record<string, string[]>; occupants: Array<Record<string, string>> };
    assert.equal(back.room, `back@${service}`);
    assert.equal(back.config.membersOnly, true);
    assert.equal(back.config.public, false);
    assert.equal(back.config.archived, true);
    assert.deepEqual(back.affiliations, { owner: [`owner@${s.domain}`], admin: [], member: [`bob@${s.domain}`], outcast: [] });
    assert.deepEqual(back.occupants, [{ nick: "Host", role: "moderator", affiliation: "owner", jid: `owner@${s.domain}/desk` }]);

    const lobby = await local(["muc", "info", `lobby@${service}`]);
    assert.equal(lobby.code, 0, lobby.stderr);
    assert.match(lobby.stdout, /name: +The Lobby/);
    assert.match(lobby.stdout, new RegExp(`Alice +participant +none +alice@${s.domain}/phone`));
    assert.match(lobby.stdout, /2 occupants/);
  });

  test("exit codes: unknown room 1, malformed room 2, not an administrator 1, destroy without --yes 2", async () => {
    const missing = await local(["muc", "info", "nosuchroom"]);
    assert.equal(missing.code, 1, missing.stderr);
    assert.match(missing.stderr, new RegExp(`no room nosuchroom@${service}`));
    const malformed = await local(["muc", "info", "lobby/nick"]);
    assert.equal(malformed.code, 2, malformed.stderr);
    const notAdmin = await chatctl(["muc", "list"], { CHATCTL_PASSWORD: "secret", JID: "alice" });
    assert.equal(notAdmin.code, 1, notAdmin.stderr);
    assert.match(notAdmin.stderr, /not an administrator/);
    const unconfirmed = await local(["muc", "destroy", "lobby"]);
    assert.equal(unconfirmed.code, 2, unconfirmed.stderr);
    assert.match(unconfirmed.stderr, /--yes/);
    const stillThere = await local(["muc", "list", "--json"]);
    assert.ok((JSON.parse(stillThere.stdout) as { rooms: Array<{ jid: string }> }).rooms.some((r) => r.jid === `lobby@${service}`));
  });

  test("muc destroy tells the occupants why and where to go, and deletes the room and its archive", async () => {
    assert.deepEqual((await queryRoomArchive(owner, `lobby@${service}`)).bodies, ["hello lobby"]);
    const r = await chatctl(["muc", "destroy", "lobby", "--reason", "moving out", "--alternate", `back@${service}`, "--yes", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { room: `lobby@${service}`, destroyed: true, reason: "moving out", alternate: `back@${service}` });
    const gone = await alice.waitFor((el) => el.is("presence") && el.attrs.type === "unavailable" && el.getChild("x", MUC_USER)?.getChild("destroy") !== undefined, "the destroy notice");
    const destroy = gone.getChild("x", MUC_USER)!.getChild("destroy") as XmppElement;
    assert.equal(destroy.attrs.jid, `back@${service}`);
    assert.equal(destroy.getChildText("reason"), "moving out");
    const list = await local(["muc", "list", "--json"]);
    assert.ok(!(JSON.parse(list.stdout) as { rooms: Array<{ jid: string }> }).rooms.some((room) => room.jid === `lobby@${service}`));
    assert.equal(await refusal(queryRoomArchive(owner, `lobby@${service}`)), "item-not-found");
    // Recreated, the room starts with an empty archive.
    await createInstantRoom(owner, `lobby@${service}`, "Host");
    assert.deepEqual((await queryRoomArchive(owner, `lobby@${service}`)).bodies, []);
  });
});
