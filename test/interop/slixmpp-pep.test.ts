// PEP (XEP-0163) and avatars with a client we did not write: slixmpp's xep_0115 computes its own
// caps hash over the +notify features its xep_0084/xep_0172 plugins register, so receiving
// events proves the server verified a third-party hash; its xep_0084 publish proves the
// server's avatar handling (notification + XEP-0398 vCard PHOTO) accepts a third-party publish.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { xml } from "../integration/helpers/client.js";
import { startTestServer, type TestServer } from "../integration/helpers/server.js";
import { connectWithCaps, eventItems, publish, type CapsClient } from "../integration/pep-features/helpers.js";
import { JPEG_STUB, PNG_1X1 } from "../unit/pep-features/fixtures.js";
import { PYTHON, runPython } from "./python.js";

const AVATAR_DATA = "urn:xmpp:avatar:data";
const AVATAR_METADATA = "urn:xmpp:avatar:metadata";
const NICK = "http://jabber.org/protocol/nick";
const VCARD = "vcard-temp";

interface PepRun {
  contact_metadata: { item_id: string; info: Record<string, string> | null };
  contact_nick: string | null;
  published_id: string;
  /** node#ver of every caps element slixmpp put in a presence. */
  advertised: string[];
  /** node of every disco#info query the server sent slixmpp. */
  server_queries: string[];
}

describe("interop with slixmpp: PEP and avatars", { skip: !existsSync(PYTHON) }, () => {
  let t: TestServer;
  let alice: CapsClient;
  let run: PepRun;
  before(async () => {
    t = await startTestServer();
    t.addUser("alice", "pw-alice");
    t.addUser("snake", "pw-snake");
  });
  after(async () => {
    await alice?.stop();
    await t.stop();
  });

  test("slixmpp's +notify caps are verified: it receives the avatar metadata and nickname an @xmpp/client contact published", async () => {
    alice = await connectWithCaps({ port: t.port, username: "alice", password: "pw-alice", resource: "web" }, [AVATAR_METADATA]);
    await alice.iq(publish(AVATAR_DATA, JPEG_STUB.sha1, xml("data", { xmlns: AVATAR_DATA }, JPEG_STUB.base64)));
    await alice.iq(
      publish(AVATAR_METADATA, JPEG_STUB.sha1, xml("metadata", { xmlns: AVATAR_METADATA }, xml("info", { id: JPEG_STUB.sha1, type: "image/jpeg", bytes: String(JPEG_STUB.bytes) }))),
    );
    await alice.iq(publish(NICK, "current", xml("nick", { xmlns: NICK }, "Alice from Node")));
    // RFC 6121 §3: alice approves slixmpp's request and asks back; slixmpp approves on its own
    // (its roster's auto_authorize), which makes the subscription mutual.
    let askedBack = false;
    alice.xmpp.on("stanza", (el) => {
      if (el.is("presence") && el.attrs.type === "subscribe" && el.attrs.from === "snake@localhost") {
        void alice.send(xml("presence", { to: "snake@localhost", type: "subscribed" }));
        if (!askedBack) {
          askedBack = true;
          void alice.send(xml("presence", { to: "snake@localhost", type: "subscribe" }));
        }
      }
    });

    const res = await runPython("slixmpp_pep.py", ["snake@localhost", "pw-snake", String(t.port), "alice@localhost", PNG_1X1.base64], 70_000);
    const line = res.stdout.trim().split("\n").pop() ?? "";
    assert.equal(res.code, 0, `slixmpp failed: ${line}\n${res.stderr.slice(-3000)}`);
    run = JSON.parse(line) as PepRun;
    assert.equal(run.contact_metadata.item_id, JPEG_STUB.sha1);
    assert.deepEqual(run.contact_metadata.info, { id: JPEG_STUB.sha1, type: "image/jpeg", bytes: String(JPEG_STUB.bytes) });
    assert.equal(run.contact_nick, "Alice from Node");
    // The events came through caps resolution: the server asked about exactly what slixmpp advertised.
    assert.ok(run.server_queries.length > 0, "the server queried slixmpp's disco#info");
    for (const q of run.server_queries) assert.ok(run.advertised.includes(q), `queried ${q}, advertised ${run.advertised.join(", ")}`);
  });

  test("an avatar slixmpp publishes with xep_0084 reaches a +notify contact and becomes its vCard PHOTO (XEP-0398)", async () => {
    assert.ok(run, "the slixmpp run of the test above completed");
    assert.equal(run.published_id, PNG_1X1.sha1, "slixmpp's id is the SHA-1 of the bytes");
    const event = await alice.waitFor((el) => el.attrs.from === "snake@localhost" && !!eventItems(el, AVATAR_METADATA), "slixmpp's avatar metadata event");
    const item = eventItems(event, AVATAR_METADATA)!.getChild("item")!;
    assert.equal(item.attrs.id, PNG_1X1.sha1);
    const info = item.getChild("metadata", AVATAR_METADATA)!.getChild("info")!;
    assert.equal(info.attrs.id, PNG_1X1.sha1);
    assert.equal(info.attrs.type, "image/png");
    assert.equal(info.attrs.bytes, String(PNG_1X1.bytes));

    const res = await alice.iq(xml("iq", { type: "get", to: "snake@localhost" }, xml("vCard", { xmlns: VCARD })));
    const photo = res.getChild("vCard", VCARD)?.getChild("PHOTO");
    assert.equal(photo?.getChildText("TYPE"), "image/png");
    assert.equal(photo?.getChildText("BINVAL"), PNG_1X1.base64);
  });
});
