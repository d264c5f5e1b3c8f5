// HTTP File Upload (XEP-0363) end to end: a real @xmpp/client asks upload.<domain> for slots,
// the file goes up and comes back over real HTTPS on loopback, and every refusal the XEP and
// HTTP define is checked on the wire.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { connect, xml, type TestClient } from "../helpers/client.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { errorOf, http, requestSlot, slotOf, UPLOAD } from "./helpers.js";

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const MAX = 1_000_000;
const QUOTA = 1_500_000;

describe("HTTP file upload", () => {
  let server: TestServer;
  let alice: TestClient;
  let bob: TestClient;

  before(async () => {
    server = await startTestServer({ "upload.maxFileBytes": MAX, "upload.quotaBytes": QUOTA, "upload.slotTimeoutSeconds": 60 });
    server.addUser("alice", "pw-alice");
    server.addUser("bob", "pw-bob");
    alice = await connect({ port: server.port, username: "alice", password: "pw-alice" });
    bob = await connect({ port: server.port, username: "bob", password: "pw-bob" });
  });

  after(async () => {
    await alice?.stop();
    await bob?.stop();
    await server?.stop();
  });

  test("the domain lists upload.<domain>, whose disco#info has the identity, the feature and max-file-size", async () => {
    const items = await alice.iq(xml("iq", { type: "get", to: server.domain }, xml("query", { xmlns: "http://jabber.org/protocol/disco#items" }))).then((iq) => iq.getChild("query")!);
    assert.ok(items.getChildren("item").some((i) => i.attrs.jid === `upload.${server.domain}`));
    const info = await alice.iq(xml("iq", { type: "get", to: `upload.${server.domain}` }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" }))).then((iq) => iq.getChild("query")!);
    const identity = info.getChild("identity")!;
    assert.deepEqual([identity.attrs.category, identity.attrs.type, identity.attrs.name], ["store", "file", "HTTP File Upload"]);
    assert.ok(info.getChildren("feature").some((f) => f.attrs.var === UPLOAD));
    const form = info.getChild("x", "jabber:x:data")!;
    const field = (v: string) => form.getChildren("field").find((f) => f.attrs.var === v)?.getChildText("value");
    assert.equal(field("FORM_TYPE"), UPLOAD);
    assert.equal(field("max-file-size"), String(MAX));
  });

  test("a file PUT with the slot's header comes back identical from the GET URL, with its type and name", async () => {
    const data = randomBytes(300_000);
    const slot = slotOf(await requestSlot(alice, server.domain, { filename: "holiday photo.jpg", size: String(data.length), "content-type": "image/jpeg" }));
    assert.match(slot.put, /^https:\/\/upload\.localhost:\d+\/[0-9a-f]{32}\/holiday%20photo\.jpg$/);
    assert.match(slot.headers.Authorization ?? "", /^Bearer \S{40,}$/);

    const before = await http("GET", slot.get);
    assert.equal(before.status, 404, "nothing is served before the upload completed");

    const put = await http("PUT", slot.put, { headers: { ...slot.headers, "Content-Type": "image/jpeg", "Content-Length": data.length }, body: data });
    assert.equal(put.status, 201);

    const get = await http("GET", slot.get);
    assert.equal(get.status, 200);
    assert.equal(sha256(get.body), sha256(data));
    assert.equal(get.headers["content-type"], "image/jpeg");
    assert.equal(get.headers["content-length"], String(data.length));
    assert.equal(get.headers["accept-ranges"], "bytes");
    assert.equal(get.headers["x-content-type-options"], "nosniff");
    assert.match(String(get.headers["content-disposition"]), /^inline; filename="holiday photo\.jpg"; filename\*=UTF-8''holiday%20photo\.jpg$/);
    assert.match(String(get.headers["cache-control"]), /max-age=\d+/);
    assert.ok(get.headers.etag);
    assert.ok(get.headers["last-modified"]);

    const head = await http("HEAD", slot.get);
    assert.equal(head.status, 200);
    assert.equal(head.headers["content-length"], String(data.length));
    assert.equal(head.body.length, 0);

    const again = await http("GET", slot.get, { headers: { "If-None-Match": String(get.headers.etag) } });
    assert.equal(again.status, 304);

    // Small bodies on refused PUTs: the server answers before reading and closes the connection.
    const second = await http("PUT", slot.put, { headers: { ...slot.headers, "Content-Type": "image/jpeg" }, body: data.subarray(0, 10) });
    assert.equal(second.status, 409, "a slot takes one file");
  });

  test("a single byte range is served as 206 with the right bytes; an unsatisfiable one is 416", async () => {
    const data = randomBytes(100_000);
    const slot = slotOf(await requestSlot(alice, server.domain, { filename: "range.bin", size: String(data.length) }));
    assert.equal((await http("PUT", slot.put, { headers: slot.headers, body: data })).status, 201);

    const mid = await http("GET", slot.get, { headers: { Range: "bytes=1000-1999" } });
    assert.equal(mid.status, 206);
    assert.equal(mid.headers["content-range"], `bytes 1000-1999/${data.length}`);
    assert.deepEqual(mid.body, data.subarray(1000, 2000));

    const tail = await http("GET", slot.get, { headers: { Range: "bytes=-500" } });
    assert.equal(tail.status, 206);
    assert.deepEqual(tail.body, data.subarray(data.length - 500));

    const open = await http("GET", slot.get, { headers: { Range: "bytes=99000-" } });
    assert.deepEqual(open.body, data.subarray(99_000));

    const beyond = await http("GET", slot.get, { headers: { Range: `bytes=${data.length}-` } });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers["content-range"], `bytes */${data.length}`);

    const type = await http("GET", slot.get);
    assert.equal(type.headers["content-type"], "application/octet-stream", "no type announced, none sent: octet-stream (§6)");
    assert.match(String(type.headers["content-disposition"]), /^attachment;/);
  });

  test("a PUT without the secret is 401, with a wrong one 403, and the slot still works afterwards", async () => {
    const data = randomBytes(1000);
    const slot = slotOf(await requestSlot(alice, server.domain, { filename: "a.txt", size: String(data.length), "content-type": "text/plain" }));
    const none = await http("PUT", slot.put, { headers: { "Content-Type": "text/plain" }, body: data });
    assert.equal(none.status, 401);
    const wrong = await http("PUT", slot.put, { headers: { Authorization: "Bearer not-the-secret", "Content-Type": "text/plain" }, body: data });
    assert.equal(wrong.status, 403);
    // Another slot's secret is just as wrong.
    const other = slotOf(await requestSlot(alice, server.domain, { filename: "b.txt", size: String(data.length) }));
    assert.equal((await http("PUT", slot.put, { headers: { ...other.headers, "Content-Type": "text/plain" }, body: data })).status, 403);
    assert.equal((await http("GET", slot.get)).status, 404);
    assert.equal((await http("PUT", slot.put, { headers: { ...slot.headers, "Content-Type": "text/plain" }, body: data })).status, 201);
  });

  test("a PUT whose size differs from the slot is refused (larger 413, smaller 400), as is another content type (415)", async () => {
    const slot = slotOf(await requestSlot(alice, server.domain, { filename: "exact.bin", size: "2000", "content-type": "application/pdf" }));
    const headers = { ...slot.headers, "Content-Type": "application/pdf" };
    assert.equal((await http("PUT", slot.put, { headers, body: randomBytes(2001) })).status, 413);
    assert.equal((await http("PUT", slot.put, { headers, body: randomBytes(1999) })).status, 400);
    assert.equal((await http("PUT", slot.put, { headers: { ...slot.headers, "Content-Type": "text/html" }, body: randomBytes(2000) })).status, 415);
    assert.equal((await http("GET", slot.get)).status, 404, "nothing refused is ever served");
    assert.equal((await http("PUT", slot.put, { headers, body: randomBytes(2000) })).status, 201);
  });

  test("while a PUT is under way the file is not served and a second PUT is refused (409); once complete it is", async () => {
    const data = randomBytes(200_000);
    const slot = slotOf(await requestSlot(alice, server.domain, { filename: "slow.bin", size: String(data.length) }));
    const u = new URL(slot.put);
    let answered: (status: number) => void;
    const status = new Promise<number>((resolve) => (answered = resolve));
    const req = request(
      { method: "PUT", host: "127.0.0.1", port: Number(u.port), path: u.pathname, servername: u.hostname, rejectUnauthorized: false, agent: false, headers: { ...slot.headers, Host: u.host, "Content-Length": data.length } },
      (res) => {
        res.resume();
        answered(res.statusCode ?? 0);
      },
    );
    req.write(data.subarray(0, 100_000));
    // Bounded wait until the server has started writing the partial file.
    const partialDir = join(server.dataDir, "upload", "partial");
    for (let i = 0; i < 100 && !(existsSync(partialDir) && readdirSync(partialDir).length > 0); i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(readdirSync(partialDir).length, 1, "the upload is under way");
    assert.equal((await http("GET", slot.get)).status, 404, "half a file is never served");
    assert.equal((await http("PUT", slot.put, { headers: slot.headers, body: data.subarray(0, 10) })).status, 409);
    req.end(data.subarray(100_000));
    assert.equal(await status, 201);
    const get = await http("GET", slot.get);
    assert.equal(sha256(get.body), sha256(data));
  });

  test("an upload the client breaks off leaves nothing behind, and the slot can be used again", async () => {
    const data = randomBytes(150_000);
    const slot = slotOf(await requestSlot(alice, server.domain, { filename: "retry.bin", size: String(data.length) }));
    const u = new URL(slot.put);
    const req = request({ method: "PUT", host: "127.0.0.1", port: Number(u.port), path: u.pathname, servername: u.hostname, rejectUnauthorized: false, agent: false, headers: { ...slot.headers, Host: u.host, "Content-Length": data.length } });
    req.on("error", () => {});
    req.write(data.subarray(0, 50_000));
    const partialDir = join(server.dataDir, "upload", "partial");
    for (let i = 0; i < 100 && !(existsSync(partialDir) && readdirSync(partialDir).length > 0); i++) await new Promise((r) => setTimeout(r, 50));
    req.destroy();
    for (let i = 0; i < 100 && readdirSync(partialDir).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(readdirSync(partialDir), [], "the partial file is removed");
    assert.equal((await http("GET", slot.get)).status, 404);
    assert.equal((await http("PUT", slot.put, { headers: slot.headers, body: data })).status, 201);
    assert.equal(sha256((await http("GET", slot.get)).body), sha256(data));
  });

  test("with Expect: 100-continue a refused PUT is answered before the body is sent", async () => {
    const slot = slotOf(await requestSlot(alice, server.domain, { filename: "expect.bin", size: "5000" }));
    const u = new URL(slot.put);
    const put = (auth: string) =>
      new Promise<{ status: number; continued: boolean }>((resolve, reject) => {
        let continued = false;
        const req = request({ method: "PUT", host: "127.0.0.1", port: Number(u.port), path: u.pathname, servername: u.hostname, rejectUnauthorized: false, agent: false, headers: { Authorization: auth, Host: u.host, "Content-Length": 5000, Expect: "100-continue" } }, (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode ?? 0, continued }));
        });
        req.on("continue", () => {
          continued = true;
          req.end(randomBytes(5000));
        });
        req.on("error", reject);
        req.flushHeaders();
      });
    assert.deepEqual(await put("Bearer wrong"), { status: 403, continued: false });
    assert.deepEqual(await put(slot.headers.Authorization!), { status: 201, continued: true });
  });

  test("a file above upload.maxFileBytes gets not-acceptable with <file-too-large><max-file-size>", async () => {
    const reply = await requestSlot(alice, server.domain, { filename: "big.iso", size: String(MAX + 1) });
    const err = errorOf(reply);
    assert.equal(err.type, "modify");
    assert.equal(err.condition, "not-acceptable");
    assert.equal(err.app?.name, "file-too-large");
    assert.equal(err.app?.getChildText("max-file-size"), String(MAX));
  });

  test("a request without a size, or with a non-numeric one, is bad-request", async () => {
    assert.equal(errorOf(await requestSlot(alice, server.domain, { filename: "x" })).condition, "bad-request");
    assert.equal(errorOf(await requestSlot(alice, server.domain, { filename: "x", size: "ten" })).condition, "bad-request");
    assert.equal(errorOf(await requestSlot(alice, server.domain, { size: "10" })).condition, "bad-request");
  });

  test("over the quota (stored + reserved) the request is resource-constraint with a retry stamp; other users are unaffected", async () => {
    // bob starts from nothing: two reservations of 700 000 fit in 1 500 000, a third does not.
    slotOf(await requestSlot(bob, server.domain, { filename: "1.bin", size: "700000" }));
    slotOf(await requestSlot(bob, server.domain, { filename: "2.bin", size: "700000" }));
    const reply = await requestSlot(bob, server.domain, { filename: "3.bin", size: "700000" });
    const err = errorOf(reply);
    assert.equal(err.type, "wait");
    assert.equal(err.condition, "resource-constraint");
    assert.equal(err.app?.name, "retry");
    const stamp = String(err.app?.attrs.stamp);
    assert.match(stamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(Date.parse(stamp) > Date.now(), "the reservations lapse in the future");
    // A small file still fits under bob's quota.
    slotOf(await requestSlot(bob, server.domain, { filename: "small.bin", size: "1000" }));
  });

  test("files and their records survive a restart", async () => {
    const data = randomBytes(50_000);
    const slot = slotOf(await requestSlot(alice, server.domain, { filename: "keep.bin", size: String(data.length) }));
    assert.equal((await http("PUT", slot.put, { headers: slot.headers, body: data })).status, 201);
    await alice.stop();
    await bob.stop();
    await server.restart();
    alice = await connect({ port: server.port, username: "alice", password: "pw-alice" });
    bob = await connect({ port: server.port, username: "bob", password: "pw-bob" });
    // The listener has a new ephemeral port: learn it from a fresh slot.
    const fresh = slotOf(await requestSlot(alice, server.domain, { filename: "probe.bin", size: "1" }));
    const port = Number(new URL(fresh.get).port);
    const get = await http("GET", slot.get, { port });
    assert.equal(get.status, 200);
    assert.equal(sha256(get.body), sha256(data));
    assert.deepEqual(readdirSync(join(server.dataDir, "upload", "partial")), [], "no partial file is left behind");
  });
});

describe("HTTP file upload: slot expiry", () => {
  let server: TestServer;
  let carol: TestClient;

  before(async () => {
    server = await startTestServer({ "upload.slotTimeoutSeconds": 1 });
    server.addUser("carol", "pw-carol");
    carol = await connect({ port: server.port, username: "carol", password: "pw-carol" });
  });

  after(async () => {
    await carol?.stop();
    await server?.stop();
  });

  test("a PUT after the slot's deadline is refused (410) and nothing is stored", async () => {
    const data = randomBytes(500);
    const slot = slotOf(await requestSlot(carol, server.domain, { filename: "late.bin", size: String(data.length) }));
    await new Promise((r) => setTimeout(r, 1500));
    const put = await http("PUT", slot.put, { headers: slot.headers, body: data });
    assert.equal(put.status, 410);
    assert.equal((await http("GET", slot.get)).status, 404);
    const id = new URL(slot.get).pathname.split("/")[1]!;
    assert.equal(existsSync(join(server.dataDir, "upload", "files", id.slice(0, 2), id)), false);
  });
});
