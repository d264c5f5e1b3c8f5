// The proxy's limits over real sockets: a target that never connects leaves the requester waiting
// only until the idle timeout, after which the stream is gone cleanly (it can be set up again);
// a transfer over proxy.maxTransferBytes is cut; streams beyond proxy.maxConcurrent are refused.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import net, { type Socket } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../../../src/config/load.js";
import { silentLogger } from "../../../src/log/logger.js";
import { startServer } from "../../../src/server/index.js";
import { connect, type TestClient } from "../helpers/client.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { activateStream, connectPair, errorCondition, queryStreamhost } from "./helpers.js";
import { closed, dstAddr, socksConnect } from "./socks5-client.js";

/** Counts what arrives until the other side closes or resets. */
function countUntilClosed(socket: Socket, timeoutMs = 20_000): Promise<number> {
  return new Promise((resolve, reject) => {
    let n = 0;
    const timer = setTimeout(() => reject(new Error(`still open after ${n} bytes`)), timeoutMs);
    socket.on("data", (c: Buffer) => (n += c.length));
    socket.on("error", () => {});
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(n);
    });
    socket.resume();
  });
}

describe("proxy limits", () => {
  let t: TestServer;
  const clients: TestClient[] = [];
  const sockets: Socket[] = [];
  const user = async (name: string, resource: string) => {
    const c = await connect({ port: t.port, username: name, password: "pw", resource });
    clients.push(c);
    return c;
  };
  before(async () => {
    t = await startTestServer({ "proxy.idleTimeoutSeconds": 1, "proxy.maxTransferBytes": 1_048_576 });
    for (const u of ["romeo", "juliet"]) t.addUser(u, "pw");
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    for (const c of clients) await c.stop();
    await t.stop();
  });

  test("a target that never connects: activation is not-allowed, the waiting requester is closed after the idle timeout, and the stream can be set up afresh", async () => {
    const romeo = await user("romeo", "wait");
    const sh = await queryStreamhost(romeo);
    const sid = randomUUID();
    const target = "juliet@localhost/never";
    const first = await socksConnect(sh.port, dstAddr(sid, romeo.jid, target));
    sockets.push(first.socket);
    assert.equal(first.reply.rep, 0);
    await assert.rejects(activateStream(romeo, sid, target), (err) => errorCondition(err) === "not-allowed");
    await closed(first.socket);
    // Nothing of the old stream is left: with nobody connected it is unknown …
    await assert.rejects(activateStream(romeo, sid, target), (err) => errorCondition(err) === "item-not-found");
    // … and both sides can connect to it again.
    const again = [await socksConnect(sh.port, dstAddr(sid, romeo.jid, target)), await socksConnect(sh.port, dstAddr(sid, romeo.jid, target))];
    sockets.push(...again.map((a) => a.socket));
    assert.deepEqual(again.map((a) => a.reply.rep), [0, 0]);
    assert.equal((await activateStream(romeo, sid, target)).attrs.type, "result");
  });

  test("a transfer going over proxy.maxTransferBytes is cut: the receiver gets at most the cap and both connections close", async () => {
    const romeo = await user("romeo", "big");
    const juliet = await user("juliet", "big");
    const { sid, requester: socket, target } = await connectPair(romeo, juliet);
    sockets.push(socket, target);
    // Nothing flows before activation, so counting starts in time.
    const counted = countUntilClosed(target);
    socket.on("error", () => {});
    await activateStream(romeo, sid, juliet.jid);
    socket.write(Buffer.alloc(3 * 1_048_576));
    const got = await counted;
    assert.ok(got <= 1_048_576, `received ${got}`);
    await closed(socket);
  });
});

describe("proxy.maxConcurrent", () => {
  let t: TestServer;
  let romeo: TestClient;
  const sockets: Socket[] = [];
  before(async () => {
    t = await startTestServer({ "proxy.maxConcurrent": 3 });
    t.addUser("romeo", "pw");
    romeo = await connect({ port: t.port, username: "romeo", password: "pw", resource: "many" });
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await romeo.stop();
    await t.stop();
  });

  test("streams beyond proxy.maxConcurrent get X'01' general failure; a second side of an open stream still gets in", async () => {
    const sh = await queryStreamhost(romeo);
    const hashes = [1, 2, 3, 4].map((i) => dstAddr(randomUUID(), romeo.jid, `juliet@localhost/c${i}`));
    const replies: number[] = [];
    for (const h of hashes) {
      const { socket, reply } = await socksConnect(sh.port, h);
      sockets.push(socket);
      replies.push(reply.rep);
    }
    assert.deepEqual(replies, [0, 0, 0, 0x01]);
    const second = await socksConnect(sh.port, hashes[0]!);
    sockets.push(second.socket);
    assert.equal(second.reply.rep, 0);
  });
});

test("a proxy port already in use stops the server from starting, naming the port and proxy.port", async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", () => resolve()));
  const taken = (blocker.address() as net.AddressInfo).port;
  const dataDir = mkdtempSync(join(tmpdir(), "chatctl-proxy-busy-"));
  const config = loadConfig({
    env: {},
    flags: {
      dataDir,
      "listeners.c2s.addresses": ["127.0.0.1"],
      "listeners.c2s.port": 0,
      "listeners.c2sDirectTls.enabled": false,
      "services.upload": false,
      "proxy.addresses": ["127.0.0.1"],
      "proxy.port": taken,
      "log.level": "silent",
    },
  });
  try {
    await assert.rejects(startServer(config, silentLogger()), (err: Error & { code?: string; hint?: string }) => {
      assert.equal(err.code, "CHATCTL_E_LISTEN");
      assert.match(err.message, new RegExp(`port ${taken} \\(SOCKS5 proxy\\): EADDRINUSE`));
      assert.match(err.hint ?? "", /proxy\.port/);
      return true;
    });
  } finally {
    blocker.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
