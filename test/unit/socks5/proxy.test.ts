// The SOCKS5 proxy service on its own (no XMPP): pairing, activation results, relaying with a rate
// cap without losing or reordering bytes, and the counters it reports.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import type { Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import { silentLogger } from "../../../src/log/logger.js";
import { Socks5Proxy } from "../../../src/services/socks5/proxy.js";
import { readExactly, socksConnect } from "../../integration/proxy/socks5-client.js";

const hashOf = (s: string) => createHash("sha1").update(s).digest("hex");

describe("Socks5Proxy", () => {
  let proxy: Socks5Proxy;
  let port = 0;
  const sockets: Socket[] = [];
  before(async () => {
    // 4 MiB/s: a 1 MiB transfer is held back by the rate cap for a good part of its life.
    proxy = new Socks5Proxy({ idleTimeoutMs: 10_000, maxTransferBytes: 0, maxBytesPerSecond: 4 * 1024 * 1024, maxConcurrent: 10 }, silentLogger());
    const bound = await proxy.listen(["127.0.0.1"], 0);
    port = bound[0]!.port;
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await proxy.close();
  });

  test("activation needs a known stream with both sides, once", async () => {
    const hash = hashOf("one");
    assert.equal(proxy.activate(hash), "unknown-stream");
    const a = await socksConnect(port, hash);
    sockets.push(a.socket);
    assert.equal(proxy.activate(hash), "peer-missing");
    const b = await socksConnect(port, hash);
    sockets.push(b.socket);
    assert.deepEqual(proxy.stats().waiting, 1);
    // The address is matched case-insensitively: it is a hex number.
    assert.equal(proxy.activate(hash.toUpperCase()), "activated");
    assert.equal(proxy.activate(hash), "already-active");
    assert.equal(proxy.stats().active, 1);
  });

  test("a rate-capped transfer delivers every byte in order, and the counters record it", async () => {
    const hash = hashOf("two");
    const target = await socksConnect(port, hash);
    const requester = await socksConnect(port, hash);
    sockets.push(target.socket, requester.socket);
    const before = proxy.stats();
    assert.equal(proxy.activate(hash), "activated");
    const data = randomBytes(1024 * 1024);
    requester.socket.end(data);
    const got = await readExactly(target.socket, data.length, 30_000);
    assert.ok(got.equals(data));
    target.socket.end();
    // Both sides closed: the transfer is counted as completed.
    for (let i = 0; i < 200 && proxy.stats().transfersCompleted === before.transfersCompleted; i++) await new Promise((r) => setTimeout(r, 25));
    const after = proxy.stats();
    assert.equal(after.transfersCompleted, before.transfersCompleted + 1);
    assert.equal(after.bytesRelayed - before.bytesRelayed, data.length);
  });

  test("refusals are counted", async () => {
    const before = proxy.stats().refused;
    const bad = await socksConnect(port, "not-a-hash");
    sockets.push(bad.socket);
    assert.equal(bad.reply.rep, 0x04);
    assert.equal(proxy.stats().refused, before + 1);
  });
});
