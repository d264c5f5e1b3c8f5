// File transfer through the SOCKS5 bytestream proxy (XEP-0065) by two @xmpp/client users: disco
// finds proxy.localhost, the streamhost query gives the real listener, the target and then the
// requester connect with SOCKS5, the requester activates, and 10 MB arrive intact. Then what
// must not work: activation by a third party, activation before both sides are connected,
// activating twice.
import assert from "node:assert/strict";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import { connect, xml, type TestClient } from "../helpers/client.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { acceptBytestreams, activateStream, BYTESTREAMS, connectPair, errorCondition, offerStream, PROXY, queryStreamhost } from "./helpers.js";
import { closed, dstAddr, readExactly, socksConnect } from "./socks5-client.js";

function sha256(b: Buffer): string {
  return createHash("sha256").update(b).digest("hex");
}

/** Reads everything until the other side ends the stream. */
function readAll(socket: Socket, timeoutMs = 60_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => reject(new Error(`timed out after ${chunks.reduce((n, c) => n + c.length, 0)} bytes`)), timeoutMs);
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.once("end", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    socket.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.resume();
  });
}

describe("file transfer through proxy.localhost (XEP-0065)", () => {
  let t: TestServer;
  const clients: TestClient[] = [];
  const sockets: Socket[] = [];
  const user = async (name: string, resource = "desk") => {
    const c = await connect({ port: t.port, username: name, password: "pw", resource });
    clients.push(c);
    return c;
  };
  before(async () => {
    t = await startTestServer();
    for (const u of ["romeo", "juliet", "tybalt"]) t.addUser(u, "pw");
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    for (const c of clients) await c.stop();
    await t.stop();
  });

  test("the server lists proxy.localhost, which identifies as proxy/bytestreams with the bytestreams feature", async () => {
    const romeo = await user("romeo", "disco");
    const items = await romeo.iq(xml("iq", { type: "get", to: "localhost" }, xml("query", { xmlns: "http://jabber.org/protocol/disco#items" })));
    assert.ok(items.getChild("query")!.getChildren("item").some((i) => i.attrs.jid === PROXY), items.toString());
    const info = await romeo.iq(xml("iq", { type: "get", to: PROXY }, xml("query", { xmlns: "http://jabber.org/protocol/disco#info" })));
    const query = info.getChild("query")!;
    const identity = query.getChild("identity");
    assert.equal(identity?.attrs.category, "proxy");
    assert.equal(identity?.attrs.type, "bytestreams");
    assert.ok(query.getChildren("feature").some((f) => f.attrs.var === BYTESTREAMS));
  });

  test("the streamhost answer carries the proxy's JID, the loopback address of this localhost server and the port really bound", async () => {
    const romeo = await user("romeo", "sh");
    const sh = await queryStreamhost(romeo);
    assert.equal(sh.jid, PROXY);
    assert.equal(sh.host, "127.0.0.1");
    assert.ok(sh.port > 0 && sh.port !== 7777, `port ${sh.port}`);
    // The port is live: a SOCKS5 greeting is answered with "no authentication".
    const { reply, socket } = await socksConnect(sh.port, "0".repeat(40));
    sockets.push(socket);
    assert.equal(reply.rep, 0x00);
  });

  test("romeo sends juliet 10 MB through the proxy and the SHA-256 arrives intact", async () => {
    const romeo = await user("romeo", "send");
    const juliet = await user("juliet", "recv");
    const file = randomBytes(10 * 1024 * 1024);
    let received: Promise<Buffer> | undefined;
    acceptBytestreams(juliet, (socket) => {
      sockets.push(socket);
      received = readAll(socket);
    });
    const sh = await queryStreamhost(romeo);
    const sid = randomUUID();
    const used = await offerStream(romeo, juliet.jid, sid, sh);
    assert.equal(used.getChild("query", BYTESTREAMS)?.getChild("streamhost-used")?.attrs.jid, PROXY);

    const { socket, reply } = await socksConnect(sh.port, dstAddr(sid, romeo.jid, juliet.jid), { host: sh.host });
    sockets.push(socket);
    // XEP-0065 §6.3.2: the reply echoes DST.ADDR and DST.PORT.
    assert.deepEqual(reply, { rep: 0, atyp: 3, address: dstAddr(sid, romeo.jid, juliet.jid), port: 0 });
    const result = await activateStream(romeo, sid, juliet.jid);
    assert.equal(result.attrs.type, "result");

    socket.end(file);
    assert.ok(received, "juliet connected");
    const got = await received;
    assert.equal(got.length, file.length);
    assert.equal(sha256(got), sha256(file));
  });

  test("bytes flow both ways, and data the requester sent before activation is delivered, not lost", async () => {
    const romeo = await user("romeo", "duplex");
    const juliet = await user("juliet", "duplex");
    const { sid, requester: socket, target: julietSocket } = await connectPair(romeo, juliet);
    sockets.push(socket, julietSocket);
    socket.write("early bytes|");
    await activateStream(romeo, sid, juliet.jid);
    socket.write("after activation");
    assert.equal((await readExactly(julietSocket, 28)).toString(), "early bytes|after activation");
    julietSocket.write("and back");
    assert.equal((await readExactly(socket, 8)).toString(), "and back");
  });

  test("a third party cannot activate someone else's stream: item-not-found, and the stream stays unactivated for its requester", async () => {
    const romeo = await user("romeo", "third");
    const juliet = await user("juliet", "third");
    const tybalt = await user("tybalt");
    const { sid, requester: socket, target: julietSocket } = await connectPair(romeo, juliet);
    sockets.push(socket, julietSocket);

    // Tybalt knows the SID and the target (say he sniffed them): the hash from *his* address names no stream.
    await assert.rejects(activateStream(tybalt, sid, juliet.jid), (err) => errorCondition(err) === "item-not-found");
    // Nothing is relayed yet: what romeo writes does not reach juliet until romeo activates.
    socket.write("x");
    await assert.rejects(readExactly(julietSocket, 1, 300), /timed out/);
    await activateStream(romeo, sid, juliet.jid);
    assert.equal((await readExactly(julietSocket, 1)).toString(), "x");
    // §6.3.5: a second activation of a running stream is not allowed.
    await assert.rejects(activateStream(romeo, sid, juliet.jid), (err) => errorCondition(err) === "not-allowed");
  });

  test("activation while only one side is connected is not-allowed (§6.3.5); an unknown stream is item-not-found", async () => {
    const romeo = await user("romeo", "half");
    const sh = await queryStreamhost(romeo);
    const sid = randomUUID();
    const target = "juliet@localhost/nowhere";
    const { socket, reply } = await socksConnect(sh.port, dstAddr(sid, romeo.jid, target));
    sockets.push(socket);
    assert.equal(reply.rep, 0);
    await assert.rejects(activateStream(romeo, sid, target), (err) => errorCondition(err) === "not-allowed");
    await assert.rejects(activateStream(romeo, "no-such-sid", target), (err) => errorCondition(err) === "item-not-found");
  });

  test("a stream hashed with the requester's bare JID (§5.3.2 allows it) is activated by that account", async () => {
    const romeo = await user("romeo", "bare");
    const sh = await queryStreamhost(romeo);
    const sid = randomUUID();
    const target = "juliet@localhost";
    const hash = dstAddr(sid, "romeo@localhost", target);
    const a = await socksConnect(sh.port, hash);
    const b = await socksConnect(sh.port, hash);
    sockets.push(a.socket, b.socket);
    assert.equal((await activateStream(romeo, sid, target)).attrs.type, "result");
    b.socket.write("bare");
    assert.equal((await readExactly(a.socket, 4)).toString(), "bare");
  });

  test("an activation without sid or <activate/> is bad-request, and a bad target JID is jid-malformed", async () => {
    const romeo = await user("romeo", "bad");
    await assert.rejects(
      romeo.iq(xml("iq", { type: "set", to: PROXY }, xml("query", { xmlns: BYTESTREAMS }, xml("activate", {}, "juliet@localhost/x")))),
      (err) => errorCondition(err) === "bad-request",
    );
    await assert.rejects(romeo.iq(xml("iq", { type: "set", to: PROXY }, xml("query", { xmlns: BYTESTREAMS, sid: "s" }))), (err) => errorCondition(err) === "bad-request");
    await assert.rejects(activateStream(romeo, "s", "@@bad"), (err) => errorCondition(err) === "jid-malformed");
  });

  test("when the sender closes, the receiver gets everything and then end-of-stream, and the proxy closes both connections", async () => {
    const romeo = await user("romeo", "close");
    const juliet = await user("juliet", "close");
    const { sid, requester: socket, target: julietSocket } = await connectPair(romeo, juliet);
    sockets.push(socket, julietSocket);
    await activateStream(romeo, sid, juliet.jid);
    socket.end("bye");
    assert.equal((await readAll(julietSocket)).toString(), "bye");
    julietSocket.end();
    await closed(socket);
  });
});
