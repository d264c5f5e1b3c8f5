// The proxy's SOCKS5 side over real sockets (RFC 1928 as XEP-0065 profiles it): a handshake cut
// into one-byte TCP writes still works, and what the proxy does not serve gets the reply code
// RFC 1928 §6 names for it, then the connection is closed.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import { connect, type TestClient } from "../helpers/client.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { activateStream, queryStreamhost } from "./helpers.js";
import { closed, connectRequest, dstAddr, greeting, openSocket, readExactly, readReply, socksConnect } from "./socks5-client.js";

describe("SOCKS5 on the proxy port", () => {
  let t: TestServer;
  let romeo: TestClient;
  let port = 0;
  const sockets: Socket[] = [];
  const open = async () => {
    const s = await openSocket(port);
    sockets.push(s);
    return s;
  };
  /** Greets with no-auth and sends `request`; returns the reply and the socket. */
  const ask = async (request: Buffer) => {
    const s = await open();
    s.write(greeting());
    assert.deepEqual([...(await readExactly(s, 2))], [0x05, 0x00]);
    s.write(request);
    return { s, reply: await readReply(s) };
  };
  before(async () => {
    t = await startTestServer();
    t.addUser("romeo", "pw");
    romeo = await connect({ port: t.port, username: "romeo", password: "pw", resource: "raw" });
    port = (await queryStreamhost(romeo)).port;
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await romeo.stop();
    await t.stop();
  });

  test("both sides negotiating in one-byte TCP writes are paired, activated and relay", async () => {
    const sid = randomUUID();
    const target = "juliet@localhost/split";
    const hash = dstAddr(sid, romeo.jid, target);
    const a = await socksConnect(port, hash, { split: true });
    const b = await socksConnect(port, hash, { split: true });
    sockets.push(a.socket, b.socket);
    assert.equal(a.reply.rep, 0x00);
    assert.equal(b.reply.rep, 0x00);
    assert.equal(b.reply.address, hash);
    await activateStream(romeo, sid, target);
    b.socket.write("split ok");
    assert.equal((await readExactly(a.socket, 8)).toString(), "split ok");
  });

  test("greeting, request and payload in a single TCP write: the payload waits for activation and arrives whole", async () => {
    const sid = randomUUID();
    const target = "juliet@localhost/joined";
    const hash = dstAddr(sid, romeo.jid, target);
    const a = await socksConnect(port, hash);
    sockets.push(a.socket);
    const b = await open();
    b.write(Buffer.concat([greeting(), connectRequest(hash), Buffer.from("eager")]));
    assert.deepEqual([...(await readExactly(b, 2))], [0x05, 0x00]);
    assert.equal((await readReply(b)).rep, 0x00);
    await activateStream(romeo, sid, target);
    assert.equal((await readExactly(a.socket, 5)).toString(), "eager");
  });

  test("a client offering no acceptable method gets X'FF' and is disconnected", async () => {
    const s = await open();
    s.write(greeting([0x02]));
    assert.deepEqual([...(await readExactly(s, 2))], [0x05, 0xff]);
    await closed(s);
  });

  test("an IPv4 address (ATYP 1) gets X'08' address type not supported", async () => {
    const { s, reply } = await ask(Buffer.from([0x05, 0x01, 0x00, 0x01, 127, 0, 0, 1, 0x00, 0x50]));
    assert.equal(reply.rep, 0x08);
    await closed(s);
  });

  test("an unknown address type gets X'08' too", async () => {
    const { s, reply } = await ask(Buffer.from([0x05, 0x01, 0x00, 0x07, 0, 0]));
    assert.equal(reply.rep, 0x08);
    await closed(s);
  });

  test("BIND and UDP ASSOCIATE get X'07' command not supported", async () => {
    for (const command of [0x02, 0x03]) {
      const { s, reply } = await ask(connectRequest("b".repeat(40), { command }));
      assert.equal(reply.rep, 0x07, `command ${command}`);
      assert.equal(reply.address, "b".repeat(40));
      await closed(s);
    }
  });

  test("a domain that is not a 40-digit hex stream address gets X'04' host unreachable", async () => {
    const { s, reply } = await ask(connectRequest("example.org", { port: 80 }));
    assert.equal(reply.rep, 0x04);
    await closed(s);
  });

  test("a third connection to a stream that has both sides gets X'02' not allowed", async () => {
    const hash = dstAddr(randomUUID(), romeo.jid, "juliet@localhost/three");
    for (let i = 0; i < 2; i++) sockets.push((await socksConnect(port, hash)).socket);
    const { s, reply } = await ask(connectRequest(hash));
    assert.equal(reply.rep, 0x02);
    await closed(s);
  });

  test("a SOCKS4 client is disconnected without a reply", async () => {
    const s = await open();
    s.write(Buffer.from([0x04, 0x01, 0x00, 0x50, 127, 0, 0, 1, 0x00]));
    await closed(s);
  });
});
